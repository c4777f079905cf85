# The demo's action, for Terraform 1.14 and later: make demo copies this file
# beside main.tf only when the Terraform it runs supports actions.

# Tell the Ops group, on demand: terraform apply -invoke=action.line_push_message.hello
action "line_push_message" "hello" {
  config {
    group_id = local.ops_alerts
    text     = "Hello from Terraform 👋 The bot's memberships are now managed as code."
  }
}
