#!/usr/bin/env bash
# The `go` that gremlins runs during make mutate (scripts/mutate.sh puts it first on PATH as
# "go"). gremlins takes a mutant's `go test` exiting 1 as "killed", but go test also exits 1
# when the package does not compile, so a mutant that cannot be built (such as + turned into
# - between two strings) would count as killed by the tests. Before a mutant's tests (the
# only go test gremlins runs with -failfast), this builds the mutated package and exits 2,
# gremlins' "not viable", when it does not compile. Everything else goes to the real go.
set -uo pipefail
real=${MUTATE_REAL_GO:?MUTATE_REAL_GO is the real go}
if [ "${1:-}" = test ]; then
  for arg in "$@"; do
    if [ "$arg" = -failfast ]; then
      pkg=${*: -1}
      "$real" build "$pkg" > /dev/null 2>&1 || exit 2
      break
    fi
  done
fi
exec "$real" "$@"
