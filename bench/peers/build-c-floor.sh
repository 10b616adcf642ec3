#!/usr/bin/env bash
# Builds the floor peer (bench/peers/c-floor): plain C, epoll, OpenSSL's SHA-1 for the WebSocket handshake.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/c-floor" && pwd)
if ! command -v gcc >/dev/null || [ ! -f /usr/include/openssl/sha.h ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends gcc libc6-dev libssl-dev >/dev/null
fi
gcc -O2 -Wall -Wextra -o "$dir/floor" "$dir/floor.c" -lcrypto -pthread
echo "built $dir/floor ($(gcc --version | head -1))"
