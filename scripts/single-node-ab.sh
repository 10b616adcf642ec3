#!/usr/bin/env bash
# Single-node speed of this checkout against another tree's (issue 23: "within 5% of before"), interleaved: the
# node of BEFORE, then this one, ROUNDS times, each a pinned fanout-go run (1,000 clients, the Go generator) at 50
# and 100 publishes/s, then the medians of deliveries per server CPU-second and of p50/p99 per tree and rate.
#   scripts/single-node-ab.sh BEFORE [ROUNDS] [OUT]      BEFORE: a clone at the older commit, built (./herald builds it)
# One round alternates the trees so that the machine's drift falls on both alike.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
before=$(cd "$1" && pwd); rounds=${2:-5}; out=${3:-$root/bench-results/single-node-ab}
mkdir -p "$out"
[ -x "$before/bench/peers/go-loadgen/go-loadgen" ] || cp "$root/bench/peers/go-loadgen/go-loadgen" "$before/bench/peers/go-loadgen/"
cd "$root"
for i in $(seq "$rounds"); do
  for tree in before after; do
    dir=$before; [ $tree = after ] && dir=$root
    echo "single-node-ab: round $i/$rounds: $tree ($dir)" >&2
    ./herald bench --root "$dir" --scenarios fanout-go --targets herald --fanout-rates 50,100 --runs 1 \
      --out "$out/$tree-$i" >"$out/$tree-$i.log" 2>&1 || echo "single-node-ab: $tree round $i failed (its log: $out/$tree-$i.log)" >&2
  done
done
python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, glob, statistics as st, re, sys
rows = {}
for f in glob.glob(sys.argv[1] + '/*-*/results.json'):
    tree, i = re.search(r'/(before|after)-(\d+)/', f).groups()
    for s in json.load(open(f))['steps']:
        if s['scenario'] == 'fanout-go':
            rows.setdefault((tree, s['rate']), []).append((int(i), s['deliveredPerCpuSec'], s['p50Micros'], s['p99Micros']))
print('| tree | publishes/s | deliveries per CPU-s: median (min-max), per round | p50 / p99 ms (medians) |')
print('|---|---|---|---|')
for (tree, rate), v in sorted(rows.items()):
    v.sort(); d = [x[1] for x in v]
    print(f"| {tree} | {rate:.0f} | {st.median(d):,.0f} ({min(d):,.0f}-{max(d):,.0f}); {', '.join(f'{x:,.0f}' for x in d)} | "
          f"{st.median([x[2] for x in v])/1000:.2f} / {st.median([x[3] for x in v])/1000:.2f} |")
PY
