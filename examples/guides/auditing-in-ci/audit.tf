terraform {
  required_providers {
    line = {
      source  = "tf-line/line"
      version = "~> 0.1"
    }
  }
}

# Credentials come from the environment: in CI, LINE_CHANNEL_ID with
# LINE_CHANNEL_PRIVATE_KEY and LINE_CHANNEL_KEY_ID.
provider "line" {}

# The chats the bot must be in, by a name of your choosing. Group chat IDs start
# with C, multi-person chat IDs with R.
locals {
  chats = {
    ops_alerts    = "C0c500000000000000000000000000001"
    release_train = "C4e1ea5e0000000000000000000000002"
    standup       = "R400b0000000000000000000000000001"
  }
}

# The memberships, kept in state: the bot leaves a chat only when you mean it.
resource "line_bot_membership" "chat" {
  for_each = local.chats
  group_id = startswith(each.value, "C") ? each.value : null
  room_id  = startswith(each.value, "R") ? each.value : null

  lifecycle {
    prevent_destroy = true
  }
}

# The audit: every plan asks LINE whether the bot is in each chat, and fails,
# naming the chat, when it is not.
data "line_bot_membership" "audit" {
  for_each = local.chats
  group_id = startswith(each.value, "C") ? each.value : null
  room_id  = startswith(each.value, "R") ? each.value : null

  lifecycle {
    postcondition {
      condition     = self.is_member
      error_message = "The bot is not in ${each.key} (${each.value}). A member removed it, or it left: invite it back from the LINE app, then plan again."
    }
  }
}
