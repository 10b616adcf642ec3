#!/usr/bin/env bash
# Tests the release that scripts/dist.sh built (it builds nothing itself):
#  1. the tarball, unpacked in an empty directory and run with a PATH that holds no java: bin/herald all answers
#     /health, writes its AppCDS archive, drains and exits 0 on SIGTERM; start-up is timed cold and warm, beside
#     ./herald all from the checkout;
#  2. the .deb (as root, where dpkg exists and no herald package is installed): installed, the herald system user
#     and its files checked, Herald started as that user with /etc/herald/herald.env, /health, then purged and
#     nothing of it left.
# ./run-tests runs it; alone: scripts/dist.sh && scripts/test-dist.sh (about a minute).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
test_name=test-dist
source "$root/scripts/lib/smoke.sh"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)
out="$root/herald-app/target/dist"
tarball="$out/herald-$version-linux-x64.tar.gz"
deb="$out/herald_${version}_amd64.deb"
[ -f "$tarball" ] || fail "no $tarball: run scripts/dist.sh (./herald dist) first"

work=$(mktemp -d)
pid=""
installed=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [ -n "$installed" ]; then dpkg --purge herald >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. the tarball -------------------------------------------------------------------------------------------
echo "$test_name: unpacking $(basename "$tarball") ($(du -h "$tarball" | cut -f1)) into an empty directory" >&2
tar -C "$work" -xzf "$tarball"
home="$work/herald-$version-linux-x64"
for f in bin/herald lib/herald.jar runtime/bin/java etc/herald.env systemd/herald.service share/doc/operations.md; do
  [ -e "$home/$f" ] || fail "the archive lacks $f"
done
# A PATH with only what bin/herald calls, so any java, mvn or git on this machine cannot be used by mistake.
tools="$work/tools"
mkdir -p "$tools"
for t in sh readlink dirname mkdir rm; do ln -s "$(command -v "$t")" "$tools/$t"; done
PATH="$tools" command -v java >/dev/null 2>&1 && fail "the test PATH has a java"
# The modules: jlink kept what Herald needs and not the whole JDK.
mods=$("$home/runtime/bin/java" --list-modules | wc -l)
[ "$mods" -lt 40 ] || fail "the runtime holds $mods modules: jlink kept more than Herald needs"
"$home/runtime/bin/java" --list-modules | grep -q '^jdk.compiler' && fail "the runtime holds jdk.compiler"

run_release() {  # starts bin/herald all from an empty directory with nothing but PORT set; sets ms to /health
  local port start
  port=$(free_port)
  mkdir -p "$work/cwd"
  start=$(now_ms)
  (cd "$work/cwd" && exec env -i PATH="$tools" PORT="$port" "$home/bin/herald" all) >"$work/release.log" 2>&1 &
  pid=$!
  ms=$(wait_health "$port" "$pid" "$start")
  stop "$pid"
  pid=""
}
run_release
cold=$ms
ls "$home"/var/herald-*.jsa >/dev/null 2>&1 || fail "bin/herald wrote no AppCDS archive under var/"
run_release
warm=$ms
grep -q "started push-hub" "$work/release.log" || fail "the release's log has no 'started push-hub'"
pass "tarball: bin/herald all without a JDK answers /health: ${cold} ms cold, ${warm} ms with its AppCDS archive"

# The database, Redis and JWT clients in the jlink runtime, when MariaDB and Redis answer (./run-tests starts them):
# report-listener on a database of its own and telemetry on the Redis engine under a prefix of its own.
up() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
if up 3306 && up 6379 && command -v mysql >/dev/null && command -v redis-cli >/dev/null; then
  db="herald_dist_$$"
  prefix="herald-dist-$$"
  mysql -uroot -e "CREATE DATABASE $db"
  port=$(free_port)
  start=$(now_ms)
  (cd "$work/cwd" && exec env -i PATH="$tools" PORT="$port" HERALD_ENGINE=redis REDIS_URL=redis://127.0.0.1:6379/0 \
    HERALD_ENGINE_PREFIX="$prefix" JWT_SECRET=release-test-secret-of-32-bytes! DB_HOST=127.0.0.1 DB_USER=root \
    DB_PASSWORD= DB_NAME="$db" "$home/bin/herald" all) >"$work/deps.log" 2>&1 &
  pid=$!
  deps_ms=$(wait_health "$port" "$pid" "$start")
  body=$(curl -fsS "http://127.0.0.1:$port/health")
  stop "$pid"
  pid=""
  mysql -uroot -e "DROP DATABASE $db"
  redis-cli --scan --pattern "$prefix*" | xargs -r redis-cli del >/dev/null
  for part in '"mariadb":{"status":"up"' '"engine":{"status":"up","engine":"redis"' '"telemetry":{"status":"up"'; do
    case "$body" in *"$part"*) ;; *) fail "with MariaDB and Redis, /health lacks $part: $body" ;; esac
  done
  pass "tarball: report-listener on MariaDB and telemetry on the Redis engine up in ${deps_ms} ms (the runtime has their modules)"
