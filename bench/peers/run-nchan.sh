#!/usr/bin/env bash
# Starts the nchan peer: nginx with Debian's Nchan module (install-nchan.sh), in the foreground, on $PORT, with its
# prefix (config, pid, logs, temp files) in a directory of its own under $BENCH_OUT (the bench's results directory),
# so it touches nothing of the system's nginx.
set -euo pipefail
conf="$(cd "$(dirname "${BASH_SOURCE[0]}")/nchan" && pwd)/nginx.conf"
: "${PORT:?run-nchan: PORT is not set}"
prefix="${BENCH_OUT:-${TMPDIR:-/tmp}}/nchan-$PORT"
mkdir -p "$prefix/logs" "$prefix/temp"
sed "s/@PORT@/$PORT/" "$conf" > "$prefix/nginx.conf"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec nginx -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log"
