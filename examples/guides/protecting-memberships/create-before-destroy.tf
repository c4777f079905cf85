resource "line_bot_membership" "ops" {
  # Changed from the old group's ID: the new group is adopted first, and the bot
  # leaves the old one only once that has worked.
  group_id = "C4e1ea5e0000000000000000000000002"

  lifecycle {
    create_before_destroy = true
  }
}
