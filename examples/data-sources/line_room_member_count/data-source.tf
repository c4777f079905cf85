data "line_room_member_count" "standup" {
  room_id = "R400b0000000000000000000000000001"
}

output "standup_members" {
  value = data.line_room_member_count.standup.member_count
}
