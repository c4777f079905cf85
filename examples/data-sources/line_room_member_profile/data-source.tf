data "line_room_member_profile" "emi" {
  room_id = "R400b0000000000000000000000000001"
  user_id = "Ue3100000000000000000000000000005"
}

output "emi" {
  value = data.line_room_member_profile.emi.display_name
}
