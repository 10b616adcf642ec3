#!/usr/bin/env bash
# Builds Herald's OCI image without a container daemon or registry, from the release scripts/dist.sh staged: the
# jlink runtime, the jar and bin/herald on a base made here: the glibc libraries the runtime and Netty's native
# transports link against (copied from this machine, found with ldd) and Debian's busybox-static for a shell and
# the health check's wget. Written as a plain OCI image layout (one layer, config, manifest, index) to
# herald-app/target/image/herald-oci/ and as herald-<version>-oci.tar; runs as uid 10001, with a health check on
# /health. Load it with skopeo (docs/operations.md); scripts/test-image.sh runs it under chroot.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { echo "image: $*" >&2; }
die() { echo "image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run it as root: the layer's files need their owners (root, and uid 10001 for its state)"
for t in ldd sha256sum tar gzip unzip dpkg-deb apt-get; do command -v "$t" >/dev/null || die "$t is missing"; done
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
release="$root/herald-app/target/dist/herald-$version-linux-x64"
[ -x "$release/bin/herald" ] || die "no staged release at $release: run ./herald dist first"
out="$root/herald-app/target/image"
rootfs="$out/rootfs"
layout="$out/herald-oci"
uid=10001
rm -rf "$out"
mkdir -p "$rootfs"/{opt/herald,etc,tmp,var/lib/herald,bin,proc,dev,sys} "$layout/blobs/sha256"

say "rootfs: the release under /opt/herald"
cp -a "$release"/{bin,lib,runtime,share} "$rootfs/opt/herald/"

# The libraries: everything any ELF of the runtime, or a Netty native library inside the jar, links against. ldd
# names them with their full paths; each is copied with its symlink chain, so the loader finds it by soname.
say "rootfs: glibc and the other libraries the runtime links against (ldd)"
natives="$out/natives"
mkdir -p "$natives"
unzip -q -o "$release/lib/herald.jar" 'META-INF/native/*' -d "$natives" || die "no Netty native library in the jar"
libs=$( { find "$release/runtime" "$natives" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
  | xargs -0 -n 20 ldd 2>/dev/null || true; } | awk '/=> \// {print $3} /^[ \t]*\/lib64\// {print $1}' | sort -u)
[ -n "$libs" ] || die "ldd found no library: is this a glibc system?"
# glibc loads libgcc_s itself when a thread is cancelled or unwound, which ldd cannot see.
libs="$libs $(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ {print $NF; exit}')"
for lib in $libs; do
  while :; do  # the link, then what it points at, until the file itself
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -a "$lib" "$rootfs$lib"
    [ -L "$lib" ] || break
    next=$(readlink "$lib"); case "$next" in /*) lib=$next ;; *) lib=$(dirname "$lib")/$next ;; esac
  done
done
# Debian's merged /usr: /lib64 and /lib are links into /usr, and the loader's path in every binary is /lib64/...
for d in lib lib64; do
  if [ -L "/$d" ] && [ -d "$rootfs/usr/$d" ] && [ ! -e "$rootfs/$d" ]; then ln -s "usr/$d" "$rootfs/$d"; fi
done
[ -e "$rootfs/lib64/ld-linux-x86-64.so.2" ] || die "the rootfs has no /lib64/ld-linux-x86-64.so.2"
rm -rf "$natives"

# busybox: /bin/sh and the few tools bin/herald calls (readlink, dirname, mkdir, rm), and wget for the health check.
say "rootfs: busybox-static from Debian (apt-get download)"
debs="$root/herald-app/target/image-debs"
mkdir -p "$debs"
if ! ls "$debs"/busybox-static_*.deb >/dev/null 2>&1; then
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root busybox-static >/dev/null) || die "apt-get download busybox-static failed (is apt's mirror reachable? apt-get update)"
fi
dpkg-deb -x "$debs"/busybox-static_*.deb "$out/busybox"
cp "$out/busybox/bin/busybox" "$rootfs/bin/busybox"
rm -rf "$out/busybox"
for t in sh readlink dirname mkdir rm wget cat ls; do ln -s busybox "$rootfs/bin/$t"; done

# Users, name service and the writable places: uid 10001 owns its state directory; /tmp is where Netty unpacks
# its native library.
printf 'root:x:0:0:root:/root:/sbin/nologin\nherald:x:%s:%s:Herald:/var/lib/herald:/sbin/nologin\n' $uid $uid > "$rootfs/etc/passwd"
printf 'root:x:0:\nherald:x:%s:\n' $uid > "$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$rootfs/etc/hosts"
chmod 1777 "$rootfs/tmp"
chown "$uid:$uid" "$rootfs/var/lib/herald"

# One gzipped layer, reproducible: sorted names, fixed times, no gzip name or time stamp.
say "packing the layer"
layer_tar="$out/layer.tar"
tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner -cf "$layer_tar" .
diff_id=$(sha256sum "$layer_tar" | cut -d' ' -f1)
gzip -n -6 "$layer_tar"
layer_digest=$(sha256sum "$layer_tar.gz" | cut -d' ' -f1)
layer_size=$(stat -c %s "$layer_tar.gz")
mv "$layer_tar.gz" "$layout/blobs/sha256/$layer_digest"

blob() {  # stores stdin as a blob; prints "<digest> <size>"
  local tmp d
  tmp=$(mktemp "$out/blob.XXXXXX"); cat > "$tmp"
  d=$(sha256sum "$tmp" | cut -d' ' -f1)
  echo "$d $(stat -c %s "$tmp")"
  mv "$tmp" "$layout/blobs/sha256/$d"
}
# The entrypoint is bin/herald (AppCDS in /var/lib/herald); the command, a service name, can be replaced. The
# health check is Docker's field of the config (OCI has none); podman and Docker honour it, Kubernetes uses the
# probes of deploy/kubernetes instead.
read -r config_digest config_size < <(blob <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"User":"$uid:$uid","WorkingDir":"/var/lib/herald",
  "Env":["PATH=/opt/herald/bin:/bin","HERALD_STATE_DIR=/var/lib/herald","PORT=8080"],
  "Entrypoint":["/opt/herald/bin/herald"],"Cmd":["all"],
  "ExposedPorts":{"8080/tcp":{}},"StopSignal":"SIGTERM",
  "Healthcheck":{"Test":["CMD","/bin/sh","-c","wget -q -O /dev/null http://127.0.0.1:\${PORT:-8080}/health"],
   "Interval":10000000000,"Timeout":3000000000,"StartPeriod":30000000000,"Retries":3},
  "Labels":{"org.opencontainers.image.title":"herald","org.opencontainers.image.version":"$version"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created_by":"scripts/image.sh: glibc from the build machine, busybox-static, the Herald $version release"}]}
JSON
)
read -r manifest_digest manifest_size < <(blob <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config_digest","size":$config_size},
 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer_digest","size":$layer_size}]}
JSON
)
echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
cat > "$layout/index.json" <<JSON
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "digest":"sha256:$manifest_digest","size":$manifest_size,
 "annotations":{"org.opencontainers.image.ref.name":"$version"}}]}
JSON
rm -rf "$rootfs"
tar -C "$layout" -cf "$out/herald-$version-oci.tar" .
say "$layout (tag $version): layer $(du -h "$layout/blobs/sha256/$layer_digest" | cut -f1), archive $out/herald-$version-oci.tar"