else
  echo "$test_name: skipped the MariaDB and Redis run: they do not answer on 3306 and 6379" >&2
fi

# The same measure for the development launcher, when its jars are fresh (it would rebuild otherwise).
if [ -f "$root/herald-app/target/herald.jar" ] && [ -f "$root/herald-bench/target/herald-bench.jar" ]; then
  for _ in 1 2; do  # the second run is measured: the first may train ./herald's AOT cache
    port=$(free_port)
    start=$(now_ms)
    (cd "$work/cwd" && exec env PORT="$port" "$root/herald" all) >"$work/dev.log" 2>&1 &
    pid=$!
    dev=$(wait_health "$port" "$pid" "$start")
    stop "$pid"
    pid=""
  done
  pass "for comparison, ./herald all from the checkout (JDK 25, its own AOT cache): ${dev} ms"
fi

# --- 2. the Debian package ------------------------------------------------------------------------------------
if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null 2>&1; then
  echo "$test_name: skipped the .deb: it needs root and dpkg" >&2; exit 0
fi
[ -f "$deb" ] || fail "no $deb: scripts/dist.sh builds it where dpkg-deb exists"
if dpkg -s herald >/dev/null 2>&1; then echo "$test_name: skipped the .deb: a herald package is installed here" >&2; exit 0; fi
getent passwd herald >/dev/null && fail "a herald user exists before the install; the purge check would be wrong"
echo "$test_name: installing $(basename "$deb") ($(du -h "$deb" | cut -f1))" >&2
installed=yes
dpkg -i "$deb" >/dev/null
uid=$(id -u herald) || fail "the package made no herald user"
[ "$uid" -lt 1000 ] || fail "herald's uid $uid is not a system uid"
[ "$(getent passwd herald | cut -d: -f7)" = /usr/sbin/nologin ] || fail "the herald user can log in"
[ "$(stat -c '%a %U:%G' /etc/herald/herald.env)" = "640 root:herald" ] || fail "/etc/herald/herald.env is $(stat -c '%a %U:%G' /etc/herald/herald.env), not 640 root:herald"
for f in /opt/herald/bin/herald /opt/herald/runtime/bin/java /lib/systemd/system/herald.service /usr/bin/herald; do
  [ -e "$f" ] || fail "the package did not install $f"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify /lib/systemd/system/herald.service 2>"$work/verify.log" \
    || fail "systemd-analyze rejects herald.service: $(head -1 "$work/verify.log")"
fi
# As the unit does (no systemd runs here): as herald, in /var/lib/herald, with the env file and the state dir.
port=$(free_port)
start=$(now_ms)
(cd /var/lib/herald && set -a && . /etc/herald/herald.env && exec setpriv --reuid=herald --regid=herald --init-groups \
  env HERALD_STATE_DIR=/var/lib/herald PORT="$port" /usr/bin/herald all) >"$work/deb.log" 2>&1 &
pid=$!
ms=$(wait_health "$port" "$pid" "$start")
[ "$(stat -c %U "/proc/$pid")" = herald ] || fail "Herald runs as $(stat -c %U "/proc/$pid"), not herald"
stop "$pid"
pid=""
ls /var/lib/herald/herald-*.jsa >/dev/null 2>&1 || fail "Herald, as herald, wrote no AppCDS archive in /var/lib/herald"
pass "deb: installed, Herald ran as user herald (uid $uid) and answered /health in ${ms} ms"
dpkg -L herald > "$work/files"
hgid=$(getent group herald | cut -d: -f3)
dpkg --purge herald >/dev/null 2>"$work/purge.log" || fail "dpkg --purge failed: $(tail -1 "$work/purge.log")"
installed=""
for f in /opt/herald /etc/herald /var/lib/herald /lib/systemd/system/herald.service /usr/bin/herald; do
  [ ! -e "$f" ] || fail "the purge left $f"
done
while read -r f; do  # every file and link the package listed (shared directories such as /usr/bin stay)
  if [ -e "$f" ] || [ -L "$f" ]; then [ -d "$f" ] || fail "the purge left $f"; fi
done < "$work/files"
left=$(find /etc /opt /run /tmp /usr /var -xdev \( -uid "$uid" -o -gid "$hgid" \) -print -quit 2>/dev/null || true)
[ -z "$left" ] || fail "the purge left $left, owned by herald's former uid $uid or gid $hgid"
getent passwd herald >/dev/null && fail "the purge left the herald user"
getent group herald >/dev/null && fail "the purge left the herald group"
pass "deb: purged; no file, user or group of it left"
