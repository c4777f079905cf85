data "line_group_member_profile" "aiko" {
  group_id = "C0c500000000000000000000000000001"
  user_id  = "Ua1c00000000000000000000000000001"
}

output "aiko" {
  value = data.line_group_member_profile.aiko.display_name
}
