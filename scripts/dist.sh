#!/usr/bin/env bash
# Builds the self-contained release from the checkout: a jlink runtime with only the JDK modules Herald needs, the
# jar, bin/herald (needs no JDK, Maven or network), an example environment file and a systemd unit, staged once and
# packed twice, as herald-<version>-linux-x64.tar.gz and (where dpkg-deb exists) herald_<version>_amd64.deb, both in
# herald-app/target/dist/. Run as `./herald dist`; docs/operations.md describes what it makes.
set -euo pipefail
if [ $# -gt 0 ]; then
  case "$1" in
    -h|--help)
      cat <<'HELP'
Usage: herald dist
Builds the self-contained release from this checkout into herald-app/target/dist/:
herald-<version>-linux-x64.tar.gz (a jlink runtime, the jar, bin/herald, etc/herald.env, a systemd unit) and,
where dpkg-deb exists, herald_<version>_amd64.deb from the same files. Needs a JDK 25 with jlink; rebuilds
herald.jar first when a source is newer. scripts/test-dist.sh tests both; docs/operations.md installs them.
HELP
      exit 0 ;;
    *) echo "herald dist: unknown option '$1'; it takes none (--help explains it)" >&2; exit 2 ;;
  esac
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/jdk.sh"
say() { echo "dist: $*" >&2; }
die() { echo "dist: $*" >&2; exit 1; }
for tool in jlink jdeps; do [ -x "$JAVA_HOME/bin/$tool" ] || die "$JAVA_HOME has no $tool: a full JDK 25 is needed, not a JRE"; done
[ "$(uname -m)" = x86_64 ] || die "only linux-x64 is built (this machine is $(uname -m))"

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
[ -n "$version" ] || die "no <version> in $root/pom.xml"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
jar="$root/herald-app/target/herald.jar"
out="$root/herald-app/target/dist"
name="herald-$version-linux-x64"
stage="$out/$name"

# The jar: rebuilt only when missing or older than a source, as ./herald does.
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name pom.xml \
    -o -path '*/src/main/resources/*' -o -path '*/src/main/version/*' \) -newer "$jar" -print -quit)" ]; then
  say "building herald.jar (./mvnw package -pl herald-app -am -DskipTests; a line per module)"
  (cd "$root" && ./mvnw -B -ntp -DskipTests package -pl herald-app -am | grep -E "Building herald|BUILD|ERROR") >&2
fi
rm -rf "$out"
mkdir -p "$stage"/{bin,lib,etc,systemd,share/doc}

# The modules: what jdeps finds in the jar (recomputed, so a new dependency's needs are never missed), plus what
# is reached only by reflection or service loading: JUL for libraries that log through it, DNS for JNDI look-ups,
# the extra charsets and EC crypto for database and broker clients, ZIP file systems, and jcmd for thread and heap
# dumps on a production node.
say "finding the JDK modules the jar needs (jdeps, about 20 s)"
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 "$jar")
modules="$modules,java.logging,java.management,jdk.management,jdk.unsupported,jdk.naming.dns,jdk.charsets,jdk.crypto.ec,jdk.zipfs,jdk.jcmd"
say "jlink: $modules"
# No jlink compression: the archive is gzipped anyway, and uncompressed modules load faster at every start.
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$stage/runtime" --strip-debug --no-man-pages \
  --no-header-files
# The runtime's base class-data archive (the JDK's own classes start shared, and the AppCDS archive bin/herald
# writes sits on it). Dumped with compact object headers, as bin/herald runs: jlink's --generate-cds-archive
# makes only the archive without them, which such a JVM cannot map.
"$stage/runtime/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump -Xlog:cds=off -Xlog:cds+heap=off >/dev/null
[ -f "$stage/runtime/lib/server/classes_coh.jsa" ] || die "the runtime's CDS archive (classes_coh.jsa) was not written"

