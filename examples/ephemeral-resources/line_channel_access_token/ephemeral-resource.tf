# A fresh 15-minute token, issued with the provider's channel credentials
# (LINE_CHANNEL_ID, LINE_CHANNEL_PRIVATE_KEY and LINE_CHANNEL_KEY_ID in CI), kept
# out of state and plan (Terraform 1.10 or later).
ephemeral "line_channel_access_token" "ci" {}

# Another provider block configured with it: here, a second LINE provider, as a
# tool beside this one would be.
provider "line" {
  alias                = "issued"
  channel_access_token = ephemeral.line_channel_access_token.ci.access_token
}

data "line_bot_info" "bot" {
  provider = line.issued
}
