# The demo's configuration: what a team writes for its LINE Official Account.
# `make demo` runs it against the built-in mock LINE API; the provider block is
# empty because credentials and the endpoint come from the environment
# (LINE_CHANNEL_ID, LINE_CHANNEL_SECRET and LINE_API_ENDPOINT).

terraform {
  required_providers {
    line = {
      source  = "tf-line/line"
      version = "~> 0.1"
    }
  }
}

provider "line" {}

locals {
  ops_alerts    = "C0c500000000000000000000000000001"
  release_train = "C4e1ea5e0000000000000000000000002"
  all_hands     = "Ca11a4d50000000000000000000000004"
  standup_room  = "R400b0000000000000000000000000001"
}

# Read: who the bot is, and what the chats look like.
data "line_bot_info" "bot" {}

data "line_group_summary" "ops" {
  group_id = local.ops_alerts
}

data "line_group_member_count" "all_hands" {
  group_id = local.all_hands
}

data "line_group_members" "all_hands" {
  group_id = local.all_hands
}

data "line_group_members" "ops" {
  group_id         = local.ops_alerts
  include_profiles = true
}

data "line_room_members" "standup" {
  room_id = local.standup_room
}

# Adopt: the bot was invited to these chats from the LINE app; Terraform records it.
resource "line_bot_membership" "ops" {
  group_id = local.ops_alerts
}

resource "line_bot_membership" "release" {
  group_id = local.release_train
}

resource "line_bot_membership" "standup" {
  room_id = local.standup_room
}

# Audit: every plan asks LINE whether the bot is in each chat, and fails, naming
# the chat, when it is not. In CI, terraform plan -detailed-exitcode then exits 0
# while the bot is everywhere it should be, and 1 once it is missing somewhere.
data "line_bot_membership" "audit" {
  for_each = {
    ops_alerts    = local.ops_alerts
    release_train = local.release_train
    standup_room  = local.standup_room
  }
  group_id = startswith(each.value, "C") ? each.value : null
  room_id  = startswith(each.value, "R") ? each.value : null

  lifecycle {
    postcondition {
      condition     = self.is_member
      error_message = "The bot is not in ${each.key} (${each.value}). A member removed it, or it left: invite it back from the LINE app, then plan again."
    }
  }
}

output "bot" {
  value = "${data.line_bot_info.bot.display_name} (${data.line_bot_info.bot.basic_id})"
}

output "ops_group" {
  value = "${data.line_group_summary.ops.group_name}: ${join(", ", [for p in data.line_group_members.ops.profiles : p.display_name])}"
}

output "all_hands" {
  value = "${data.line_group_member_count.all_hands.member_count} members, ${length(data.line_group_members.all_hands.user_ids)} listed (LINE lists only members who consented)"
}

output "standup_room_members" {
  value = length(data.line_room_members.standup.user_ids)
}

output "memberships" {
  value = { for m in [line_bot_membership.ops, line_bot_membership.release, line_bot_membership.standup] : m.id => coalesce(m.group_name, "(multi-person chat)") }
}
