# Adopt the new chat first; the bot leaves the old one only once the new one is adopted.
resource "line_bot_membership" "ops" {
  group_id = "C4e1ea5e0000000000000000000000002"

  lifecycle {
    create_before_destroy = true
  }
}

# Terraform 1.7 and later: forget a membership removed from the configuration; the bot stays.
removed {
  from = line_bot_membership.standup

  lifecycle {
    destroy = false
  }
}

# Terraform 1.16 and later: terraform destroy forgets this membership; the bot stays.
resource "line_bot_membership" "all_hands" {
  group_id = "Ca11a4d50000000000000000000000004"

  lifecycle {
    destroy = false
  }
}
