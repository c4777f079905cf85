# Notify on deploy: tell the ops group whenever Terraform creates or changes
# the deployment. Needs Terraform 1.14 or later.
variable "release" {
  type    = string
  default = "v1.4.2"
}

action "line_push_message" "deployed" {
  config {
    group_id = "C0c500000000000000000000000000001"
    text     = "🚀 ${var.release} is live."
  }
}

resource "terraform_data" "deployment" {
  input = var.release

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.line_push_message.deployed]
    }
  }
}

# Or push on demand, without changing anything:
#   terraform apply -invoke=action.line_push_message.deployed
