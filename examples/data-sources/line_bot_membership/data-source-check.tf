# Warn instead of failing: a check block reports a failed assertion as a warning,
# and HCP Terraform can run it as a health check. Its data source is read during
# apply, so every plan has a change to show: terraform plan -detailed-exitcode
# exits 2 even when nothing changed. Keep check blocks out of an exit-code audit.
check "bot_in_release_train" {
  data "line_bot_membership" "release" {
    group_id = "C4e1ea5e0000000000000000000000002"
  }

  assert {
    condition     = data.line_bot_membership.release.is_member
    error_message = "The bot is no longer in Release train: invite it back from the LINE app."
  }
}
