#!/usr/bin/env bash
# Runs the service locally: restores and builds, starts (or reuses) a local PostgreSQL kept in .data/postgres unless
# ConnectionStrings__Marten is set, applies the schema, seeds the bodies, and serves on http://localhost:5180.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${ConnectionStrings__Marten:-}" ]; then
  ops/local-postgres.sh ensure-binaries
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
urls="${ASPNETCORE_URLS:-http://localhost:5180}"
echo "Building; the service will listen on $urls (API reference: $urls/docs/api)"
exec dotnet run --project src/BundLaenderKoordination.Api -c Release --no-launch-profile --urls "$urls" "$@"
