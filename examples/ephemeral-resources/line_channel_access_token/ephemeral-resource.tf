# A fresh 15-minute token, issued with the provider's channel credentials (in CI,
# LINE_CHANNEL_ID, LINE_CHANNEL_PRIVATE_KEY and LINE_CHANNEL_KEY_ID; a
# LINE_CHANNEL_ACCESS_TOKEN would take precedence and leave nothing to issue with),
# kept out of state and plan (Terraform 1.10 or later). It is not renewed: what
# uses it must be done within 15 minutes.
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
