#!/usr/bin/env bash
# Prints the path of a Terraform or OpenTofu CLI to run against; never downloads a release.
#
#   scripts/terraform-path.sh               terraform on PATH if it is 1.16 or later, or
#                                           else the newest supported version (1.16.4), built
#   scripts/terraform-path.sh terraform     terraform on PATH, whatever its version; else as above
#   scripts/terraform-path.sh tofu          tofu on PATH, whatever its version; else OpenTofu 1.12.6, built
#   scripts/terraform-path.sh 1.5.7         that Terraform version
#   scripts/terraform-path.sh tofu-1.12.6   that OpenTofu version (also: opentofu 1.12.6, or
#                                           opentofu alone for 1.12.6)
#   scripts/terraform-path.sh /a/b/tofu     that file, as it is
#
# A version is PATH's CLI when that is the version asked for, or else it is built once from the
# Go module proxy into $cache/terraform-X.Y.Z/terraform or $cache/tofu-X.Y.Z/tofu:
# - Terraform up to 1.8 with `go install`;
# - Terraform 1.9 and later, and OpenTofu, from their module's source, since `go install` refuses
#   modules with replace directives. Terraform's replaces point to nested modules (its cloud state
#   backends), which the module zip leaves out: they are dropped from go.mod, and their imports
#   from the source, by scripts/dropimports. Terraform after 1.5 is BUSL-1.1: building it to test
#   a provider is non-production use.
# A build writes to a temporary name and renames when the binary reports the version asked for,
# so a killed build never leaves a broken CLI behind.
#
# Only the path goes to stdout; messages go to stderr.
# The cache folder is $TF_LINE_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-line.
set -euo pipefail

oldest=1.5.7
newest=1.16.4
tofu=1.12.6
# make test's default: the first Terraform with every feature the tests use (1.16: lifecycle
# { destroy = false } and destroy-time actions), so that no test skips for its version.
min_default=1.16.0

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${TF_LINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-line}

say() { echo "terraform-path: $*" >&2; }
die() { say "$*"; exit 1; }

# name_of CLI: the line naming it, such as "Terraform v1.11.4" or "OpenTofu v1.12.6". With no CLI
# configuration: OpenTofu writes a warning about a missing one to stdout, before the version.
name_of() {
  TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null | awk '/^(Terraform|OpenTofu) v/ && !n++' || true
}

# version_of CLI: the version it reports, such as 1.11.4, or nothing.
version_of() {
  local name
  name=$(name_of "$1")
  echo "${name##* v}"
}

# at_least A B: A >= B, as versions.
at_least() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

