#!/usr/bin/env bash
# make testacc-matrix: the acceptance and end-to-end tests on each supported CLI in turn, then a
# table of what ran, skipped and failed on each.
#
#   scripts/testacc-matrix.sh [CLI...]
#
# Each CLI is anything scripts/terraform-path.sh takes; the default is the oldest supported
# Terraform, PATH's, the newest, and OpenTofu. A CLI that resolves to one already run (PATH's
# may be the newest) runs once. Each run's `go test -v` output is kept in .cache/testacc-matrix/.
# Counts are of top-level tests; a test skipped for its CLI says why in the list below the table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
clis=("$@")
[ ${#clis[@]} -gt 0 ] || clis=(1.5.7 terraform 1.16.4 tofu-1.12.6)
logs=$root/.cache/testacc-matrix
mkdir -p "$logs"
rm -f "$logs"/*.log

declare -A seen
rows=()
skips=()
status=0
for cli in "${clis[@]}"; do
  if ! path=$(scripts/terraform-path.sh "$cli"); then
    rows+=("$(printf '%-20s %s' "$cli" "no CLI: see the message above")")
    status=1
    continue
  fi
  if [ -n "${seen[$path]:-}" ]; then
    echo "==> $cli is $path, which already ran as ${seen[$path]}"
    continue
  fi
  seen[$path]=$cli
  name=$(TF_CLI_CONFIG_FILE=/dev/null "$path" version 2>/dev/null | awk '/^(Terraform|OpenTofu) v/ && !n++' || true)
  log="$logs/${#seen[@]}-$(basename "$path")-${name##* v}.log"
  echo "==> $name ($path): the acceptance and e2e tests, log in ${log#"$root"/}"
  start=$SECONDS
  rc=0
  scripts/testacc.sh "$path" -race -count=1 -v -timeout "${TEST_TIMEOUT:-15m}" \
    ./internal/provider/... ./internal/e2e/... > "$log" 2>&1 || rc=$?
  passed=$(grep -c '^--- PASS: ' "$log" || true)
  failed=$(grep -c '^--- FAIL: ' "$log" || true)
  skipped=$(grep -c '^--- SKIP: ' "$log" || true)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result=FAILED
    status=1
    # A package can fail without a failing test (a panic, a TestMain error, a build error).
    grep -E -A 20 '^(--- FAIL: |panic: |FAIL\s|# )' "$log" | head -n 200 || true
    echo "(whole log: $log)"
  fi
  rows+=("$(printf '%-20s %9d %9d %9d %7ds  %s' "$name" "$((passed + failed))" "$skipped" "$failed" "$((SECONDS - start))" "$result")")
  while IFS= read -r line; do
    skips+=("$name: $line")
  # go test -v prints a skipped test's reason on the indented line just before its --- SKIP line.
  done < <(awk '/^    [^ ]+_test\.go:[0-9]+: / { reason = $0; sub(/^ +[^ ]+: /, "", reason); next }
      /^--- SKIP: / { print $3 ": " reason; reason = ""; next }
      { reason = "" }' "$log" || true)
done

echo
printf '%-20s %9s %9s %9s %8s\n' CLI "tests run" skipped failed time
printf '%s\n' "${rows[@]}"
if [ ${#skips[@]} -gt 0 ]; then
  echo
  echo "Skipped:"
  printf '  %s\n' "${skips[@]}"
fi
exit "$status"
