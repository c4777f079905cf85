package provider

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// setting is one provider setting's value and where it came from, so that diagnostics can
// name the place to change.
type setting struct {
	value  string
	source string // "channel_id in the provider block", "the LINE_CHANNEL_ID environment variable"; "" when unset
}

func (s setting) set() bool { return s.value != "" }

// or is s, or else fallback when s is unset.
func (s setting) or(fallback setting) setting {
	if s.set() {
		return s
	}
	return fallback
}

// fromBlock reads an attribute of the provider block. An empty string counts as unset, so that
// `channel_access_token = var.token` with an empty default falls through to the next rule
// instead of hiding it.
func fromBlock(v types.String, attr string) setting {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return setting{}
	}
	return setting{value: v.ValueString(), source: attr + " in the provider block"}
}

func fromEnv(getenv func(string) string, name string) setting {
	if v := getenv(name); v != "" {
		return setting{value: v, source: "the " + name + " environment variable"}
	}
	return setting{}
}

// credentials are what the provider authenticates with: a token, or a channel ID with an
// assertion signing key (private key and key ID) or a secret. An incomplete secret pair fails
// at the first call with a hint; an incomplete or malformed key fails at configure.
type credentials struct {
	token, channelID, channelSecret setting
	privateKey, keyID               setting
	// shadowed are credentials that are set but not used because others take precedence.
	shadowed []setting
}

// resolveCredentials applies the precedence the provider documents:
//
//  1. channel_access_token in the provider block;
//  2. channel_id with channel_private_key (and channel_key_id), else with channel_secret, when
//     the provider block sets any of them, each completed by its environment variable; a key
//     or secret written in the block beats the other from the environment;
//  3. LINE_CHANNEL_ACCESS_TOKEN;
//  4. LINE_CHANNEL_ID with LINE_CHANNEL_PRIVATE_KEY (and LINE_CHANNEL_KEY_ID), else with
//     LINE_CHANNEL_SECRET.
//
// Within each source: a token, then a private key, then a secret. The key comes before the
// secret because it is the narrower credential (the secret also signs webhooks).
//
// Credentials written in the block win over the environment, as in every widely used provider,
// so a stray token in a shell cannot redirect a configuration to another channel. A block that
// names a channel without its secret does not fall back to the environment's token: using a
// different credential than the one written would be a surprise; it fails with a hint instead.
func resolveCredentials(cfg providerModel, getenv func(string) string) credentials {
	blockToken := fromBlock(cfg.ChannelAccessToken, "channel_access_token")
	blockID := fromBlock(cfg.ChannelID, "channel_id")
	blockSecret := fromBlock(cfg.ChannelSecret, "channel_secret")
	envToken := fromEnv(getenv, envAccessToken)
	envID := fromEnv(getenv, envChannelID)
	envSecret := fromEnv(getenv, envChannelSecret)
	blockKey := fromBlock(cfg.ChannelPrivateKey, "channel_private_key")
	blockKID := fromBlock(cfg.ChannelKeyID, "channel_key_id")
	envKey := fromEnv(getenv, envChannelPrivateKey)
	envKID := fromEnv(getenv, envChannelKeyID)

	var c credentials
	switch {
	case blockToken.set():
		c.token = blockToken
	case blockID.set() || blockSecret.set() || blockKey.set() || blockKID.set():
		c.channelID = blockID.or(envID)
		switch {
		case blockKey.set():
			c.privateKey, c.keyID = blockKey, blockKID.or(envKID)
		case blockSecret.set():
			c.channelSecret = blockSecret
		case envKey.set():
			c.privateKey, c.keyID = envKey, blockKID.or(envKID)
		default:
			c.channelSecret = envSecret
		}
	case envToken.set():
		c.token = envToken
	default:
		c.channelID = envID
		if envKey.set() {
			c.privateKey, c.keyID = envKey, envKID
		} else {
			c.channelSecret = envSecret
		}
	}
	used := []setting{c.token, c.channelID, c.channelSecret, c.privateKey, c.keyID}
	for _, s := range []setting{blockID, blockSecret, blockKey, blockKID, envToken, envID, envSecret, envKey, envKID} {
		if s.set() && !slices.Contains(used, s) {
			c.shadowed = append(c.shadowed, s)
		}
	}
	return c
}

// describe says, for logs and diagnostics, which credentials are used; it never holds a value.
func (c credentials) describe() string {
	switch {
	case c.token.set():
		return "the channel access token from " + c.token.source
	case c.channelID.set() && c.channelSecret.set():
		return "stateless tokens issued from " + c.channelID.source + " and " + c.channelSecret.source
	case c.channelID.set() && c.privateKey.set():
		return "stateless tokens issued by JWT assertion from " + c.channelID.source + ", " + c.privateKey.source +
			" and " + c.keyID.source
	}
	return "none"
}

// endpointSetting is api_endpoint, else LINE_API_ENDPOINT, else "" (the client's default).
func endpointSetting(cfg providerModel, getenv func(string) string) setting {
	return fromBlock(cfg.APIEndpoint, "api_endpoint").or(fromEnv(getenv, envAPIEndpoint))
}
