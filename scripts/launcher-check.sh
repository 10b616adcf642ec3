#!/usr/bin/env bash
# Runs the real launcher, ./herald, the way a user does, once Maven has built the jars: help on every command starts
# nothing and exits 0, mistakes are refused with exit 2 and a suggestion, and chaos refuses a fault that stops a
# machine service without consent, before it runs (Redis is checked to be still up). The Maven tests call the entry
# points in child JVMs; this checks the bash launcher in front of them.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ok=0
bad=0

# expect NAME EXIT_CODE MUST_CONTAIN -- COMMAND...: runs COMMAND with no terminal, CI unset, at most 60 s.
expect() {
  local name=$1 code=$2 want=$3
  shift 4
  local got
  timeout 60 env -u CI "$@" </dev/null >"$out/o" 2>&1
  got=$?
  if [ "$got" != "$code" ]; then
    echo "launcher-check: FAIL $name: exit $got, expected $code; output:" >&2
    head -20 "$out/o" >&2
    bad=$((bad + 1))
  elif ! grep -qF -- "$want" "$out/o"; then
    echo "launcher-check: FAIL $name: output lacks '$want'; output:" >&2
    head -20 "$out/o" >&2
    bad=$((bad + 1))
  elif grep -qE 'Exception|^\s+at [a-z][A-Za-z0-9_.$]*\(' "$out/o"; then
    echo "launcher-check: FAIL $name: a stack trace; output:" >&2
    head -20 "$out/o" >&2
    bad=$((bad + 1))
  else
    ok=$((ok + 1))
  fi
}

expect "herald --help" 0 "push-hub" -- ./herald --help
expect "herald --version" 0 "JDK" -- ./herald --version
expect "herald push-hub --help" 0 "/api/v1/broadcast" -- ./herald push-hub --help
expect "herald config push-hub" 0 "ALLOWED_ORIGINS" -- ./herald config push-hub
expect "herald bench --help" 0 "--scenarios" -- ./herald bench --help
expect "herald chaos --help" 0 "--faults" -- ./herald chaos --help
expect "herald --hepl" 2 "--help" -- ./herald --hepl
expect "herald push-hbu" 2 "push-hub" -- ./herald push-hbu
expect "herald bench --scenarios fanuot" 2 "fanout" -- ./herald bench --scenarios fanuot
expect "herald chaos --faults kill-restrat" 2 "kill-restart" -- ./herald chaos --faults kill-restrat
# No consent: refused before any fault, so the machine's Redis keeps running (CI=true consents only to CI-sized
# runs, and this one is not).
expect "herald chaos --faults redis-restart (no --yes)" 2 "--yes" -- ./herald chaos --faults redis-restart --seconds 600
if ! timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/6379' 2>/dev/null; then
  echo "launcher-check: FAIL the refused chaos run touched Redis: it is down" >&2
  bad=$((bad + 1))
fi
[ -d reliability-results/redis-restart ] && { echo "launcher-check: FAIL the refused run wrote results" >&2; bad=$((bad + 1)); }

echo "launcher-check: $ok of $((ok + bad)) checks as expected"
[ "$bad" = 0 ]
