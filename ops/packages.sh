#!/usr/bin/env bash
# Makes sure the Debian packages the tests and scripts need are installed: for each COMMAND=PACKAGE pair whose command
# is missing, installs the package with apt-get (as root on Debian/Ubuntu); otherwise says what to install and fails.
#
# Usage: ops/packages.sh ensure curl=curl jq=jq pdftotext=poppler-utils ...
#        (a bare name means command and package are called alike)
set -euo pipefail

ensure() {
  local missing=() pair command package
  for pair in "$@"; do
    command="${pair%%=*}"; package="${pair#*=}"
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0

  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} with: apt-get install -y ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
    for pair in "$@"; do
      command="${pair%%=*}"
      command -v "$command" >/dev/null 2>&1 && continue
      echo "The package for $command was installed, but the command is still missing." >&2
      return 1
    done
    return 0
  fi

  echo "Missing: ${missing[*]}. Install (Debian/Ubuntu, as root): apt-get install -y ${missing[*]}" >&2
  return 1
}

case "${1:-}" in
  ensure) shift; ensure "$@" ;;
  *)
    echo "Usage: $0 ensure COMMAND[=PACKAGE]..." >&2
    exit 2
    ;;
esac
