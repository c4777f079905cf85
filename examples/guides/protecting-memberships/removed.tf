# Terraform 1.7 and later: stop managing the standup room's membership. The block
# that declared it is gone; Terraform forgets the membership and the bot stays.
removed {
  from = line_bot_membership.standup

  lifecycle {
    destroy = false
  }
}
