#!/usr/bin/env bash
# A flake hunt: the client, mock, reliability, action and end-to-end tests, each package run
# COUNT times over with the race detector (best while the machine is busy with other work),
# then a table of runs and failures per package and the failing tests' names.
#
#   scripts/flakehunt.sh [COUNT]       default 5; the CLI is scripts/terraform-path.sh's
#
# Logs go to .cache/flakehunt/; a failing test's log holds its linemock seed, which
# LINEMOCK_SEED replays (CONTRIBUTING.md, "Faults, seeds and replay").
set -uo pipefail
cd "$(dirname "$0")/.."

count=${1:-5}
logs=.cache/flakehunt
mkdir -p "$logs"
TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(scripts/terraform-path.sh) || exit 1
export TF_ACC TF_ACC_TERRAFORM_PATH

# name, go test arguments
runs=(
  "lineclient|./internal/lineclient/"
  "linemock|./internal/linemock/..."
  "reliability+action|-run Reliability|PushMessageAction ./internal/provider/"
  "e2e|./internal/e2e/"
)
status=0
printf '%-20s %6s %6s %6s %8s  %s\n' package tests runs failed time "failing tests" > "$logs/summary.txt"
for entry in "${runs[@]}"; do
  name=${entry%%|*}
  args=${entry#*|}
  log="$logs/$name.log"
  began=$SECONDS
  # The -run pattern holds a "|": split the arguments on spaces only.
  IFS=' ' read -r -a argv <<< "$args"
  go test -count="$count" -race -v -timeout 90m "${argv[@]}" > "$log" 2>&1 || status=1
  tests=$(grep -E '^--- (PASS|FAIL)' "$log" | awk '{print $3}' | sort -u | wc -l)
  ran=$(grep -cE '^--- (PASS|FAIL)' "$log")
  failed=$(grep -cE '^--- FAIL' "$log")
  names=$(grep -E '^--- FAIL' "$log" | awk '{print $3}' | sort | uniq -c | awk '{printf "%s (%d) ", $2, $1}')
  if grep -qE '^(FAIL|panic:)' "$log" && [ "$failed" -eq 0 ]; then
    names="the package failed outside a test: see $log"
  fi
  printf '%-20s %6d %6d %6d %7ds  %s\n' "$name" "$tests" "$ran" "$failed" $((SECONDS - began)) "$names" >> "$logs/summary.txt"
done
cat "$logs/summary.txt"
exit "$status"
