# Renamed from line_bot_membership.ops: Terraform moves the membership in state, so
# nothing is destroyed or created and the bot stays in the chat.
resource "line_bot_membership" "ops_alerts" {
  group_id = "C0c500000000000000000000000000001"
}

moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.ops_alerts
}

# A for_each key renamed from "release" to "release-train", for the same chat.
resource "line_bot_membership" "team" {
  for_each = {
    "release-train" = "C4e1ea5e0000000000000000000000002"
  }
  group_id = each.value
}

moved {
  from = line_bot_membership.team["release"]
  to   = line_bot_membership.team["release-train"]
}
