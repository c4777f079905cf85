terraform {
  required_providers {
    line = {
      source = "tf-line/line"
    }
  }
}

# Recommended for CI: the channel ID and secret, from which the provider issues
# 15-minute stateless channel access tokens as it needs them. Nothing long-lived
# is stored, and nothing sensitive goes into the configuration:
#
#   export LINE_CHANNEL_ID=1650000001
#   export LINE_CHANNEL_SECRET=...   (from your CI's secret store)
provider "line" {}
