#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (initdb, pg_ctl, postgres) are installed, so the service and the tests can
# start their own local cluster (see src/BundLaenderKoordination.LocalPostgres). Installs them with apt-get when run as
# root on Debian/Ubuntu; otherwise says what to install and fails.
#
# Usage: ops/local-postgres.sh ensure-binaries   (or source it and call ensure_binaries)
set -euo pipefail

install_hint='apt-get update && apt-get install -y postgresql'

have_binaries() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

ensure_binaries() {
  have_binaries && return 0

  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL server binaries not found; installing them with: $install_hint"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    if have_binaries; then
      return 0
    fi
    echo "The postgresql package was installed, but initdb is still missing." >&2
    return 1
  fi

  cat >&2 <<MESSAGE
PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or in /usr/lib/postgresql/<version>/bin.
Install them (Debian/Ubuntu, as root):

    $install_hint

or run this script as root, which installs them for you. Alternatively set ConnectionStrings__Marten to an existing
PostgreSQL server to run the service without a local cluster.
MESSAGE
  return 1
}

# When sourced, only the functions are wanted.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return 0
fi

case "${1:-}" in
  ensure-binaries) ensure_binaries ;;
  *)
    echo "Usage: $0 ensure-binaries" >&2
    exit 2
    ;;
esac
