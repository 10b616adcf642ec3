#!/usr/bin/env bash
# Starts the Node socket.io reference peer with the open-file limit raised to the hard limit.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/node-sio" && pwd)
[ -d "$dir/node_modules/socket.io" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node "$dir/server.mjs"
