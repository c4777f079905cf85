# A group chat, by its group ID
terraform import line_bot_membership.ops C0c500000000000000000000000000001

# A multi-person chat, by its room ID
terraform import line_bot_membership.standup R400b0000000000000000000000000001
