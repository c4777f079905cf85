locals {
  groups = {
    ops_alerts    = "C0c500000000000000000000000000001"
    release_train = "C4e1ea5e0000000000000000000000002"
    all_hands     = "Ca11a4d50000000000000000000000004"
  }
}

# Terraform 1.7 and later: adopt every membership in one plan.
import {
  for_each = local.groups
  to       = line_bot_membership.group[each.key]
  id       = each.value
}

resource "line_bot_membership" "group" {
  for_each = local.groups
  group_id = each.value
}