cp "$jar" "$stage/lib/herald.jar"
sed -e "s/@VERSION@/$version/g" -e "s/@COMMIT@/$commit/g" "$root/packaging/bin/herald" > "$stage/bin/herald"
chmod 755 "$stage/bin/herald"
cp "$root/packaging/systemd/herald.service" "$stage/systemd/"
cp "$root/docs/operations.md" "$stage/share/doc/"

# The example environment file is written by the release itself, so it lists every variable the jar reads with
# its default (commented out; secrets blank). An empty directory and environment keep this machine's out of it.
say "writing etc/herald.env from 'bin/herald config all'"
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
table=$(cd "$empty" && env -i PATH=/usr/bin:/bin HOME="$empty" "$stage/bin/herald" config all) \
  || die "the staged bin/herald could not run 'config all'"
{
  echo "# Herald's configuration: VARIABLE=value, one a line, read by bin/herald (systemd: EnvironmentFile)."
  echo "# Every variable Herald $version reads, with its default, commented out; uncomment to change one."
  echo "# HERALD_EVENT_LOOPS and HERALD_MAX_CONNECTIONS derive from the CPUs and the open-file limit when unset."
  echo "# 'herald config all' prints the effective values (secrets masked); docs/shared.md and docs/<service>.md"
  echo "# explain them. Keep this file readable by root and herald only: it may hold secrets."
  echo "$table" | awk '/^VARIABLE /{on=1; next} on && NF==0 {exit} on {
    v=$2; if (v ~ /\*\*\*/ || v == "(unset)" || v == "(empty)") v=""; printf "#%s=%s\n", $1, v }'
} > "$stage/etc/herald.env"
grep -q '^#PORT=' "$stage/etc/herald.env" || die "etc/herald.env lacks PORT: 'config all' printed something else"

say "packing $name.tar.gz"
tar -C "$out" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
say "$out/$name.tar.gz: $(du -h "$out/$name.tar.gz" | cut -f1) (runtime $(du -sh "$stage/runtime" | cut -f1), jar $(du -h "$stage/lib/herald.jar" | cut -f1))"

if ! command -v dpkg-deb >/dev/null 2>&1; then say "no dpkg-deb on this machine: the .deb is not built"; exit 0; fi
# The Debian package from the same staged tree: /opt/herald, /etc/herald/herald.env (a conffile, so an upgrade
# keeps the operator's edits), the unit, /usr/bin/herald, and maintainer scripts for the user and the purge.
deb="$out/deb"
mkdir -p "$deb/opt/herald" "$deb/etc/herald" "$deb/lib/systemd/system" "$deb/usr/bin" "$deb/DEBIAN"
cp -al "$stage/bin" "$stage/lib" "$stage/runtime" "$stage/share" "$deb/opt/herald/"
cp "$stage/etc/herald.env" "$deb/etc/herald/herald.env"
cp "$stage/systemd/herald.service" "$deb/lib/systemd/system/"
ln -s /opt/herald/bin/herald "$deb/usr/bin/herald"
cp "$root/packaging/deb/postinst" "$root/packaging/deb/prerm" "$root/packaging/deb/postrm" "$deb/DEBIAN/"
echo /etc/herald/herald.env > "$deb/DEBIAN/conffiles"
cat > "$deb/DEBIAN/control" <<CONTROL
Package: herald
Version: $version
Architecture: amd64
Maintainer: Herald maintainers <herald@localhost>
Depends: libc6, passwd
Section: net
Priority: optional
Installed-Size: $(du -sk "$deb" --exclude=DEBIAN | cut -f1)
Description: Herald real-time event gateway
 WebSocket, Socket.IO, long-polling and SSE fan-out with a bundled Java runtime
 (no JDK needed). Runs as the herald system user under systemd (herald.service),
 configured by /etc/herald/herald.env.
CONTROL
say "packing herald_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip --build "$deb" "$out/herald_${version}_amd64.deb" >/dev/null
say "$out/herald_${version}_amd64.deb: $(du -h "$out/herald_${version}_amd64.deb" | cut -f1)"
