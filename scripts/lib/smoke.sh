# Sourced by the release tests (test-dist.sh, test-image.sh): a free port, waiting for /health, a clean stop.
# Each prints one line on failure; the caller's `set -e` ends the test there. The caller sets test_name first.
# shellcheck disable=SC2154 # test_name is the caller's

fail() { echo "$test_name: FAIL: $*" >&2; exit 1; }
pass() { echo "$test_name: ok: $*" >&2; }

free_port() {  # a port nothing listens on, away from the services' defaults, so a parallel test run is no bother
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null || { echo "$p"; return 0; }
  done
  fail "no free port found"
}

now_ms() { date +%s%3N; }

# wait_health PORT PID START_MS: waits (30 s at most) until GET /health answers 200 with status ok while PID lives;
# prints the milliseconds from START_MS to that answer.
wait_health() {
  local port=$1 pid=$2 start=$3 body
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || fail "Herald (pid $pid) exited before /health answered"
    if body=$(curl -fsS --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null); then
      case "$body" in *'"status":"ok"'*) echo $(($(now_ms) - start)); return 0 ;; esac
      fail "/health answered without status ok: $body"
    fi
    sleep 0.1
  done
  fail "/health did not answer on port $port within 30 s"
}

# stop PID: SIGTERM (the graceful drain) and Herald must exit 0 within 20 s.
stop() {
  local pid=$1 rc=0
  kill -TERM "$pid"
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; fail "Herald did not exit within 20 s of SIGTERM"; }
  wait "$pid" || rc=$?
  [ "$rc" = 0 ] || fail "Herald exited $rc after SIGTERM, not 0"
}
