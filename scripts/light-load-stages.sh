#!/usr/bin/env bash
# Where light-load latency goes (issue 30): push-hub on core 0, go-loadgen on core 1, 1,000 clients at the rate
# given ($1 publishes/s, 10 s after a 5 s warm-up at 200/s); prints the generator's end-to-end figures and Herald's
# own herald_publish_to_write histogram over the same window (accept -> written to every subscriber of a loop).
# Needs bench/peers/go-loadgen built (bash bench/peers/build-go-loadgen.sh). Usage: scripts/light-load-stages.sh 20
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=18557 HERALD_HOST=127.0.0.1 taskset -c 0 ./herald push-hub > "${TMPDIR:-/tmp}/stages-herald.log" 2>&1 &
for i in $(seq 1 60); do curl -sf localhost:18557/health >/dev/null && break; sleep 0.5; done
rate=$1
taskset -c 1 bench/peers/go-loadgen/go-loadgen -url ws://127.0.0.1:18557/ws -publish http://127.0.0.1:18557/api/v1/broadcast -clients 1000 -rates 200 -warmup 2s -step 5s -workers 16 -drain 2s > /dev/null 2>&1
curl -s localhost:18557/metrics | grep "^herald_publish_to_write_seconds_bucket\|^herald_publish_to_write_seconds_count" > /tmp/stages-before.txt
taskset -c 1 bench/peers/go-loadgen/go-loadgen -url ws://127.0.0.1:18557/ws -publish http://127.0.0.1:18557/api/v1/broadcast -clients 1000 -rates $rate -warmup 2s -step 10s -workers 16 -drain 2s 2>/dev/null | tail -3
curl -s localhost:18557/metrics | grep "^herald_publish_to_write_seconds_bucket\|^herald_publish_to_write_seconds_count" > /tmp/stages-after.txt
kill $(ss -ltnp | grep 18557 | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2)
python3 - <<'PY'
import re
def load(p):
    d={}
    for l in open(p):
        m=re.match(r'herald_publish_to_write_seconds_bucket\{le="([^"]+)"\} (\S+)',l)
        if m: d[float(m.group(1)) if m.group(1)!='+Inf' else float('inf')]=float(m.group(2))
    return d
a=load('/tmp/stages-before.txt'); b=load('/tmp/stages-after.txt')
les=sorted(b); diff=[(le,b[le]-a.get(le,0)) for le in les]; tot=diff[-1][1]
for q in (0.5,0.99):
    for le,c in diff:
        if c>=q*tot: print(f"server accept->written p{int(q*100)} <= {le*1000:.3f} ms (of {int(tot)} loop writes)"); break
PY
