#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer, libFuzzer underneath) of every parser a remote party reaches, one target after
# another, each in its own JVM (Jazzer fuzzes one test per run), started straight on the module's test classpath
# (target/test-classpath.txt, written by every Maven build) through scripts/FuzzLauncher.java: no Maven per target. Prints the fuzzer's progress lines per target and a
# table at the end; exits non-zero on any finding (a crash, an unexpected exception, a timeout or an out-of-memory).
#   scripts/fuzz.sh [seconds per target]      default 10 (the CI-sized run); 120 for the documented long run
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
  if [ ! -f "$module/target/test-classpath.txt" ]; then
    echo "fuzz: $module/target/test-classpath.txt is missing: run ./mvnw test-compile first" >&2; exit 2
  fi
  cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$module/target/test-classpath.txt")"
  # The JVM runs in the module's folder, as under Maven: the corpus goes to <module>/.cifuzz-corpus.
  if (cd "$module" && JAZZER_FUZZ=1 "$JAVA_HOME/bin/java" -cp "$cp" --enable-native-access=ALL-UNNAMED \
      --sun-misc-unsafe-memory-access=allow -Djazzer.max_duration="${secs}s" \
      -Djazzer.libfuzzer_args='-rss_limit_mb=4096,-timeout=10' -Djunit.jupiter.execution.timeout.mode=disabled \
      "$root/scripts/FuzzLauncher.java" "$test") >"$log" 2>&1; then result=ok
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
