terraform {
  required_providers {
    line = {
      source  = "tf-line/line"
      version = "~> 0.1"
    }
  }
}

# Credentials come from the environment, so nothing secret is in the configuration.
# In CI, an assertion signing key:
#
#   export LINE_CHANNEL_ID=1650000001
#   export LINE_CHANNEL_KEY_ID=7e4c5b1a-...            # shown when the public key was registered
#   export LINE_CHANNEL_PRIVATE_KEY="$(cat key.jwk)"   # from your CI's secret store
#
# The simpler choice, for a first try: LINE_CHANNEL_ID and LINE_CHANNEL_SECRET.
provider "line" {}
