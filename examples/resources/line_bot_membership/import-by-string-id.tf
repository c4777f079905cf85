import {
  to = line_bot_membership.ops
  id = "C0c500000000000000000000000000001"
}
