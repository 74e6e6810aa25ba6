#!/usr/bin/env bash
# Measures every core operation against a raw PostgreSQL baseline on this machine and writes the table into
# docs/performance.md (the text around the table stays). Builds Release, starts a throwaway PostgreSQL through the same
# component the service and the tests use, runs the service in-process on a real Kestrel port, removes everything at
# the end. Takes about ten minutes on two cores. PostgreSQL runs with production durability (fsync, synchronous_commit,
# full_page_writes on); --durability off measures the CPU cost without it and writes its table to a block of its own.
# Extra arguments go to the benchmark, e.g. --only append,reads --rounds 5 --seconds 5, --only sealer, or --smoke for
# one tiny iteration of each workload.
set -euo pipefail
cd "$(dirname "$0")/.."

ops/local-postgres.sh ensure-binaries
dotnet build benchmarks/BundLaenderKoordination.Benchmarks -c Release --nologo -v quiet
exec dotnet run --project benchmarks/BundLaenderKoordination.Benchmarks -c Release --no-build -- --out docs/performance.md "$@"
