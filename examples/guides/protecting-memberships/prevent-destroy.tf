resource "line_bot_membership" "ops" {
  group_id = "C0c500000000000000000000000000001"

  lifecycle {
    # Any plan that would destroy this membership (terraform destroy, removing
    # the block, a replacement) fails, and nothing is changed.
    prevent_destroy = true
  }
}
