data "line_bot_info" "bot" {}

output "bot" {
  value = "${data.line_bot_info.bot.display_name} (${data.line_bot_info.bot.basic_id})"
}
