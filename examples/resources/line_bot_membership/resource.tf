# Adopt a group chat the bot was invited to. Destroying this makes the bot leave.
resource "line_bot_membership" "ops" {
  group_id = "C0c500000000000000000000000000001"

  # Leaving cannot be undone through the API: guard the memberships you rely on.
  lifecycle {
    prevent_destroy = true
  }
}

# A legacy multi-person chat. With leave_on_destroy = false, destroying only
# forgets the membership and the bot stays in the chat.
resource "line_bot_membership" "standup" {
  room_id          = "R400b0000000000000000000000000001"
  leave_on_destroy = false
}
