data "line_group_summary" "ops" {
  group_id = "C0c500000000000000000000000000001"
}

output "ops_group_name" {
  value = data.line_group_summary.ops.group_name
}
