# A status card instead of a wall of text: any LINE message objects, here a
# Flex Message built with jsonencode. The plan asks LINE's validate endpoint
# whether it would accept the card, without sending it, and fails with LINE's
# reason and the property at fault.
variable "deployed_release" {
  type    = string
  default = "v1.4.2"
}

action "line_push_message" "status_card" {
  config {
    group_id = "C0c500000000000000000000000000001"
    messages_json = jsonencode([{
      type    = "flex"
      altText = "checkout ${var.deployed_release}: deployed"
      contents = {
        type = "bubble"
        body = {
          type    = "box"
          layout  = "vertical"
          spacing = "sm"
          contents = [
            { type = "text", text = "Deploy", weight = "bold", color = "#1DB446", size = "sm" },
            { type = "text", text = "checkout ${var.deployed_release}", weight = "bold", size = "xl" },
            {
              type   = "box"
              layout = "baseline"
              contents = [
                { type = "text", text = "Status", color = "#aaaaaa", size = "sm", flex = 2 },
                { type = "text", text = "Deployed", size = "sm", flex = 5 },
              ]
            },
          ]
        }
        footer = {
          type   = "box"
          layout = "vertical"
          contents = [{
            type   = "button"
            style  = "link"
            action = { type = "uri", label = "Open the pipeline", uri = "https://ci.example.com/runs/1234" }
          }]
        }
      }
    }])
  }
}
