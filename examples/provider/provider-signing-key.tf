variable "line_channel_private_key" {
  type      = string
  sensitive = true
}

# An assertion signing key: the provider signs a short JWT with the private key and
# LINE answers with a 15-minute stateless token. The channel secret is not needed.
provider "line" {
  channel_id          = "1650000001"
  channel_key_id      = "7e4c5b1a-0d2f-4c3b-9a8e-6f5d4c3b2a10" # shown when the public key was registered
  channel_private_key = var.line_channel_private_key           # the JWK (or PEM) of the private key
}
