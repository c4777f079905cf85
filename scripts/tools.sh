#!/usr/bin/env bash
# Prints the path of a pinned development tool, installing it from the Go module proxy first if needed.
#
#   scripts/tools.sh golangci-lint     linter (make lint)
#   scripts/tools.sh goreleaser        release builds (make release-check; CI uses goreleaser-action)
#   scripts/tools.sh actionlint        GitHub Actions workflow checks (make actionlint)
#   scripts/tools.sh tfplugindocs      documentation generator
#   scripts/tools.sh gremlins          mutation testing (make mutate)
#
# Only the path goes to stdout, so callers can write "$(scripts/tools.sh golangci-lint) run ./...".
# Each binary is kept as bin/<name>-<version> in the cache folder: changing a pin below installs the
# new version beside the old one, which is then removed.
# The cache folder is $TF_LINE_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-line.
set -euo pipefail

usage() {
  echo "usage: $0 golangci-lint|goreleaser|actionlint|tfplugindocs|gremlins" >&2
  exit 2
}

[ $# -eq 1 ] || usage
name=$1
case "$name" in
  golangci-lint) pkg=github.com/golangci/golangci-lint/v2/cmd/golangci-lint version=v2.15.0 ;;
  # Not v2.15.x: those list the SHA256SUMS signature inside SHA256SUMS after signing it, so the
  # signature no longer verifies (goreleaser/goreleaser#6514) and the Registry would refuse the release.
  goreleaser)    pkg=github.com/goreleaser/goreleaser/v2                    version=v2.16.0 ;;
  actionlint)    pkg=github.com/rhysd/actionlint/cmd/actionlint             version=v1.7.12 ;;
  tfplugindocs)  pkg=github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs version=v0.25.0 ;;
  gremlins)      pkg=github.com/go-gremlins/gremlins/cmd/gremlins             version=v0.6.0 ;;
  *) usage ;;
esac

cache=${TF_LINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-line}
bin="$cache/bin"
target="$bin/$name-$version"

if [ ! -x "$target" ]; then
  echo "installing $pkg@$version into $bin (once)" >&2
  mkdir -p "$bin"
  # A private GOBIN per run, then a rename, so that concurrent runs never see a half-written binary.
  tmp=$(mktemp -d "$bin/.install-$name.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # GOFLAGS is cleared so that a caller's -mod or -tags cannot change how the tool builds.
  GOFLAGS='' GOBIN="$tmp" go install "$pkg@$version" >&2
  mv -f "$tmp/$name" "$target"
  for old in "$bin/$name"-v*; do
    [ "$old" = "$target" ] || rm -f "$old"
  done
fi
echo "$target"
