# The membership was line_bot_membership.ops and is now ops_alerts: the moved
# block tells Terraform it is the same object, so the plan changes nothing at LINE.
moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.ops_alerts
}

resource "line_bot_membership" "ops_alerts" {
  group_id = "C0c500000000000000000000000000001"
}
