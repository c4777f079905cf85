resource "line_bot_membership" "standup" {
  room_id = "R400b0000000000000000000000000001"

  # Destroying this membership only forgets it; the bot stays in the room. Apply
  # the change before the destroy it is meant for: destroy reads it from state.
  leave_on_destroy = false
}
