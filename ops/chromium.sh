#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (they launch it by path, /usr/bin/chromium, and never
# download a browser of their own). Installs it with apt-get when run as root on Debian/Ubuntu; otherwise says what to
# install and fails. CHROMIUM_PATH points the tests at another Chromium.
#
# Usage: ops/chromium.sh ensure-installed
set -euo pipefail

install_hint='apt-get update && apt-get install -y chromium'

ensure_installed() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$path" ] && return 0

  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium not found at $path; installing it with: $install_hint"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
    [ -x "$path" ] && return 0
    echo "The chromium package was installed, but $path is still missing." >&2
    return 1
  fi

  echo "Chromium was not found at $path. Install it (Debian/Ubuntu, as root): $install_hint" >&2
  return 1
}

case "${1:-}" in
  ensure-installed) ensure_installed ;;
  *)
    echo "Usage: $0 ensure-installed" >&2
    exit 2
    ;;
esac
