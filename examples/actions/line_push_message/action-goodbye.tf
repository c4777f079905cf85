# Goodbye before leaving: destroying the membership makes the bot leave the
# chat, so say why first, while the bot can still post. before_destroy needs
# Terraform 1.16 or later.
action "line_push_message" "goodbye" {
  config {
    room_id               = "R400b0000000000000000000000000001"
    text                  = "This bot is leaving the chat: the team moved to the Ops alerts group."
    notification_disabled = true
  }
}

resource "line_bot_membership" "standup" {
  room_id = "R400b0000000000000000000000000001"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.line_push_message.goodbye]
    }
  }
}
