# Terraform 1.14 and later: POST /v2/bot/message/push, when you ask for it:
#   terraform apply -invoke=action.line_push_message.deployed
action "line_push_message" "deployed" {
  config {
    group_id = "C0c500000000000000000000000000001"
    text     = "Deployed to production."
  }
}
