#!/usr/bin/env bash
# Builds the Go load generator (bench/peers/go-loadgen) like the Go peer (build-go.sh): Debian's golang-go and
# golang-github-gorilla-websocket-dev, GOPATH mode, so nothing is fetched from a Go module proxy.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/go-loadgen" && pwd)
gorilla=/usr/share/gocode/src/github.com/gorilla/websocket
if ! command -v go >/dev/null || [ ! -d "$gorilla" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends golang-go golang-github-gorilla-websocket-dev >/dev/null || true
  fi
fi
if ! command -v go >/dev/null; then
  echo "build-go-loadgen: no 'go' on PATH: install Debian's golang-go (apt-get install golang-go)" >&2
  exit 1
fi
if [ ! -d "$gorilla" ]; then
  echo "build-go-loadgen: $gorilla is missing: install golang-github-gorilla-websocket-dev" >&2
  exit 1
fi
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${TMPDIR:-/tmp}/herald-go-cache" go build -o "$dir/go-loadgen" "$dir/main.go"
echo "built $dir/go-loadgen ($(go version))"
