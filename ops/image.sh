#!/usr/bin/env bash
# Builds the container image of the service (with the offline verifier, blk-verify) without any image registry:
#   1. a Debian root file system from Debian's packages (mmdebstrap), cached as a tar under the cache folder and
#      imported into podman as localhost/blk-base:<hash of its package list>; built once, reused until that list changes;
#   2. the .NET runtime copied from the .NET installation that builds the service (the shared frameworks
#      Microsoft.NETCore.App and Microsoft.AspNetCore.App and the host), no download;
#   3. the service and the verifier published framework-dependent (Release), and an image built with podman on top of
#      the base: non-root user 10001, HEALTHCHECK on /health/ready, configuration from environment variables and from
#      files mounted under /run/secrets/blk (one file per setting, see docs/operations.md#container-image).
#
# Usage:
#   ops/image.sh ensure-tools       installs podman, runc and mmdebstrap with apt-get when missing (as root)
#   ops/image.sh build [TAG]        builds the image (default TAG: localhost/bund-laender-koordination:latest)
#   ops/image.sh base               builds (or reuses) the base image only
#   ops/image.sh podman ARGS...     runs podman with the settings these machines need (runc, cgroupfs, no ulimits)
#
# Environment: BLK_IMAGE_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/blk-image) holds the base root file system and the
# podman settings; BLK_IMAGE_NO_BUILD=1 publishes the last build without building again (of the configuration
# BLK_IMAGE_CONFIGURATION, default Release);
# DEBIAN_MIRROR (default http://deb.debian.org/debian); DEBIAN_SUITE (default bookworm).
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${BLK_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/blk-image}"
default_tag="localhost/bund-laender-koordination:latest"
# What .NET needs on Linux (glibc, libstdc++, ICU, OpenSSL, zlib), certificates and time zones, and curl for the health
# check. No apt, no shell tools beyond Debian's essential set.
# fonts-dejavu-core: the font the PDF exports embed (docs/exports.md).
packages="ca-certificates,libicu72,libssl3,zlib1g,libgcc-s1,libstdc++6,tzdata,curl,fonts-dejavu-core"
uid=10001

ensure_tools() {
  local tools=(podman mmdebstrap)
  [ -x /usr/sbin/runc ] || tools+=(runc)
  ops/packages.sh ensure "${tools[@]}"
}

# podman as it runs on these machines: runc (crun fails on hybrid cgroups), cgroupfs, and no default ulimits (the
# sandbox refuses setrlimit). Networking is the caller's choice (the test uses --network host).
podman_() {
  mkdir -p "$cache"
  local conf="$cache/containers.conf"
  if [ ! -f "$conf" ]; then
    printf '[containers]\ndefault_ulimits = []\n' >"$conf.tmp"
    mv "$conf.tmp" "$conf"
  fi
  local runtime
  runtime="$(command -v runc || echo /usr/sbin/runc)"
  CONTAINERS_CONF="$conf" podman --runtime "$runtime" --cgroup-manager=cgroupfs "$@"
}

base_tag() {
  local hash
  hash="$(printf '%s\n' "$suite" "$mirror" "$packages" "$uid" "base-v1" | sha256sum | cut -c1-12)"
  echo "localhost/blk-base:$suite-$hash"
}

build_base() {
  local tag; tag="$(base_tag)"
  if podman_ image exists "$tag"; then
    echo "Base image $tag is there."
    return 0
  fi
  local tarball="$cache/${tag##*:}.tar"
  if [ ! -s "$tarball" ]; then
    echo "Making the base root file system ($suite: $packages) with mmdebstrap; this takes a few minutes once."
    mkdir -p "$cache"
    local partial="$cache/partial-${tag##*:}.tar"  # mmdebstrap picks the format by the name
    rm -rf "$partial"
    # The user the service runs as, and the folder it may write (the copy of the last signed checkpoint).
    mmdebstrap --variant=essential --include="$packages" \
      --customize-hook="echo 'blk:x:$uid:$uid:Bund-Laender-Koordination:/var/lib/blk:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
      --customize-hook="echo 'blk:x:$uid:' >> \"\$1/etc/group\"" \
      --customize-hook="mkdir -p \"\$1/var/lib/blk\" \"\$1/run/secrets/blk\" && chown $uid:$uid \"\$1/var/lib/blk\" && chmod 0700 \"\$1/var/lib/blk\"" \
      --customize-hook="rm -rf \"\$1\"/usr/share/doc/* \"\$1\"/usr/share/man/* \"\$1\"/var/cache/apt/* \"\$1\"/var/lib/apt/lists/*" \
      "$suite" "$partial" "$mirror" </dev/null
    mv "$partial" "$tarball"
  fi
  echo "Importing $tarball as $tag"
  podman_ import --message "Debian $suite: $packages" "$tarball" "$tag" >/dev/null
}

