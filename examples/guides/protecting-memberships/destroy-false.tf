# Terraform 1.16 and later: whatever would destroy this membership (terraform
# destroy, a shrinking for_each, a replacement) forgets it instead; the bot stays.
resource "line_bot_membership" "all_hands" {
  group_id = "Ca11a4d50000000000000000000000004"

  lifecycle {
    destroy = false
  }
}
