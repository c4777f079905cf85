# Warn in every plan when less than a tenth of the month's messages are left.
# A failed assertion is a warning: the plan still succeeds. A check block's data
# source is read during apply, so terraform plan -detailed-exitcode exits 2 with
# it even when nothing changed: keep it out of configurations audited by exit code.
check "message_quota" {
  data "line_message_quota" "this" {}

  assert {
    # limit is null when the channel has no limit; coalesce keeps the
    # arithmetic valid on Terraform versions that evaluate both sides.
    condition = (
      !data.line_message_quota.this.limited ||
      data.line_message_quota.this.used < 0.9 * coalesce(data.line_message_quota.this.limit, 0)
    )
    error_message = "The LINE channel has used ${data.line_message_quota.this.used} of its ${coalesce(data.line_message_quota.this.limit, 0)} messages this month: pushes fail at the limit."
  }
}