# build NAME VERSION: the path of that CLI in the cache, built first if it is not there.
build() {
  local name=$1 version=$2 module pkg bin dir out
  case "$name" in
    terraform) module=github.com/hashicorp/terraform pkg=. ;;
    tofu)      module=github.com/opentofu/opentofu pkg=./cmd/tofu ;;
  esac
  dir="$cache/$name-$version"
  bin="$dir/$name"
  if [ -x "$bin" ]; then
    echo "$bin"
    return
  fi
  mkdir -p "$dir"
  # One build at a time per CLI: another run (make test while .ci/run builds ahead) waits for
  # this one's result rather than building it again.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$dir/.lock"
    if ! flock -n 9; then
      say "waiting for another build of $name $version to finish"
      flock 9
    fi
    if [ -x "$bin" ]; then
      echo "$bin"
      return
    fi
  fi
  local work
  work=$(mktemp -d "$dir/.build.XXXXXX")
  # shellcheck disable=SC2064 # $work is expanded now, on purpose
  trap "chmod -R u+w '$work' 2>/dev/null; rm -rf '$work'" EXIT
  out="$work/$name"
  local start=$SECONDS
  say "building $name $version from the Go module proxy into $dir (once; 2 to 10 minutes on 2 cores)"
  # A failed step stops the build with a message, rather than the whole script in silence.
  set +e
  (
    set -euo pipefail
    # GOFLAGS is cleared so that a caller's -mod or -tags cannot change how the CLI builds.
    if [ "$name" = terraform ] && ! at_least "$version" 1.9.0; then
      GOFLAGS='' GOBIN="$work" go install -ldflags='-s -w' "$module@v$version" >&2
      exit
    fi
    json=$(GOFLAGS='' go mod download -json "$module@v$version") || { echo "$json" >&2; exit 1; }
    src=$(sed -n 's/^[[:space:]]*"Dir": *"\(.*\)",*$/\1/p' <<< "$json")
    [ -d "$src" ] || die "go mod download $module@v$version gave no source folder"
    cp -R "$src" "$work/src"
    chmod -R u+w "$work/src"
    cd "$work/src"
    # Replaces that point to folders the module zip left out are nested modules: drop them.
    dropped=()
    while IFS=$'\t' read -r old new; do
      case "$new" in ./* | ../*) [ -e "$new" ] || dropped+=("$old") ;; esac
    done < <(GOFLAGS='' go mod edit -json | go_mod_replaces)
    if [ ${#dropped[@]} -gt 0 ]; then
      say "dropping nested modules the module zip lacks: ${dropped[*]}"
      for m in "${dropped[@]}"; do
        GOFLAGS='' go mod edit -dropreplace="$m" -droprequire="$m"
      done
      (cd "$root" && GOFLAGS='' go run ./scripts/dropimports "$work/src" "${dropped[@]}")
    fi
    # Without version.dev=no the binary calls itself X.Y.Z-dev; -s -w only makes linking faster.
    GOFLAGS=-mod=mod go build -ldflags="-s -w -X '$module/version.dev=no'" -o "$out" "$pkg" >&2
  )
  local rc=$?
  set -e
  [ "$rc" -eq 0 ] || die "building $name $version failed (exit $rc) after $((SECONDS - start))s"
  local got
  got=$(name_of "$out")
  case "$got" in
    "Terraform v$version" | "OpenTofu v$version") ;;
    *) die "the $name built from $module@v$version reports \"$got\", want v$version" ;;
  esac
  mv -f "$out" "$bin"
  say "built $got in $((SECONDS - start))s: $bin"
  echo "$bin"
}

# go_mod_replaces reads `go mod edit -json` and prints each replace as OLD<tab>NEW. The JSON is
# Go's indented encoding, one field a line, so sed is enough and jq is not needed.
go_mod_replaces() {
  sed -n '/"Replace": \[/,/^\t\]/p' | awk '
    /"Old": \{/ { side = "old" }
    /"New": \{/ { side = "new" }
    /"Path":/ {
      v = $0; sub(/^[^:]*: *"/, "", v); sub(/",?$/, "", v)
      if (side == "old") old = v; else { print old "\t" v }
    }'
}

# on_path NAME VERSION: PATH's NAME when it reports VERSION (any version when VERSION is empty).
on_path() {
  local path
  path=$(command -v "$1" 2>/dev/null) || return 1
  [ -z "$2" ] || [ "$(version_of "$path")" = "$2" ] || return 1
  echo "$path"
}

# use_or_build NAME VERSION: PATH's NAME when it is VERSION, or else the cache's, built if need be.
# (Not `on_path … || build …`: a function called left of || runs with set -e off.)
use_or_build() {
  local path
  if path=$(on_path "$1" "$2"); then
    echo "$path"
  else
    build "$1" "$2"
  fi
}

valid_version() {
  [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "\"$1\" is not a version such as $newest or tofu-$tofu"
}

want=${1:-}
case "$want" in
  "")
    if path=$(on_path terraform "") && at_least "$(version_of "$path")" "$min_default"; then
      echo "$path"
    else
      use_or_build terraform "$newest"
    fi
    ;;
  terraform) on_path terraform "" || "$0" ;;
  tofu)
    if path=$(on_path tofu ""); then echo "$path"; else use_or_build tofu "$tofu"; fi
    ;;
  tofu-* | opentofu-* | opentofu)
    version=${want#*-}
    [ "$want" != opentofu ] || version=${2:-$tofu}
    valid_version "$version"
    use_or_build tofu "$version"
    ;;
  */*)
    [ -x "$want" ] || die "$want is not an executable file"
    echo "$want"
    ;;
  *)
    valid_version "$want"
    use_or_build terraform "$want"
    ;;
esac
