# @All on a failed deploy: the CI job's failure step runs
#   terraform apply -invoke=action.line_push_message.deploy_failed -var="failed_release=v1.4.2"
# and everyone in the group is mentioned. With mentions, {everyone} in the
# text shows the mention of that key; {{ and }} show a literal brace.
variable "failed_release" {
  type    = string
  default = "v1.4.2"
}

action "line_push_message" "deploy_failed" {
  config {
    group_id = "C0c500000000000000000000000000001"
    text     = "{everyone} ❌ The deploy of ${var.failed_release} failed and is rolling back."
    mentions = {
      everyone = "all"
    }
  }
}
