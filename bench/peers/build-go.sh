#!/usr/bin/env bash
# Builds the Go reference peer from Debian's packages only (golang-go, golang-github-gorilla-websocket-dev),
# in GOPATH mode: no module proxy is needed.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/go-hub" && pwd)
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/gorilla/websocket ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends golang-go golang-github-gorilla-websocket-dev >/dev/null
fi
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${TMPDIR:-/tmp}/herald-go-cache" go build -o "$dir/go-hub" "$dir/main.go"
echo "built $dir/go-hub ($(go version))"
