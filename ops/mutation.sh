#!/usr/bin/env bash
# Mutation testing of the core with Stryker.NET (the dotnet-stryker tool pinned in .config/dotnet-tools.json), against
# the unit tests only (the integration tests start a database and are far too slow to run once per mutant).
#
#   ops/mutation.sh audit|rules|all [extra dotnet-stryker options, e.g. --since:main]
#   ops/mutation.sh changed [<base commit>]    the core files changed since <base> (default HEAD~1), as CI runs it
#   ops/mutation.sh files <path>...            the given core files (paths from the repository root)
#
# audit: the Audit library (leaf document, canonical JSON, Merkle tree, checkpoints, cosignatures, witness rules and the
#        witnessing check, signed acts and their checks, bundle verifier, text hash).
# rules: the voting rules and their evaluation, the decide functions of resolutions, ballots and written procedures,
#        confidentiality and the access rules.
#
# What keeps a run short (see docs/testing.md, "Mutation testing"): coverage per test, so that a mutant runs only the
# tests that reach it; the unit test project alone; the fuzz test of the verifier at 200 cases instead of 2000
# (FUZZ_ITERATIONS); arguments of refusal texts (Problems.*, Confidentiality.Refused) not mutated; one test session at a
# time unless MUTATION_CONCURRENCY says otherwise.
#
# Prints per target "target: score% (killed K, survived S, no coverage N, timeout T; M mutants in D s)", the score per
# file and the surviving mutants; the HTML and JSON reports stay in artifacts/mutation/<target>/.
# Exit status: 0, or 1 when a score is below MUTATION_BREAK (default 0; CI's check uses 85), 2 on wrong usage,
# 3 when the tool could not be restored or wrote no report.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-all}"; shift || true
break_at="${MUTATION_BREAK:-0}"
concurrency="${MUTATION_CONCURRENCY:-1}"
level="${MUTATION_LEVEL:-Standard}"
export FUZZ_ITERATIONS="${FUZZ_ITERATIONS:-200}"
out_root="$PWD/artifacts/mutation"

audit_project=src/BundLaenderKoordination.Audit
rules_project=src/BundLaenderKoordination.Api
audit_files=(
  "$audit_project"/AuditFormats.cs
  "$audit_project"/AuditReader.cs
  "$audit_project"/BundleVerifier.cs
  "$audit_project"/CanonicalJson.cs
  "$audit_project"/Checkpoint.cs
  "$audit_project"/Cosignature.cs
  "$audit_project"/LeafDocument.cs
  "$audit_project"/Merkle.cs
  "$audit_project"/NoteKeys.cs
  "$audit_project"/PooledBuffer.cs
  "$audit_project"/SignedActChecks.cs
  "$audit_project"/SignedActs.cs
  "$audit_project"/StrictJson.cs
  "$audit_project"/TextHash.cs
  "$audit_project"/WitnessCheck.cs
  "$audit_project"/WitnessRules.cs
)
rules_files=(
  "$rules_project"/Bodies/VotingRule.cs
  "$rules_project"/Bodies/RuleEvaluator.cs
  "$rules_project"/Resolutions/BallotDecisions.cs
  "$rules_project"/Resolutions/ResolutionDecisions.cs
  "$rules_project"/Resolutions/WrittenProcedures/WrittenProcedureDecisions.cs
  "$rules_project"/Resolutions/Confidentiality.cs
  "$rules_project"/Identity/AccessRules.cs
)

# Stryker compiles the mutated project with the references of its last restore: restore first, so that a checkout whose
# packages changed since (a new package reference) does not fail to compile every mutant.
dotnet restore tests/BundLaenderKoordination.UnitTests >/dev/null 2>&1 || true
if ! dotnet tool restore >/dev/null 2>&1; then
  echo "mutation: the dotnet-stryker tool could not be restored (dotnet tool restore failed)"
  exit 3
fi

# data_spans <file>: the line spans "{a..b}" of the tables in a file that are data, not logic, and are not mutated: the
# route tables of AccessRules (who may call which endpoint, which acts need step-up). Each of their strings would be a
# mutant in a static initializer, which Stryker runs against every test; what guards the tables instead is
# AccessRulesTests.Every_route_of_the_access_table_is_a_documented_route and the authorization matrix of the
# integration tests.
data_spans() {
  case "$1" in
    */Identity/AccessRules.cs)
      awk '/static readonly IReadOnlyDictionary<string, [A-Za-z]+> [A-Za-z]+ = new/ { s = NR }
           s && /^    };/ { printf "{%d..%d}", s, NR; s = 0 }' "$1" ;;
  esac
}

