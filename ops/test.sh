#!/usr/bin/env bash
# Runs every test of the solution: unit tests, integration tests and browser tests (Debian's Chromium, installed when
# missing), against a throwaway local PostgreSQL that the tests start themselves; the failover test runs three nodes of
# the service behind HAProxy (Debian's haproxy, installed when missing). The container image test needs podman,
# runc and mmdebstrap (installed when missing, ops/image.sh ensure-tools). The sign-in tests run a real OpenID provider
# with Node (Debian's nodejs and npm, installed when missing).
# Ends with one line "N passed, N failed, N skipped"; exits non-zero on any failure. UPDATE_SCREENSHOTS=1 makes the browser
# tests write the pictures in docs/screenshots.
# A test that hangs does not stall the run: the blame collector aborts a test host in which one test has run longer than
# TEST_HANG_TIMEOUT (default 10m), names the test that was running, and the aborted run counts as a failure.
# TEST_SEED=<n> runs the tests of each class in a random order drawn from that seed (see docs/testing.md).
# MUTATION_CHECK=1 (set by .ci/run) adds the mutation check of the core files the last commit changed, bounded by
# MUTATION_TIME_CAP (default 15m); see docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ops/local-postgres.sh ensure-binaries
ops/chromium.sh ensure-installed
# The docs test (DocsRunTests) runs the curl walk-throughs of README.md and docs/ with bash, curl and jq.
ops/packages.sh ensure curl jq
# The export tests read PDFs with poppler's pdftotext and pdffonts.
ops/packages.sh ensure pdftotext=poppler-utils pdffonts=poppler-utils
ops/image.sh ensure-tools
ops/haproxy.sh ensure-installed
# The identity tests sign in through a real OpenID provider (oidc-provider, run by Node from tests/oidc-provider), its
# packages installed from the committed lock file.
# The OpenAPI contract test lints the document with Redocly's CLI (tests/openapi-lint, from npm's lock file).
ops/packages.sh ensure node=nodejs npm=npm
(cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/openapi-lint && npm ci --no-audit --no-fund --loglevel=error)
# The notification tests start smtp4dev, a .NET tool of .config/dotnet-tools.json.
# The local tools (Kiota, smtp4dev, Stryker). Two restores at once on one machine can trip over each other in the
# shared package folder ("command not contained in the package"): try again before giving up.
for attempt in 1 2 3; do
  dotnet tool restore && break
  [ "$attempt" -lt 3 ] || exit 1
  echo "dotnet tool restore failed; trying again in 10 s"
  sleep 10
done

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

status=0
dotnet test BundLaenderKoordination.sln -c Release --nologo \
  --blame-hang-timeout "${TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
  --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/output.log" || status=$?

passed=0; failed=0; skipped=0; files=0; aborted_runs=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(value total); executed=$(value executed); p=$(value passed); f=$(value failed); e=$(value error); t=$(value timeout); a=$(value aborted)
  passed=$((passed + p))
  failed=$((failed + f + e + t + a))
  if grep -q '<ResultSummary outcome="\(Aborted\|Error\|Timeout\)"' "$trx" \
     || { grep -q '<ResultSummary outcome="Failed"' "$trx" && [ $((f + e + t + a)) -eq 0 ]; }; then
    # The test host was aborted (a hang, a crash; a run the blame collector stopped reads "Failed" with no failed test):
    # the test that was running has no result of its own, and the tests that never ran are not "skipped".
    # One failure for the aborted run.
    aborted_runs=$((aborted_runs + 1))
    failed=$((failed + 1))
  else
    skipped=$((skipped + total - executed))
  fi
done
if [ "$aborted_runs" -eq 0 ] && grep -q 'The active test running was\|Test host process crashed' "$results/output.log"; then
  # A hang or crash whose run left no aborted summary behind failed all the same.
  aborted_runs=1; failed=$((failed + 1))
fi

# The mutation check of the core files the last commit changed (MUTATION_CHECK=1, as .ci/run sets it): see
# docs/testing.md. It runs only after a green test run, within MUTATION_TIME_CAP (default 15m); a score below
# MUTATION_BREAK (default 85) counts as one failure, while a run cut off by the cap, a tool that cannot be restored or
# a clone without the parent commit only says so.
if [ "${MUTATION_CHECK:-0}" = 1 ] && [ "$failed" -eq 0 ] && [ "$status" -eq 0 ] && [ "$files" -gt 0 ]; then
  mutation_status=0
  MUTATION_BREAK="${MUTATION_BREAK:-85}" timeout --kill-after=30s "${MUTATION_TIME_CAP:-15m}" \
    nice -n "${MUTATION_NICE:-10}" ops/mutation.sh changed "${MUTATION_BASE:-HEAD~1}" || mutation_status=$?
  case "$mutation_status" in
    0) ;;
    1) echo "Mutation check: a changed core file scores below ${MUTATION_BREAK:-85}% (see above); counted as one failure."
       failed=$((failed + 1)) ;;
    124|137) echo "Mutation check: stopped at the time cap of ${MUTATION_TIME_CAP:-15m}; not counted." ;;
    *) echo "Mutation check: could not run (exit $mutation_status, see above); not counted." ;;
  esac
fi

if [ "$files" -eq 0 ]; then
  echo "No test results were written: the build or the test host failed (see above)."
  failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

[ "$aborted_runs" -eq 0 ] || echo "$aborted_runs test run(s) aborted (hang or crash): see the blame output above."
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
