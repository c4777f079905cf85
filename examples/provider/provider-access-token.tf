variable "line_channel_access_token" {
  type      = string
  sensitive = true
}

# A long-lived (or otherwise issued) channel access token. It takes precedence
# over channel_id and channel_secret. LINE_CHANNEL_ACCESS_TOKEN works as well.
provider "line" {
  channel_access_token = var.line_channel_access_token
}
