#!/usr/bin/env bash
# Runs a local cluster: the private PostgreSQL (as ops/run.sh, kept in .data/postgres), N service nodes (default 3) on
# ports 5181..518N, and HAProxy in front on http://localhost:5180, which sends each request to a node whose
# /health/ready answers 200 (and a request that cannot reach a node to another one).
#
# Usage: ops/cluster.sh [start] [--nodes N] [--port P]
#                                             builds, starts everything, waits; Ctrl-C stops it all. --port moves the
#                                             load balancer (default 5180) and the nodes (P+1..P+N)
#        ops/cluster.sh stop                  stops a cluster started from another terminal
#        ops/cluster.sh status                which nodes run, which one seals the audit log
# Logs and pid files are in .data/cluster/. To watch a failover: ops/cluster.sh status, then kill -9 the pid of a node
# (the one that seals, say) and see the others take over (docs/operations.md, "A cluster of nodes").
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
state="$root/.data/cluster"
port=5180
nodes=3

node_pids() { for f in "$state"/node-*.pid; do [ -e "$f" ] && echo "$f"; done; return 0; }

pg_ctl_path() {
  command -v pg_ctl 2>/dev/null || compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' | sort -V | tail -n 1
}

stop_cluster() {
  local f pid
  if [ -e "$state/haproxy.pid" ]; then
    pid=$(cat "$state/haproxy.pid"); kill "$pid" 2>/dev/null || true; rm -f "$state/haproxy.pid"
  fi
  for f in $(node_pids); do
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then echo "Stopping node $(basename "$f" .pid | cut -d- -f2) (pid $pid)"; fi
  done
  for f in $(node_pids); do
    pid=$(cat "$f")
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  # The nodes leave the database running (LocalPostgres__KeepRunning); it is stopped last.
  if [ -e "$root/.data/postgres/postmaster.pid" ]; then
    echo "Stopping PostgreSQL"
    local pg_ctl; pg_ctl=$(pg_ctl_path)
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pg_ctl" stop -D "$root/.data/postgres" -m fast -w >/dev/null || true
    else "$pg_ctl" stop -D "$root/.data/postgres" -m fast -w >/dev/null || true; fi
  fi
}

status() {
  local f i pid
  [ -e "$state/port" ] && port=$(cat "$state/port")
  for f in $(node_pids); do
    i=$(basename "$f" .pid | cut -d- -f2); pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      echo "node $i  pid $pid  http://localhost:$((port + i))  $(curl -s -m 2 "http://127.0.0.1:$((port + i))/health/node" || echo 'not answering')"
    else
      echo "node $i  pid $pid  stopped"
    fi
  done
  [ -e "$state/haproxy.pid" ] && echo "haproxy pid $(cat "$state/haproxy.pid")  http://localhost:$port  (stats: http://localhost:$((port + 99))/)"
  return 0
}

write_haproxy_config() {
  local i servers=()
  for i in $(seq 1 "$nodes"); do servers+=("node$i=127.0.0.1:$((port + i))"); done
  "$root/ops/haproxy.sh" config "$port" "$((port + 99))" "${servers[@]}" > "$state/haproxy.cfg"
}

start_node() {
  local i=$1
  (
    cd "$root/src/BundLaenderKoordination.Api"
    ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" LocalPostgres__KeepRunning=true Hardening__Instances="$nodes" \
      exec dotnet "$root/src/BundLaenderKoordination.Api/bin/Release/net10.0/BundLaenderKoordination.Api.dll" \
      --urls "http://127.0.0.1:$((port + i))"
  ) >"$state/node-$i.log" 2>&1 &
  echo $! > "$state/node-$i.pid"
}

wait_ready() {
  local i=$1 pid
  pid=$(cat "$state/node-$i.pid")
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$((port + i))/health/ready" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Node $i stopped while starting; its log ($state/node-$i.log) ends with:" >&2
      tail -n 30 "$state/node-$i.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "Node $i did not become ready within two minutes; see $state/node-$i.log" >&2
  return 1
}

start() {
  if [ -n "$(node_pids)" ]; then
    echo "A cluster seems to run already ($state has pid files); ops/cluster.sh stop first." >&2
    exit 1
  fi
  ops/local-postgres.sh ensure-binaries
  ops/haproxy.sh ensure-installed
  mkdir -p "$state"
  echo "$port" > "$state/port"
  echo "Building"
  dotnet build src/BundLaenderKoordination.Api -c Release --nologo -v quiet
  trap 'echo; stop_cluster; exit 0' INT TERM
  # The first node starts (or reuses) the private PostgreSQL, creates the schema and the development keys in .data; the
  # others start once it is ready and share all of it.
  local i
  for i in $(seq 1 "$nodes"); do
    echo "Starting node $i on http://localhost:$((port + i)) (log: $state/node-$i.log)"
    start_node "$i"
    wait_ready "$i" || { stop_cluster; exit 1; }
  done
  write_haproxy_config
  haproxy -f "$state/haproxy.cfg" -db >"$state/haproxy.log" 2>&1 &
  echo $! > "$state/haproxy.pid"
  for _ in $(seq 1 40); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.25; done
  echo
  status
  echo
  echo "The cluster serves on http://localhost:$port/ (API reference: /docs/api). Ctrl-C (or ops/cluster.sh stop) stops it."
  # Waits until stopped; a node that dies stays dead (restart it by hand with the command in this script, or restart the cluster).
  while [ -e "$state/haproxy.pid" ]; do sleep 1; done
}

command="start"
while [ $# -gt 0 ]; do
  case "$1" in
    start|stop|status) command="$1" ;;
    --nodes) nodes="$2"; shift ;;
    --nodes=*) nodes="${1#--nodes=}" ;;
    --port) port="$2"; shift ;;
    --port=*) port="${1#--port=}" ;;
    *) echo "Usage: $0 [start|stop|status] [--nodes N] [--port P]" >&2; exit 2 ;;
  esac
  shift
done
if ! [[ "$nodes" =~ ^[1-9]$ ]]; then echo "--nodes takes 1 to 9" >&2; exit 2; fi
if ! [[ "$port" =~ ^[1-9][0-9]{3,4}$ ]]; then echo "--port takes a port number" >&2; exit 2; fi

case "$command" in
  start) start ;;
  stop) stop_cluster ;;
  status) status ;;
esac
