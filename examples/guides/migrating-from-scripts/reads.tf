# What a script fetched with curl, read on every plan instead.

# GET /v2/bot/info
data "line_bot_info" "bot" {}

# GET /v2/bot/group/{groupId}/summary
data "line_group_summary" "ops" {
  group_id = "C0c500000000000000000000000000001"
}

# GET /v2/bot/group/{groupId}/members/count
data "line_group_member_count" "ops" {
  group_id = "C0c500000000000000000000000000001"
}

# GET /v2/bot/group/{groupId}/members/ids, every page, and with include_profiles
# GET /v2/bot/group/{groupId}/member/{userId} for each member
data "line_group_members" "ops" {
  group_id         = "C0c500000000000000000000000000001"
  include_profiles = true
}

# GET /v2/bot/message/quota and /v2/bot/message/quota/consumption
data "line_message_quota" "this" {}

# Asks GET /v2/bot/group/{groupId}/summary on every refresh; destroying it is
# POST /v2/bot/group/{groupId}/leave.
resource "line_bot_membership" "ops" {
  group_id = "C0c500000000000000000000000000001"
}
