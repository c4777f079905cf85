# Audit the bot's presence on every plan: a failed assertion is a warning,
# so the plan still succeeds and CI can report it.
check "bot_in_ops_alerts" {
  data "line_bot_membership" "ops" {
    group_id = "C0c500000000000000000000000000001"
  }

  assert {
    condition     = data.line_bot_membership.ops.is_member
    error_message = "The bot is no longer in the Ops alerts group: invite it back from the LINE app."
  }
}
