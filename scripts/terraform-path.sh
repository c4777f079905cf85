#!/usr/bin/env bash
# Prints the path of a Terraform CLI to run against; never downloads a release.
#
#   scripts/terraform-path.sh           terraform on PATH, or else the oldest supported version, built
#   scripts/terraform-path.sh 1.5.7     that version: PATH's terraform if it is that version, or else
#                                       built once from the Go module proxy into the cache folder
#
# The cache folder is $TF_LINE_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-line.
# Releases after 1.8.5 cannot be built with `go install`, so only versions up to that can be built.
set -euo pipefail

oldest=1.5.7
want=${1:-}
cache=${TF_LINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-line}

if on_path=$(command -v terraform 2>/dev/null); then
  if [ -z "$want" ]; then
    echo "$on_path"
    exit 0
  fi
  if "$on_path" version -json 2>/dev/null | grep -q "\"terraform_version\": *\"$want\""; then
    echo "$on_path"
    exit 0
  fi
fi

want=${want:-$oldest}
dir="$cache/terraform-$want"
if [ ! -x "$dir/terraform" ]; then
  echo "building Terraform $want from the Go module proxy into $dir (about 5 minutes, once)" >&2
  mkdir -p "$dir"
  # GOFLAGS is cleared so that a caller's -mod or -tags cannot change how Terraform builds.
  GOFLAGS= GOBIN="$dir" go install "github.com/hashicorp/terraform@v$want" >&2
fi
echo "$dir/terraform"
