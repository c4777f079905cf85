# Once the bot is in a group, the group's member list gives every user ID that LINE
# lists (verified or premium accounts only), with names to tell them apart.
data "line_group_members" "ops" {
  group_id         = "C0c500000000000000000000000000001"
  include_profiles = true
}

output "ops_user_ids" {
  value = { for p in data.line_group_members.ops.profiles : p.display_name => p.user_id }
}
