#!/usr/bin/env bash
# Runs every test of the solution: unit tests, integration tests and browser tests (Debian's Chromium, installed when
# missing), against a throwaway local PostgreSQL that the tests start themselves.
# Ends with one line "N passed, N failed, N skipped"; exits non-zero on any failure. UPDATE_SCREENSHOTS=1 makes the browser
# tests write the pictures in docs/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."

ops/local-postgres.sh ensure-binaries
ops/chromium.sh ensure-installed

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

status=0
dotnet test BundLaenderKoordination.sln -c Release --nologo \
  --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(value total); executed=$(value executed); p=$(value passed); f=$(value failed); e=$(value error); t=$(value timeout); a=$(value aborted)
  passed=$((passed + p))
  failed=$((failed + f + e + t + a))
  skipped=$((skipped + total - executed))
done

if [ "$files" -eq 0 ]; then
  echo "No test results were written: the build or the test host failed (see above)."
  failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
