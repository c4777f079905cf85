terraform {
  required_providers {
    line = {
      source  = "tf-line/line"
      version = "~> 0.1"
    }
  }
}

# Credentials come from the environment: LINE_CHANNEL_ID with LINE_CHANNEL_SECRET,
# or with LINE_CHANNEL_PRIVATE_KEY and LINE_CHANNEL_KEY_ID.
provider "line" {}

# A first read: the LINE Official Account the credentials belong to.
data "line_bot_info" "bot" {}

output "bot" {
  value = "${data.line_bot_info.bot.display_name} (${data.line_bot_info.bot.basic_id})"
}
