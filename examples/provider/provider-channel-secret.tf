variable "line_channel_secret" {
  type      = string
  sensitive = true
}

# The channel ID and secret set in the configuration rather than the environment.
# Written here, they win over a LINE_CHANNEL_ACCESS_TOKEN left in the shell.
provider "line" {
  channel_id     = "1650000001"
  channel_secret = var.line_channel_secret

  # Optional tuning; the defaults suit most runs.
  request_timeout = "30s" # per attempt, on the wire
  max_retries     = 5     # after 5xx answers, network errors and a proxy's 429s
  rate_limit      = 500   # requests per second, across the whole run
}
