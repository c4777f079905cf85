data "line_group_member_count" "ops" {
  group_id = "C0c500000000000000000000000000001"
}

# The bot itself is not counted.
output "ops_members" {
  value = data.line_group_member_count.ops.member_count
}
