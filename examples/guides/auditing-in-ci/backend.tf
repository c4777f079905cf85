# Where the memberships' state lives, shared by whoever applies and by the audit.
# Any backend works; this is S3, reached in CI through OIDC (see the workflow).
terraform {
  backend "s3" {
    bucket = "example-terraform-state"
    key    = "line/terraform.tfstate"
    region = "ap-northeast-1"
  }
}
