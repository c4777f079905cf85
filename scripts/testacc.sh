#!/usr/bin/env bash
# Runs go test with the acceptance tests on, against one Terraform or OpenTofu CLI.
#
#   scripts/testacc.sh CLI [go test flags and packages]
#
# CLI is anything scripts/terraform-path.sh takes ("" for its default, 1.5.7, tofu-1.12.6, a
# path). terraform-plugin-testing serves the provider in-process under the address
# registry.terraform.io/hashicorp/line unless told otherwise, while OpenTofu reads a bare "line"
# as registry.opentofu.org/hashicorp/line: under OpenTofu the host is set to match.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 CLI [go test flags and packages]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$1" ]; then cli=$("$root/scripts/terraform-path.sh" "$1"); else cli=$("$root/scripts/terraform-path.sh"); fi
shift

export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli"
name=$(TF_CLI_CONFIG_FILE=/dev/null "$cli" version 2>/dev/null | awk '/^(Terraform|OpenTofu) v/ && !n++' || true)
case "$name" in
  "OpenTofu "*)
    export TF_ACC_PROVIDER_HOST=registry.opentofu.org
    # OpenTofu warns about a CLI configuration file that does not exist on stdout, before the
    # version that terraform-plugin-testing parses; /dev/null is an empty configuration instead.
    if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
      export TF_CLI_CONFIG_FILE=/dev/null
    fi
    ;;
  "") echo "testacc: $cli does not say what it is (\`$cli version\`)" >&2; exit 1 ;;
esac
echo "testacc: $name at $cli" >&2
exec "${GO:-go}" test "$@"
