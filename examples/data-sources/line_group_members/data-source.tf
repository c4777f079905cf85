# Needs a verified or premium LINE Official Account.
data "line_group_members" "ops" {
  group_id         = "C0c500000000000000000000000000001"
  include_profiles = true
}

output "ops_member_names" {
  value = [for p in data.line_group_members.ops.profiles : p.display_name]
}
