variable "groups" {
  description = "The group chats the bot must be in, by a name of your choosing."
  type        = map(string)
  default = {
    ops_alerts    = "C0c500000000000000000000000000001"
    release_train = "C4e1ea5e0000000000000000000000002"
  }
}

variable "rooms" {
  description = "The multi-person chats the bot must be in."
  type        = map(string)
  default = {
    standup = "R400b0000000000000000000000000001"
  }
}

# One membership per chat, addressed by its name: line_bot_membership.group["ops_alerts"].
# Renaming a key is a rename of the membership: add a moved block when you do.
resource "line_bot_membership" "group" {
  for_each = var.groups
  group_id = each.value

  lifecycle {
    prevent_destroy = true
  }
}

resource "line_bot_membership" "room" {
  for_each = var.rooms
  room_id  = each.value

  lifecycle {
    prevent_destroy = true
  }
}
