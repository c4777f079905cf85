# Two memberships declared one by one, now under for_each: moved blocks keep them,
# so the plan changes nothing at LINE.
moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.group["ops_alerts"]
}

moved {
  from = line_bot_membership.release
  to   = line_bot_membership.group["release_train"]
}

resource "line_bot_membership" "group" {
  for_each = {
    ops_alerts    = "C0c500000000000000000000000000001"
    release_train = "C4e1ea5e0000000000000000000000002"
  }
  group_id = each.value
}
