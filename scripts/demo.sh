#!/usr/bin/env bash
# make demo: a guided tour of the provider on the built-in mock LINE API. Needs only Go, and
# Terraform on PATH (or it builds the oldest supported one). Touches nothing outside a
# temporary folder, and stops the mock on the way out.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tf-line-demo.XXXXXX")
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
note() { printf '    %s\n' "$@"; }

# A tiny HTTP client for the mock's controls, so that the demo needs no curl.
control() { # METHOD PATH
  "$work/bin/linemockctl" "$1" "$mock_url$2"
}

say "Building the provider and the mock LINE API"
# Terraform gets a CLI configuration of the demo's own; dev_overrides is added below.
: > "$work/dev.tfrc"
export TF_CLI_CONFIG_FILE="$work/dev.tfrc"
terraform=${TERRAFORM:-$("$root/scripts/terraform-path.sh")}
note "Terraform: $terraform ($("$terraform" version | head -n 1))"
mkdir -p "$work/bin" "$work/plugins" "$work/config"
(cd "$root" && go build -o "$work/plugins/terraform-provider-line" . \
  && go build -o "$work/bin/linemock" ./internal/cmd/linemock \
  && go build -o "$work/bin/linemockctl" ./internal/cmd/linemockctl)

say "Starting the mock LINE API with its built-in demo world"
"$work/bin/linemock" -addr 127.0.0.1:0 > "$work/mock.log" 2> "$work/mock.err" &
mock_pid=$!
for _ in $(seq 1 100); do
  if head -n 1 "$work/mock.log" 2>/dev/null | grep -q '^listening on '; then break; fi
  sleep 0.1
done
mock_url=$(head -n 1 "$work/mock.log" | sed 's/^listening on //')
[ -n "$mock_url" ] || { echo "the mock did not start:"; cat "$work/mock.log" "$work/mock.err"; exit 1; }
note "$mock_url answers like api.line.me: a bot, four groups, two multi-person chats."

say "Pointing Terraform at the freshly built provider (dev_overrides)"
cat > "$work/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "tf-line/line" = "$work/plugins"
  }
  direct {}
}
TFRC
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# Credentials as CI would pass them: the channel ID and secret, from which the provider
# issues 15-minute stateless tokens. The endpoint is the mock's.
export LINE_API_ENDPOINT="$mock_url" LINE_CHANNEL_ID=1650000001 LINE_CHANNEL_SECRET=8c9a2f1e4b7d6a3c5e0f1a2b3c4d5e6f
# The demo's credentials only: a token, key or secret from the shell would take precedence.
unset LINE_CHANNEL_ACCESS_TOKEN LINE_CHANNEL_PRIVATE_KEY LINE_CHANNEL_KEY_ID
cp "$root/demo/main.tf" "$work/config/main.tf"
note "Configuration: demo/main.tf (reads groups and rooms, adopts three memberships, audits all three)."
tf() { "$terraform" -chdir="$work/config" "$@" 2> >(grep -v -e 'Provider development overrides' -e 'dev_overrides' >&2); }

say "terraform apply: read the chats and adopt the bot's memberships"
tf apply -auto-approve -input=false -no-color | sed -n '/^Apply complete/,$p'

# Actions came with Terraform 1.14: older versions cannot even parse an action block.
tf_version=$("$terraform" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n 1)
if [ "$(printf '%s\n%s\n' "$tf_version" 1.14.0 | sort -V | head -n 1)" = 1.14.0 ]; then
  say "terraform apply -invoke: push a message to the Ops group on demand (the line_push_message action)"
  cp "$root/demo/notify.tf" "$work/config/notify.tf"
  note "Configuration: demo/notify.tf. A push counts against the monthly quota once per member of the chat."
  tf apply -auto-approve -input=false -no-color -invoke=action.line_push_message.hello \
    | grep -E -e '^Action started|Pushing to|Delivered|^Action complete|^Apply complete' | sed 's/^ */    /'
  note "What the mock received: $(control GET "/_mock/messages")"
  note "The month's quota use: $(control GET "/_mock/quota")"
else
  say "Actions: not shown"
  note "Terraform $tf_version is older than 1.14, the first version with actions, so the line_push_message" \
    "action is left out of this tour. Run make demo with Terraform 1.14 or later to see it."
fi

# The audit: terraform plan -detailed-exitcode, as CI runs it. plan writes to a file; the
# exit code is what CI reads.
audit() { # FILE [ENV=VALUE...]
  local out=$1; shift
  set +e
  env "$@" "$terraform" -chdir="$work/config" plan -input=false -no-color -detailed-exitcode > "$out" 2>&1
  code=$?
  set -e
}

say "terraform plan -detailed-exitcode: the audit, with the bot in every chat"
audit "$work/plan-present.txt"
grep -E '^No changes' "$work/plan-present.txt" | sed 's/^/    /' || true
note "Exit code $code: CI passes."
[ "$code" -eq 0 ] || { echo "expected exit code 0"; cat "$work/plan-present.txt"; exit 1; }

say "A member removes the bot from \"Release train\" in the LINE app (through the mock's controls)"
note "$(control POST "/_mock/chats/C4e1ea5e0000000000000000000000002/kick")"

say "terraform plan -detailed-exitcode: the audit notices"
audit "$work/plan-removed.txt"
grep -E -o 'Warning: The bot is no longer in .*' "$work/plan-removed.txt" | sed 's/^/    /' || true
grep -E -o 'Error: Resource postcondition failed' "$work/plan-removed.txt" | sed 's/^/    /' || true
grep -E -o 'The bot is not in [a-z_]+ \([CR][0-9a-f]+\)\.' "$work/plan-removed.txt" | sed 's/^/      /' || true
grep -E 'will be created|^Plan:' "$work/plan-removed.txt" | sed 's/^ *#* */    /'
note "Exit code $code: the plan fails and names the chat, which is how CI sees that the bot was removed."
[ "$code" -eq 1 ] || { echo "expected exit code 1"; cat "$work/plan-removed.txt"; exit 1; }

say "terraform plan -detailed-exitcode with a wrong channel secret: a failure of another kind"
audit "$work/plan-badcred.txt" LINE_CHANNEL_SECRET=00000000000000000000000000000000
grep -E -o -m 1 'Error: Unable to tell whether the bot is .*' "$work/plan-badcred.txt" | sed 's/^/    /' || true
grep -E -o -m 1 'LINE refused the channel ID and secret' "$work/plan-badcred.txt" | sed 's/^/      /' || true
note "Exit code $code, but the message says LINE refused the credentials: no chat is named as missing."
[ "$code" -eq 1 ] || { echo "expected exit code 1"; cat "$work/plan-badcred.txt"; exit 1; }
if grep -q 'postcondition' "$work/plan-badcred.txt"; then echo "a credential failure read as a removal"; exit 1; fi

say "terraform destroy: the bot leaves every chat Terraform manages"
tf destroy -auto-approve -input=false -no-color | grep -E '^(line_bot_membership|Destroy complete)' | sed 's/^/    /'

say "Asking the mock where the bot is now"
for chat in C0c500000000000000000000000000001 C4e1ea5e0000000000000000000000002 R400b0000000000000000000000000001; do
  note "$(control GET "/_mock/chats/$chat")"
done
control GET "/_mock/requests" > "$work/requests.json"
note "LINE API requests during the tour: $(grep -o '"total":[0-9]*' "$work/requests.json" | head -n 1 | cut -d: -f2)"

say "Done: the mock is stopped and the temporary folder removed."
