#!/usr/bin/env bash
# Starts the Node reference peer with the open-file limit raised to the hard limit (Node does not do it itself).
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/node-ws" && pwd)
[ -d "$dir/node_modules/ws" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node "$dir/server.mjs"
