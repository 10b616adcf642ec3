#!/usr/bin/env bash
# Installs the nchan peer: nginx with the Nchan pub/sub module, both from Debian (nginx-light, libnginx-mod-nchan),
# nothing built. The bench starts it with its own config (bench/peers/nchan/nginx.conf, through run-nchan.sh), never
# the system's; Debian's own nginx service is not started here (containers forbid it through policy-rc.d anyway).
set -euo pipefail
module=/usr/lib/nginx/modules/ngx_nchan_module.so
if ! command -v nginx >/dev/null || [ ! -f "$module" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-nchan: run as root (or: sudo apt-get install -y nginx-light libnginx-mod-nchan)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light libnginx-mod-nchan >/dev/null
fi
echo "nchan peer ready: $(nginx -v 2>&1), $(dpkg-query -W -f='libnginx-mod-nchan ${Version}' libnginx-mod-nchan 2>/dev/null || echo "$module")"
