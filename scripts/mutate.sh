#!/usr/bin/env bash
# Mutation testing (make mutate): gremlins, pinned in scripts/tools.sh, breaks the code of each
# package below in one place at a time and runs the package's tests against it; then
# internal/cmd/mutationreport prints the figures per package and writes MUTATION.md, with every
# mutant that survived.
#
#   scripts/mutate.sh [DIR...]     default: internal/lineclient internal/linemock internal/provider
#
# The provider's acceptance tests need TF_ACC and a CLI and would take hours over hundreds of
# mutants: TF_ACC is unset, so they skip and the figures are for the unit-level code.
#
# Environment:
#   MUTATE_WORKERS               mutants tested at once (default: the number of CPUs)
#   MUTATE_TIMEOUT_COEFFICIENT   a mutant's tests may take this many times the unmutated run
#                                (default 10: each mutant recompiles the package, which the
#                                timed coverage run, from a warm build cache, does not)
#   MUTATE_REQUIRE               efficacy targets, such as "internal/lineclient=90", checked
#                                after the report is written (make mutate fails below them)
#   MUTATE_OUT                   the report (default MUTATION.md); results go to .cache/mutation/
set -euo pipefail
cd "$(dirname "$0")/.."

dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(internal/lineclient internal/linemock internal/provider)
workers=${MUTATE_WORKERS:-$(getconf _NPROCESSORS_ONLN)}
coefficient=${MUTATE_TIMEOUT_COEFFICIENT:-10}
out=${MUTATE_OUT:-MUTATION.md}
results=.cache/mutation
gremlins=$(scripts/tools.sh gremlins)

mkdir -p "$results"
unset TF_ACC
# gremlins counts a mutant that does not compile as killed: scripts/mutate-go.sh, first on PATH
# as "go", makes it "not viable" instead.
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
MUTATE_REAL_GO=$(command -v go)
export MUTATE_REAL_GO
ln -s "$PWD/scripts/mutate-go.sh" "$shim/go"
export PATH="$shim:$PATH"
# -count=1: gremlins times the coverage run to set each mutant's timeout, so it must not come
# from the test cache.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

args=()
start=$SECONDS
for dir in "${dirs[@]}"; do
  name=${dir//\//_}
  echo "mutate: $dir ($workers workers, timeout coefficient $coefficient)" >&2
  began=$SECONDS
  # gremlins exits non-zero only for its own thresholds, which are not set here.
  "$gremlins" unleash --workers "$workers" --timeout-coefficient "$coefficient" \
    --output "$results/$name.json" "./$dir" > "$results/$name.log" 2>&1 || {
    echo "mutate: gremlins failed on $dir:" >&2
    tail -20 "$results/$name.log" >&2
    exit 1
  }
  echo "mutate: $dir done in $((SECONDS - began))s" >&2
  args+=("$dir=$results/$name.json")
done

require=()
for r in ${MUTATE_REQUIRE:-}; do
  require+=(-require "$r")
done
echo "mutate: all done in $((SECONDS - start))s" >&2
note="Measured on commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' with changes')"
note+=", $(date -u +%Y-%m-%d), in $(( (SECONDS - start + 30) / 60 )) minutes with $workers workers"
note+=" and a timeout coefficient of $coefficient ($(getconf _NPROCESSORS_ONLN) CPUs)."
"$MUTATE_REAL_GO" run ./internal/cmd/mutationreport -out "$out" -equivalent scripts/mutation-equivalents.txt \
  -note "$note" "${require[@]}" "${args[@]}"
