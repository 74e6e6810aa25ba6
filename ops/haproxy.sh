#!/usr/bin/env bash
# Makes sure HAProxy is installed, the load balancer in front of the nodes of a local cluster (ops/cluster.sh) and of the
# failover test. Installs Debian's package with apt-get when run as root on Debian/Ubuntu; otherwise says what to install
# and fails. HAPROXY_PATH points the tests at another haproxy.
#
# Usage: ops/haproxy.sh ensure-installed
#        ops/haproxy.sh config PORT STATS_PORT NAME=HOST:PORT...
#                                  prints the load balancer's configuration: round robin over the named nodes on
#                                  127.0.0.1:PORT, /health/ready checked every second, a request that cannot reach a
#                                  node sent to another, the answering node named in X-Node; statistics on STATS_PORT
#                                  (0: none). ops/cluster.sh and the failover test both run this configuration.
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

config() {
  local port=$1 stats=$2 node; shift 2
  cat <<CONFIG
# Written by ops/haproxy.sh config.
global
  maxconn 4096
defaults
  mode http
  option httplog
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout http-request 10s
  # A request that cannot reach a node (it died) is sent to another one; answers already started are never resent.
  retries 3
  option redispatch 1
frontend blk
  bind 127.0.0.1:$port
  default_backend nodes
CONFIG
  if [ "$stats" != 0 ]; then
    printf 'frontend stats\n  bind 127.0.0.1:%s\n  stats enable\n  stats uri /\n' "$stats"
  fi
  cat <<CONFIG
backend nodes
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
  http-response set-header X-Node %s
CONFIG
  for node in "$@"; do echo "  server ${node%%=*} ${node#*=} check"; done
}

case "${1:-}" in
  ensure-installed) ensure_installed ;;
  config)
    [ $# -ge 4 ] || { echo "Usage: $0 config PORT STATS_PORT NAME=HOST:PORT..." >&2; exit 2; }
    shift; config "$@" ;;
  *)
    echo "Usage: $0 ensure-installed | config PORT STATS_PORT NAME=HOST:PORT..." >&2
    exit 2
    ;;
esac
