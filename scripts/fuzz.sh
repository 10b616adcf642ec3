#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer, libFuzzer underneath) of every parser a remote party reaches, one target after
# another, each in its own JVM (Jazzer fuzzes one test per run), started straight on the module's test classpath
# (target/test-classpath.txt, written by every Maven build) through scripts/FuzzLauncher.java: no Maven per target. Prints the fuzzer's progress lines per target and a
# table at the end; exits non-zero on any finding (a crash, an unexpected exception, a timeout or an out-of-memory).
#   scripts/fuzz.sh [seconds per target]      default 10 (the CI-sized run); 120 for the documented long run
#   HERALD_FUZZ_JOBS=N                       targets fuzzed at once (default 2)
# Needs the test classes compiled (./run-tests, or ./mvnw test-compile first: it writes the classpath files too). New corpus entries go to
# <module>/.cifuzz-corpus (not committed); a finding is written under src/test/resources next to the test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
secs=${1:-10}
targets=(
  "herald-protocol io.herald.protocol.sio.SioFuzzTest#socketIoPackets"
  "herald-protocol io.herald.protocol.sio.SioFuzzTest#engineIoPayloads"
  "herald-protocol io.herald.protocol.envelope.ClientCodecFuzzTest#clientMessages"
  "herald-transport io.herald.transport.ws.WsFrameFuzzTest#clientBytes"
  "herald-transport io.herald.transport.auth.JwtFuzzTest#tokens"
  "herald-server io.herald.service.pushhub.PushHubInputFuzzTest#broadcastBodies"
  "herald-server io.herald.service.pushhub.PushHubInputFuzzTest#queryParameters"
  "herald-server io.herald.service.telemetry.TelemetryInputFuzzTest#publishBodiesAndCursors"
  "herald-server io.herald.service.writer.WriterMessageFuzzTest#queueMessages"
  "herald-core io.herald.core.event.EventCodecFuzzTest#anyBytes"
)
jobs=${HERALD_FUZZ_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  module=${t%% *}
  if [ ! -f "$module/target/test-classpath.txt" ]; then
    echo "fuzz: $module/target/test-classpath.txt is missing: run ./mvnw test-compile first" >&2; exit 2
  fi
done

# One target in its own JVM: its log to $work/<n>.log, "ok" or "FINDING" to $work/<n>.result.
fuzz_one() {
  local n=$1 module=${2%% *} test=${2#* } cp
  cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$module/target/test-classpath.txt")"
  # -rss_limit_mb: an input that makes the parser allocate without bound is a finding; -timeout: a hang is one. The
  # suite's 90 s per-test timeout is off here: a fuzz run lasts as long as it is told to. The JVM runs in the
  # module's folder, as under Maven: the corpus goes to <module>/.cifuzz-corpus.
  if (cd "$module" && JAZZER_FUZZ=1 "$JAVA_HOME/bin/java" -cp "$cp" --enable-native-access=ALL-UNNAMED \
      --sun-misc-unsafe-memory-access=allow -Djazzer.max_duration="${secs}s" \
      -Djazzer.libfuzzer_args='-rss_limit_mb=4096,-timeout=10' -Djunit.jupiter.execution.timeout.mode=disabled \
      "$root/scripts/FuzzLauncher.java" "$test") >"$work/$n.log" 2>&1; then echo ok >"$work/$n.result"
  else echo FINDING >"$work/$n.result"; fi
  grep -E '^#[0-9]+[[:space:]]+(pulse|DONE)' "$work/$n.log" | sed "s/^/fuzz [$n] /" >&2 || true
}

# $jobs targets at a time (default 2, one per core): most of a target's wall time is its JVM starting and
# instrumenting what it loads, on one thread.
i=0
for t in "${targets[@]}"; do
  i=$((i + 1))
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  echo "fuzz [$i/${#targets[@]}] ${t#* } for ${secs}s" >&2
  fuzz_one "$i" "$t" &
done
wait

summary=()
failed=0
i=0
for t in "${targets[@]}"; do
  i=$((i + 1))
  test=${t#* }
  result=$(cat "$work/$i.result" 2>/dev/null || echo FINDING)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$i.log" | tail -1 || true)
  runs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$done_line")
  rate=$(grep -oE 'exec/s: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || true)
  summary+=("| $test | ${runs:-?} | ${rate:-?} | $result |")
  if [ "$result" != ok ]; then
    failed=1
    echo "fuzz [$i] $test: FINDING; the end of its log:" >&2
    grep -E 'Finding|Exception|ERROR|==' "$work/$i.log" | head -20 >&2 || tail -20 "$work/$i.log" >&2
  fi
done
echo
echo "| fuzz target | inputs run | inputs/s | result |"
echo "|---|---|---|---|"
printf '%s\n' "${summary[@]}"
exit $failed
