# Fail the plan, naming the chat, when the bot is not in it: with terraform plan
# -detailed-exitcode, CI sees 0 while the bot is there and 1 once it is gone.
data "line_bot_membership" "ops" {
  group_id = "C0c500000000000000000000000000001"

  lifecycle {
    postcondition {
      condition     = self.is_member
      error_message = "The bot is not in Ops alerts (C0c500000000000000000000000000001): invite it back from the LINE app."
    }
  }
}
