#!/usr/bin/env bash
# Mutation testing of the core with Stryker.NET (the dotnet-stryker tool pinned in .config/dotnet-tools.json), against
# the unit tests only (the integration tests start a database and are far too slow to run once per mutant).
#
#   ops/mutation.sh [audit|rules|all] [extra dotnet-stryker options, e.g. --since:main]
#
# audit: the Audit library (leaf document, canonical JSON, Merkle tree, checkpoints, bundle verifier, text hash).
# rules: the voting rules and their evaluation, the decide functions of resolutions, ballots and written procedures,
#        confidentiality and the access rules.
# Prints one line per target "target: score% (killed K, survived S, no coverage N, timeout T)" and the surviving
# mutants; the HTML and JSON reports stay in artifacts/mutation/<target>/. Exits non-zero when a score is below
# MUTATION_BREAK (default 0: the script reports, docs/testing.md records the scores and the equivalent mutants).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-all}"; shift || true
break_at="${MUTATION_BREAK:-0}"
concurrency="${MUTATION_CONCURRENCY:-2}"
out_root="$PWD/artifacts/mutation"

dotnet tool restore >/dev/null

audit_files=(
  "**/BundLaenderKoordination.Audit/*.cs"
)
rules_files=(
  "**/Bodies/VotingRule.cs"
  "**/Bodies/RuleEvaluator.cs"
  "**/Resolutions/BallotDecisions.cs"
  "**/Resolutions/ResolutionDecisions.cs"
  "**/Resolutions/WrittenProcedures/WrittenProcedureDecisions.cs"
  "**/Resolutions/Confidentiality.cs"
  "**/Identity/AccessRules.cs"
)

run() {
  local name="$1" project="$2"; shift 2
  local files=("$@")
  local out="$out_root/$name"
  rm -rf "$out"; mkdir -p "$out"
  local mutate=()
  for f in "${files[@]}"; do mutate+=(--mutate "$f"); done
  (cd tests/BundLaenderKoordination.UnitTests && dotnet stryker \
      --project "$project" --configuration Release --concurrency "$concurrency" \
      --reporter progress --reporter json --reporter html --reporter cleartext \
      --output "$out" --break-at 0 --skip-version-check "${mutate[@]}" "${extra[@]}") | tail -n 40
  local report
  report=$(find "$out" -name 'mutation-report.json' | head -n 1)
  [ -n "$report" ] || { echo "$name: no report written"; return 1; }
  jq -r --arg name "$name" '
    [.files[].mutants[].status] as $s
    | ($s | map(select(. == "Killed")) | length) as $k
    | ($s | map(select(. == "Survived")) | length) as $v
    | ($s | map(select(. == "NoCoverage")) | length) as $n
    | ($s | map(select(. == "Timeout")) | length) as $t
    | (if ($k + $v + $n + $t) == 0 then 100 else (100 * ($k + $t) / ($k + $v + $n + $t)) end) as $score
    | "\($name): \($score * 100 | floor / 100)% (killed \($k), survived \($v), no coverage \($n), timeout \($t))"' "$report" \
    | tee "$out/score.txt"
  jq -r '.files | to_entries[] | .key as $f | .value.mutants[] | select(.status == "Survived" or .status == "NoCoverage")
    | "  \(.status) \($f | split("/") | .[-1]):\(.location.start.line) \(.mutatorName): \(.replacement // "" | gsub("\n"; " ") | .[0:80])"' "$report" \
    | tee "$out/survivors.txt"
  local score
  score=$(grep -o '[0-9.]*%' "$out/score.txt" | tr -d '%')
  awk -v s="$score" -v b="$break_at" 'BEGIN { exit (s + 0 < b + 0) }' || { echo "$name: score $score% is below $break_at%"; return 1; }
}

extra=("$@")
status=0
case "$target" in
  audit) run audit BundLaenderKoordination.Audit.csproj "${audit_files[@]}" || status=$? ;;
  rules) run rules BundLaenderKoordination.Api.csproj "${rules_files[@]}" || status=$? ;;
  all)
    run audit BundLaenderKoordination.Audit.csproj "${audit_files[@]}" || status=$?
    run rules BundLaenderKoordination.Api.csproj "${rules_files[@]}" || status=$?
    ;;
  *) echo "usage: ops/mutation.sh [audit|rules|all] [dotnet-stryker options]"; exit 2 ;;
esac
exit "$status"
