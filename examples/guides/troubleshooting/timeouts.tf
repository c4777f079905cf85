provider "line" {
  # Fewer requests per second when other tools share the channel's limit.
  rate_limit = 100
}

data "line_group_members" "all_hands" {
  group_id         = "Ca11a4d50000000000000000000000004"
  include_profiles = true

  # One request per member: a large group gets more than the default 5 minutes.
  timeouts {
    read = "15m"
  }
}
