# Needs a verified or premium LINE Official Account.
data "line_group_members" "ops" {
  group_id         = "C0c500000000000000000000000000001"
  include_profiles = true

  # One request per member: give a large group more than the default 5 minutes
  # when LINE is throttling.
  timeouts {
    read = "10m"
  }
}

output "ops_member_names" {
  value = [for p in data.line_group_members.ops.profiles : p.display_name]
}