build_image() {
  local tag="${1:-$default_tag}"
  build_base
  local base; base="$(base_tag)"
  context="$(mktemp -d)"
  trap 'rm -rf "$context"' EXIT

  local configuration="${BLK_IMAGE_CONFIGURATION:-Release}"
  echo "Publishing the service and the verifier ($configuration)"
  local publish=(-c "$configuration" --nologo -v quiet)
  # BLK_IMAGE_NO_BUILD=1: publish what the last build left (the tests, which run after that build).
  [ "${BLK_IMAGE_NO_BUILD:-}" = 1 ] && publish+=(--no-build)
  dotnet publish src/BundLaenderKoordination.Api "${publish[@]}" -o "$context/app" >/dev/null
  dotnet publish src/BundLaenderKoordination.Verifier "${publish[@]}" -o "$context/verifier" >/dev/null

  # The runtime the service was just built against, taken from this machine's .NET installation (the newest patch of
  # each shared framework; the service rolls forward to it).
  local runtime_version="" dotnet_root="" framework version folder
  mkdir -p "$context/dotnet/shared"
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    read -r version folder < <(dotnet --list-runtimes | awk -v f="$framework" '$1 == f { v = $2; d = $3 } END { gsub(/[][]/, "", d); print v, d }')
    [ -n "$version" ] && [ -d "$folder/$version" ] || { echo "No $framework runtime found (dotnet --list-runtimes)" >&2; return 1; }
    mkdir -p "$context/dotnet/shared/$framework"
    cp -a "$folder/$version" "$context/dotnet/shared/$framework/"
    dotnet_root="$(dirname "$(dirname "$folder")")"
    runtime_version="$version"
  done
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$context/dotnet/"
  cp -a "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$context/dotnet/" 2>/dev/null || true

  cat >"$context/Containerfile" <<CONTAINERFILE
FROM $base
COPY dotnet /usr/share/dotnet
COPY verifier /opt/blk-verify
COPY app /app
ENV DOTNET_ROOT=/usr/share/dotnet \\
    PATH=/opt/blk-verify:/usr/share/dotnet:/usr/local/bin:/usr/bin:/bin \\
    ASPNETCORE_ENVIRONMENT=Production \\
    ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_NOLOGO=1 \\
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \\
    Secrets__Directory=/run/secrets/blk \\
    Audit__StateFile=/var/lib/blk/audit-checkpoint
WORKDIR /app
USER $uid:$uid
EXPOSE 8080
VOLUME /var/lib/blk
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \\
  CMD ["sh", "-c", "curl -fsS -o /dev/null http://127.0.0.1:\${ASPNETCORE_HTTP_PORTS%%[;,]*}/health/ready"]
LABEL org.opencontainers.image.title="Bund-Länder-Koordination" \\
      org.opencontainers.image.description="The service and the offline audit verifier (blk-verify)" \\
      org.opencontainers.image.base.name="$base" \\
      org.opencontainers.image.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
ENTRYPOINT ["/usr/share/dotnet/dotnet", "/app/BundLaenderKoordination.Api.dll"]
CONTAINERFILE

  echo "Building $tag on $base (.NET $runtime_version)"
  # Docker format keeps the HEALTHCHECK (OCI images have no field for it).
  podman_ build --format docker --network host -t "$tag" "$context" >/dev/null
  echo "Built $tag"
}

case "${1:-}" in
  ensure-tools) ensure_tools ;;
  base) ensure_tools; build_base ;;
  build) shift; ensure_tools; build_image "$@" ;;
  podman) shift; podman_ "$@" ;;
  *)
    echo "Usage: $0 ensure-tools | base | build [TAG] | podman ARGS..." >&2
    exit 2
    ;;
esac
