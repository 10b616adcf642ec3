#!/usr/bin/env bash
# Tests the OCI image scripts/image.sh built (it builds nothing itself). No container runtime works on these
# machines, so it does what one would: umoci unpacks the image into a runtime bundle, and the bundle's process
# (the image's entrypoint, command, environment, user and working directory) runs under chroot with a /proc of its
# own and a /dev of five device nodes on a tmpfs (never this machine's /dev: nothing here may delete its nodes); then /health must answer, the image's own health check must pass, the process must be uid 10001, and
# SIGTERM must drain it to exit 0. Alone: ./herald dist && scripts/image.sh && scripts/test-image.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
test_name=test-image
source "$root/scripts/lib/smoke.sh"
[ "$(id -u)" = 0 ] || fail "run it as root (chroot, bind mounts)"
for t in umoci jq chroot mount; do command -v "$t" >/dev/null || fail "$t is missing (apt-get install umoci jq)"; done
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
layout="$root/herald-app/target/image/herald-oci"
[ -f "$layout/index.json" ] || fail "no image at $layout: run scripts/image.sh first"

work=$(mktemp -d)
bundle="$work/bundle"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  for m in proc dev; do
    if mountpoint -q "$bundle/rootfs/$m" 2>/dev/null; then umount "$bundle/rootfs/$m" || umount -l "$bundle/rootfs/$m"; fi
  done
  # Only once nothing is mounted below it, and never across a file system boundary.
  if ! grep -q " $work/" /proc/mounts; then rm -rf --one-file-system "$work"; fi
}
trap cleanup EXIT

umoci unpack --image "$layout:$version" "$bundle" >/dev/null 2>"$work/umoci.log" \
  || fail "umoci cannot unpack $layout:$version: $(tail -1 "$work/umoci.log")"
spec="$bundle/config.json"
uid=$(jq -r .process.user.uid "$spec")
gid=$(jq -r .process.user.gid "$spec")
cwd=$(jq -r .process.cwd "$spec")
[ "$uid" != 0 ] || fail "the image runs as root"
mapfile -t args < <(jq -r '.process.args[]' "$spec")
# The image's environment, with PORT replaced as `-e PORT=...` would: 8080 may be taken on a shared machine.
port=$(free_port)
mapfile -t envs < <(jq -r '.process.env[] | select(startswith("PORT=") | not)' "$spec")
envs+=("PORT=$port")
manifest=$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$layout/index.json")
config=$(jq -r '.config.digest | sub("sha256:"; "")' "$layout/blobs/sha256/$manifest")
mapfile -t health < <(jq -r '.config.Healthcheck.Test[1:][]' "$layout/blobs/sha256/$config")
[ "${#health[@]}" -gt 0 ] || fail "the image has no health check"
echo "$test_name: image $version unpacked ($(du -sh "$bundle/rootfs" | cut -f1)); running '${args[*]}' as $uid:$gid in $cwd" >&2

chroot=$(command -v chroot)  # by its path: env -i leaves the image's PATH, which is the image's, not this machine's
mount -t proc proc "$bundle/rootfs/proc"
mount -t tmpfs -o size=1m,mode=755 tmpfs "$bundle/rootfs/dev"
for node in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9"; do
  set -- $node
  mknod -m 666 "$bundle/rootfs/dev/$1" c "$2" "$3"
done
in_image() {  # becomes a command run as the image's user, with its environment, in its working directory
  exec env -i "${envs[@]}" "$chroot" --userspec="$uid:$gid" "$bundle/rootfs" /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" "$@"
}
start=$(now_ms)
(in_image "${args[@]}") >"$work/herald.log" 2>&1 &
pid=$!
ms=$(wait_health "$port" "$pid" "$start") || { tail -5 "$work/herald.log" >&2; exit 1; }
[ "$(stat -c %u "/proc/$pid")" = "$uid" ] || fail "Herald runs as uid $(stat -c %u "/proc/$pid"), not $uid"
(in_image "${health[@]}") || fail "the image's health check (${health[*]}) failed while /health answered"
grep -q "started push-hub" "$work/herald.log" || fail "the log has no 'started push-hub'"
stop "$pid"
pid=""
ls "$bundle/rootfs/var/lib/herald"/herald-*.jsa >/dev/null 2>&1 || fail "no AppCDS archive written to /var/lib/herald"
pass "image: the entrypoint answered /health in ${ms} ms as uid $uid, its health check passed, SIGTERM drained it to exit 0"
