#!/usr/bin/env bash
# Makes sure HAProxy is installed, the load balancer in front of the nodes of a local cluster (ops/cluster.sh) and of the
# failover test. Installs Debian's package with apt-get when run as root on Debian/Ubuntu; otherwise says what to install
# and fails. HAPROXY_PATH points the tests at another haproxy.
#
# Usage: ops/haproxy.sh ensure-installed
set -euo pipefail

install_hint='apt-get update && apt-get install -y haproxy'

ensure_installed() {
  local path="${HAPROXY_PATH:-}"
  if [ -n "$path" ]; then [ -x "$path" ] && return 0; else command -v haproxy >/dev/null 2>&1 && return 0; fi

  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "HAProxy not found; installing it with: $install_hint"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq haproxy >/dev/null
    # The package starts a system-wide haproxy on its own configuration; the cluster runs its own instances.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet haproxy 2>/dev/null; then
      systemctl disable --now haproxy >/dev/null 2>&1 || true
    fi
    command -v haproxy >/dev/null 2>&1 && return 0
    echo "The haproxy package was installed, but haproxy is still missing." >&2
    return 1
  fi

  echo "HAProxy was not found. Install it (Debian/Ubuntu, as root): $install_hint" >&2
  return 1
}

case "${1:-}" in
  ensure-installed) ensure_installed ;;
  *)
    echo "Usage: $0 ensure-installed" >&2
    exit 2
    ;;
esac
