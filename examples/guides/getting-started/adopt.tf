# Adopt the group the bot was invited to: the import block records the existing
# membership without changing anything at LINE.
import {
  to = line_bot_membership.ops
  id = "C0c500000000000000000000000000001" # the group ID that lineids printed
}

resource "line_bot_membership" "ops" {
  group_id = "C0c500000000000000000000000000001"

  lifecycle {
    # Destroying a membership makes the bot leave, and only a member's new
    # invitation brings it back: refuse any plan that would do it.
    prevent_destroy = true
  }
}

# The first audit: the plan fails, naming the group, when the bot is not in it.
data "line_bot_membership" "ops" {
  group_id = "C0c500000000000000000000000000001"

  lifecycle {
    postcondition {
      condition     = self.is_member
      error_message = "The bot is not in the ops group (C0c500000000000000000000000000001): invite it back from the LINE app."
    }
  }
}
