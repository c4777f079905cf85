variable "line_channel_access_token" {
  type      = string
  sensitive = true
}

# A long-lived (or otherwise issued) channel access token. Set here, it takes
# precedence over every other credential, LINE_* environment variables included.
# An empty string counts as unset: with var.line_channel_access_token = "", the
# provider falls back to LINE_CHANNEL_ACCESS_TOKEN.
provider "line" {
  channel_access_token = var.line_channel_access_token
}
