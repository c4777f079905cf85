# Needs a verified or premium LINE Official Account.
data "line_room_members" "standup" {
  room_id = "R400b0000000000000000000000000001"
}

output "standup_user_ids" {
  value = data.line_room_members.standup.user_ids
}
