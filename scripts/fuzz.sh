#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer, libFuzzer underneath) of every parser a remote party reaches, one target after
# another, each in its own JVM (Jazzer fuzzes one test per run). Prints the fuzzer's progress lines per target and a
# table at the end; exits non-zero on any finding (a crash, an unexpected exception, a timeout or an out-of-memory).
#   scripts/fuzz.sh [seconds per target]      default 10 (the CI-sized run); 120 for the documented long run
# Needs the test classes compiled (./run-tests or ./mvnw test-compile first). New corpus entries go to
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
  "herald-app io.herald.transport.ws.WsFrameFuzzTest#clientBytes"
  "herald-app io.herald.transport.auth.JwtFuzzTest#tokens"
  "herald-app io.herald.service.pushhub.PushHubInputFuzzTest#broadcastBodies"
  "herald-app io.herald.service.pushhub.PushHubInputFuzzTest#queryParameters"
  "herald-app io.herald.service.telemetry.TelemetryInputFuzzTest#publishBodiesAndCursors"
  "herald-app io.herald.service.writer.WriterMessageFuzzTest#queueMessages"
  "herald-app io.herald.core.event.EventCodecFuzzTest#anyBytes"
)
summary=()
failed=0
i=0
for t in "${targets[@]}"; do
  i=$((i + 1))
  module=${t%% *}; test=${t#* }
  echo "fuzz [$i/${#targets[@]}] $test for ${secs}s" >&2
  log=$(mktemp)
  # -rss_limit_mb: an input that makes the parser allocate without bound is a finding; -timeout: a hang is one. The
  # suite's 90 s per-test timeout is off here: a fuzz run lasts as long as it is told to.
  if JAZZER_FUZZ=1 ./mvnw -B -ntp -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="${secs}s" -Djazzer.libfuzzer_args='-rss_limit_mb=4096,-timeout=10' \
      -Djunit.jupiter.execution.timeout.mode=disabled >"$log" 2>&1; then result=ok
  else result=FINDING; failed=1; fi
  grep -E '^#[0-9]+[[:space:]]+(pulse|DONE)' "$log" | sed -u "s/^/fuzz [$i] /" >&2 || true
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  runs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$done_line")
  rate=$(grep -oE 'exec/s: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || true)
  summary+=("| $test | ${runs:-?} | ${rate:-?} | $result |")
  if [ "$result" != ok ]; then grep -E 'Finding|Exception|ERROR\]' "$log" | head -20 >&2; fi
  rm -f "$log"
done
echo
echo "| fuzz target | inputs run | inputs/s | result |"
echo "|---|---|---|---|"
printf '%s\n' "${summary[@]}"
exit $failed
