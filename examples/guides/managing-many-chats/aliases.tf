variable "ops_bot_private_key" {
  type      = string
  sensitive = true
}

variable "sales_bot_secret" {
  type      = string
  sensitive = true
}

# One provider configuration per bot (LINE Official Account). Environment variables
# would give both the same credentials, so each block names its own.
provider "line" {
  alias               = "ops"
  channel_id          = "1650000001"
  channel_key_id      = "7e4c5b1a-0d2f-4c3b-9a8e-6f5d4c3b2a10"
  channel_private_key = var.ops_bot_private_key
}

provider "line" {
  alias          = "sales"
  channel_id     = "1650000002"
  channel_secret = var.sales_bot_secret
}

resource "line_bot_membership" "ops_alerts" {
  provider = line.ops
  group_id = "C0c500000000000000000000000000001"
}

resource "line_bot_membership" "sales_team" {
  provider = line.sales
  group_id = "C5a1e5000000000000000000000000005"
}
