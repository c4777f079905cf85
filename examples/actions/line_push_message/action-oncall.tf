# Mention the on-call engineer by user ID; the chat shows @ and their name.
# They must be a member of the group: LINE refuses the push otherwise, and the
# error names the user.
variable "oncall_user_id" {
  type        = string
  description = "The LINE user ID of this week's on-call engineer."
  default     = "Ube000000000000000000000000000002"
}

action "line_push_message" "page_oncall" {
  config {
    group_id = "C0c500000000000000000000000000001"
    text     = "{oncall} checkout's error rate is over 5%. Runbook: https://runbooks.example.com/checkout"
    mentions = {
      oncall = var.oncall_user_id
    }
  }
}