# run <name> <project dir> <file>...: one Stryker run mutating exactly these files of the project.
run() {
  local name="$1" project_dir="$2"; shift 2
  local out="$out_root/$name"
  rm -rf "$out"; mkdir -p "$out"
  local mutate='[]' f spans
  for f in "$@"; do
    mutate=$(jq -c --arg p "**/${f#"$project_dir"/}" '. + [$p]' <<<"$mutate")
    spans=$(data_spans "$f")
    [ -z "$spans" ] || mutate=$(jq -c --arg p "!**/${f#"$project_dir"/}$spans" '. + [$p]' <<<"$mutate")
  done
  jq -n --arg project "$(basename "$project_dir").csproj" --argjson mutate "$mutate" --arg level "$level" \
      --argjson concurrency "$concurrency" '{ "stryker-config": {
        "project": $project,
        "test-projects": ["BundLaenderKoordination.UnitTests.csproj"],
        "configuration": "Release",
        "concurrency": $concurrency,
        "coverage-analysis": "perTest",
        "mutation-level": $level,
        "mutate": $mutate,
        "ignore-methods": ["Problems.*", "Confidentiality.Refused", "TextRules.Refusal"],
        "additional-timeout": 10000,
        "reporters": ["dots", "json", "html"],
        "thresholds": { "high": 85, "low": 70, "break": 0 }
      } }' >"$out/stryker-config.json"
  local started=$SECONDS attempt
  for attempt in 1 2; do
    (cd tests/BundLaenderKoordination.UnitTests && dotnet stryker --config-file "$out/stryker-config.json" \
        --output "$out" --skip-version-check "${extra[@]}") >"$out/stryker.log" 2>&1 || true
    # On a busy machine the project analysis (Buildalyzer asking the SDK) can time out before anything ran: once more.
    grep -q 'Could not find build environment' "$out/stryker.log" || break
    echo "$name: the project analysis failed (no build environment found); trying again"
  done
  local seconds=$((SECONDS - started))
  grep -E 'ERR|FTL|compile error|Safe Mode' "$out/stryker.log" | cut -c1-300 | head -n 20 || true
  local report
  report=$(find "$out" -name 'mutation-report.json' | head -n 1)
  if [ -z "$report" ]; then
    tail -n 30 "$out/stryker.log"
    echo "$name: no report written ($seconds s; see $out/stryker.log)"
    return 3
  fi
  jq -r --arg name "$name" --arg seconds "$seconds" '
    def score($m): ($m | map(.status)) as $s
      | ($s | map(select(. == "Killed")) | length) as $k
      | ($s | map(select(. == "Survived")) | length) as $v
      | ($s | map(select(. == "NoCoverage")) | length) as $n
      | ($s | map(select(. == "Timeout")) | length) as $t
      | (if ($k + $v + $n + $t) == 0 then 100 else (100 * ($k + $t) / ($k + $v + $n + $t)) end) as $p
      | "\($p * 10 | floor / 10)% (killed \($k), survived \($v), no coverage \($n), timeout \($t)"
        + (($s | map(select(. == "CompileError")) | length) as $c | if $c > 0 then ", compile error \($c)" else "" end);
    [.files[] | select(any(.mutants[]; .status == "Killed" or .status == "Survived" or .status == "NoCoverage" or .status == "Timeout"))] as $mutated
    | "\($name): \(score([$mutated[].mutants[]])); \([$mutated[].mutants[] | select(.status != "Ignored")] | length) mutants in \($seconds) s)",
    (.files | to_entries[] | select(any(.value.mutants[]; .status == "Killed" or .status == "Survived" or .status == "NoCoverage" or .status == "Timeout"))
      | "  \(.key | split("/") | .[-1]): \(score(.value.mutants)))")' "$report" \
    | tee "$out/score.txt"
  jq -r '.files | to_entries[] | .key as $f | .value.mutants[] | select(.status == "Survived" or .status == "NoCoverage")
    | "  \(.status) \($f | split("/") | .[-1]):\(.location.start.line) \(.mutatorName): \(.replacement // "" | gsub("\n"; " ") | .[0:100])"' "$report" \
    | sort -t: -k1,1 -k2,2n | tee "$out/survivors.txt"
  local score
  score=$(head -n 1 "$out/score.txt" | grep -o '[0-9.]*%' | head -n 1 | tr -d '%')
  if awk -v s="$score" -v b="$break_at" 'BEGIN { exit !(s + 0 < b + 0) }'; then
    echo "$name: score $score% is below $break_at%"
    return 1
  fi
}

# run_files <name prefix> <path>...: the given paths that are core files, one run per project.
run_files() {
  local prefix="$1"; shift
  local audit=() rules=() f core
  for f in "$@"; do
    for core in "${audit_files[@]}"; do [ "$f" = "$core" ] && audit+=("$f"); done
    for core in "${rules_files[@]}"; do [ "$f" = "$core" ] && rules+=("$f"); done
  done
  if [ ${#audit[@]} -eq 0 ] && [ ${#rules[@]} -eq 0 ]; then
    echo "mutation: no core file among the changed files; nothing to mutate"
    return 0
  fi
  local status=0
  [ ${#audit[@]} -eq 0 ] || { echo "mutation: ${audit[*]}"; run "$prefix-audit" "$audit_project" "${audit[@]}" || status=$?; }
  [ ${#rules[@]} -eq 0 ] || { echo "mutation: ${rules[*]}"; run "$prefix-rules" "$rules_project" "${rules[@]}" || status=$?; }
  return "$status"
}

extra=()
status=0
case "$target" in
  audit) extra=("$@"); run audit "$audit_project" "${audit_files[@]}" || status=$? ;;
  rules) extra=("$@"); run rules "$rules_project" "${rules_files[@]}" || status=$? ;;
  all)
    extra=("$@")
    run audit "$audit_project" "${audit_files[@]}" || status=$?
    s=0; run rules "$rules_project" "${rules_files[@]}" || s=$?; [ "$status" -ne 0 ] || status=$s
    ;;
  files) run_files files "$@" || status=$? ;;
  changed)
    base="${1:-HEAD~1}"
    if ! git rev-parse --verify -q "$base^{commit}" >/dev/null 2>&1; then
      echo "mutation: $base is not in this clone (a shallow or single-commit clone); no change to check"
      exit 0
    fi
    mapfile -t changed < <(git diff --name-only --diff-filter=AMR "$base" HEAD)
    run_files changed "${changed[@]}" || status=$?
    ;;
  *) echo "usage: ops/mutation.sh audit|rules|all [dotnet-stryker options] | changed [<base>] | files <path>..."; exit 2 ;;
esac
exit "$status"
