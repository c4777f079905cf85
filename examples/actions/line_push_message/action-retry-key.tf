# Sent once per pipeline run, however often the job is re-run:
#   terraform apply -invoke=action.line_push_message.run_failed -var="ci_run_id=$CI_RUN_ID"
# The retry key is a UUID derived from the run's ID, and LINE accepts one push
# per key for 24 hours after the first. A re-run within that time sends
# nothing: its apply succeeds and says the message was already delivered.
variable "ci_run_id" {
  type        = string
  description = "The CI system's ID of this pipeline run."
}

action "line_push_message" "run_failed" {
  config {
    group_id  = "C0c500000000000000000000000000001"
    text      = "❌ Pipeline run ${var.ci_run_id} failed: https://ci.example.com/runs/${var.ci_run_id}"
    retry_key = uuidv5("url", "https://ci.example.com/runs/${var.ci_run_id}")
  }
}
