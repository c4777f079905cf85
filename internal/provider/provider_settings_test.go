package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// block builds a provider block: a missing key is null; a key set to "" is the empty string.
func block(attrs map[string]string) providerModel {
	get := func(name string) types.String {
		if v, ok := attrs[name]; ok {
			return types.StringValue(v)
		}
		return types.StringNull()
	}
	return providerModel{
		ChannelAccessToken: get("channel_access_token"),
		ChannelID:          get("channel_id"),
		ChannelSecret:      get("channel_secret"),
		APIEndpoint:        get("api_endpoint"),
	}
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

const (
	inBlock       = " in the provider block"
	fromEnvTok    = "the LINE_CHANNEL_ACCESS_TOKEN environment variable"
	fromEnvID     = "the LINE_CHANNEL_ID environment variable"
	fromEnvSecret = "the LINE_CHANNEL_SECRET environment variable"
)

func TestResolveCredentials(t *testing.T) {
	envToken := map[string]string{envAccessToken: "env-token"}
	envPair := map[string]string{envChannelID: "222", envChannelSecret: "env-secret"}
	envAll := map[string]string{envAccessToken: "env-token", envChannelID: "222", envChannelSecret: "env-secret"}
	blockPair := map[string]string{"channel_id": "111", "channel_secret": "block-secret"}

	type want struct {
		token, id, secret string // the value used for each, "" for none
		sources           []string
		shadowed          []string
	}
	cases := []struct {
		name  string
		block map[string]string
		env   map[string]string
		want  want
	}{
		{name: "nothing", want: want{}},
		{name: "block token", block: map[string]string{"channel_access_token": "block-token"},
			want: want{token: "block-token", sources: []string{"channel_access_token" + inBlock}}},
		{name: "env token", env: envToken,
			want: want{token: "env-token", sources: []string{fromEnvTok}}},
		{name: "block token beats env token", block: map[string]string{"channel_access_token": "block-token"}, env: envToken,
			want: want{token: "block-token", sources: []string{"channel_access_token" + inBlock}, shadowed: []string{fromEnvTok}}},
		{name: "block ID and secret beat env token", block: blockPair, env: envAll,
			want: want{id: "111", secret: "block-secret", sources: []string{"channel_id" + inBlock, "channel_secret" + inBlock},
				shadowed: []string{fromEnvTok, fromEnvID, fromEnvSecret}}},
		{name: "empty block token falls back to env token", block: map[string]string{"channel_access_token": ""}, env: envToken,
			want: want{token: "env-token", sources: []string{fromEnvTok}}},
		{name: "empty block settings fall back to env pair", block: map[string]string{"channel_access_token": "", "channel_id": "", "channel_secret": ""}, env: envPair,
			want: want{id: "222", secret: "env-secret", sources: []string{fromEnvID, fromEnvSecret}}},
		{name: "empty block token and nothing else", block: map[string]string{"channel_access_token": ""},
			want: want{}},
		{name: "within the env token beats pair", env: envAll,
			want: want{token: "env-token", sources: []string{fromEnvTok}, shadowed: []string{fromEnvID, fromEnvSecret}}},
		{name: "within the block token beats pair", block: map[string]string{"channel_access_token": "block-token", "channel_id": "111", "channel_secret": "block-secret"},
			want: want{token: "block-token", sources: []string{"channel_access_token" + inBlock},
				shadowed: []string{"channel_id" + inBlock, "channel_secret" + inBlock}}},
		{name: "block ID pairs with env secret", block: map[string]string{"channel_id": "111"}, env: envPair,
			want: want{id: "111", secret: "env-secret", sources: []string{"channel_id" + inBlock, fromEnvSecret}, shadowed: []string{fromEnvID}}},
		{name: "block secret pairs with env ID over env token", block: map[string]string{"channel_secret": "block-secret"}, env: envAll,
			want: want{id: "222", secret: "block-secret", sources: []string{fromEnvID, "channel_secret" + inBlock}, shadowed: []string{fromEnvTok, fromEnvSecret}}},
		{name: "block ID without any secret does not fall back to env token", block: map[string]string{"channel_id": "111"}, env: envToken,
			want: want{id: "111", sources: []string{"channel_id" + inBlock}, shadowed: []string{fromEnvTok}}},
		{name: "env ID alone", env: map[string]string{envChannelID: "222"},
			want: want{id: "222", sources: []string{fromEnvID}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := resolveCredentials(block(tc.block), env(tc.env))
			if c.token.value != tc.want.token || c.channelID.value != tc.want.id || c.channelSecret.value != tc.want.secret {
				t.Errorf("used token %q, ID %q, secret %q; want %q, %q, %q",
					c.token.value, c.channelID.value, c.channelSecret.value, tc.want.token, tc.want.id, tc.want.secret)
			}
			var sources []string
			for _, s := range []setting{c.token, c.channelID, c.channelSecret} {
				if s.set() {
					sources = append(sources, s.source)
				}
			}
			if !slices.Equal(sources, tc.want.sources) {
				t.Errorf("sources %q, want %q", sources, tc.want.sources)
			}
			var shadowed []string
			for _, s := range c.shadowed {
				shadowed = append(shadowed, s.source)
			}
			if !slices.Equal(shadowed, tc.want.shadowed) {
				t.Errorf("shadowed %q, want %q", shadowed, tc.want.shadowed)
			}
			// The hint and the description name places, never values.
			for _, text := range []string{c.hint(), c.describe()} {
				for _, secret := range []string{"block-token", "env-token", "block-secret", "env-secret"} {
					if strings.Contains(text, secret) {
						t.Errorf("%q reveals %s", text, secret)
					}
				}
			}
		})
	}
}

func TestCredentialsHint(t *testing.T) {
	cases := []struct {
		name  string
		block map[string]string
		env   map[string]string
		want  []string
	}{
		{name: "nothing", want: []string{"Set channel_access_token in the provider block or the LINE_CHANNEL_ACCESS_TOKEN environment variable"}},
		{name: "ID without secret", block: map[string]string{"channel_id": "111"}, env: map[string]string{envAccessToken: "t"},
			want: []string{
				"channel_id is set but neither a private key nor channel_secret is: set channel_private_key with channel_key_id (or the " +
					"LINE_CHANNEL_PRIVATE_KEY and LINE_CHANNEL_KEY_ID environment variables), or channel_secret (or LINE_CHANNEL_SECRET)",
				"Not used, because credentials in the provider block take precedence over the environment, and a token over a private key over a secret: " + fromEnvTok + ".",
			}},
		{name: "secret without ID", env: map[string]string{envChannelSecret: "s"},
			want: []string{"channel_secret is set but channel_id is not: set channel_id in the provider block or the LINE_CHANNEL_ID environment variable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := resolveCredentials(block(tc.block), env(tc.env))
			hint := c.hint()
			for _, w := range tc.want {
				if !strings.Contains(hint, w) {
					t.Errorf("hint %q lacks %q", hint, w)
				}
			}
			// Only credentials that were set and not used are named as such.
			if len(c.shadowed) == 0 && strings.Contains(hint, "Not used") {
				t.Errorf("hint %q names unused credentials, but none were set", hint)
			}
		})
	}
}

func TestCredentialsDescribe(t *testing.T) {
	cases := map[string]struct {
		block map[string]string
		env   map[string]string
		want  string
	}{
		"token": {env: map[string]string{envAccessToken: "t"}, want: "the channel access token from " + fromEnvTok},
		"pair": {block: map[string]string{"channel_id": "111"}, env: map[string]string{envChannelSecret: "s"},
			want: "stateless tokens issued from channel_id in the provider block and " + fromEnvSecret},
		"incomplete": {block: map[string]string{"channel_id": "111"}, want: "none"},
	}
	for name, tc := range cases {
		if got := resolveCredentials(block(tc.block), env(tc.env)).describe(); got != tc.want {
			t.Errorf("%s: describe() = %q, want %q", name, got, tc.want)
		}
	}
}

func TestEndpointSetting(t *testing.T) {
	cases := []struct {
		name  string
		block map[string]string
		env   map[string]string
		want  setting
	}{
		{name: "default", want: setting{}},
		{name: "env", env: map[string]string{envAPIEndpoint: "http://127.0.0.1:1"},
			want: setting{"http://127.0.0.1:1", "the LINE_API_ENDPOINT environment variable"}},
		{name: "block beats env", block: map[string]string{"api_endpoint": "http://127.0.0.1:2"}, env: map[string]string{envAPIEndpoint: "http://127.0.0.1:1"},
			want: setting{"http://127.0.0.1:2", "api_endpoint in the provider block"}},
		{name: "empty block falls back to env", block: map[string]string{"api_endpoint": ""}, env: map[string]string{envAPIEndpoint: "http://127.0.0.1:1"},
			want: setting{"http://127.0.0.1:1", "the LINE_API_ENDPOINT environment variable"}},
	}
	for _, tc := range cases {
		if got := endpointSetting(block(tc.block), env(tc.env)); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestUserAgent(t *testing.T) {
	cases := []struct{ provider, terraform, want string }{
		{"1.2.3", "1.11.4", "terraform-provider-line/1.2.3 (+https://registry.terraform.io/providers/tf-line/line) Terraform/1.11.4"},
		// A Terraform that does not say its version is left out, not guessed.
		{"dev", "", "terraform-provider-line/dev (+https://registry.terraform.io/providers/tf-line/line)"},
	}
	for _, tc := range cases {
		if got := userAgent(tc.provider, tc.terraform); got != tc.want {
			t.Errorf("userAgent(%q, %q) = %q, want %q", tc.provider, tc.terraform, got, tc.want)
		}
	}
}

// The private key joins the precedence: within each source a token, then a private key (with
// its key ID), then a secret; the block still beats the environment.
func TestResolveCredentialsWithPrivateKey(t *testing.T) {
	blockKey := func(attrs map[string]string) providerModel {
		m := block(attrs)
		m.ChannelPrivateKey, m.ChannelKeyID = types.StringNull(), types.StringNull()
		if v, ok := attrs["channel_private_key"]; ok {
			m.ChannelPrivateKey = types.StringValue(v)
		}
		if v, ok := attrs["channel_key_id"]; ok {
			m.ChannelKeyID = types.StringValue(v)
		}
		return m
	}
	envKey := map[string]string{envChannelID: "222", envChannelPrivateKey: "env-key", envChannelKeyID: "env-kid"}
	cases := []struct {
		name                        string
		block, env                  map[string]string
		token, id, secret, key, kid string
		shadowed                    []string
	}{
		{name: "env key beats env secret", env: map[string]string{envChannelID: "222", envChannelSecret: "env-secret", envChannelPrivateKey: "env-key", envChannelKeyID: "env-kid"},
			id: "222", key: "env-key", kid: "env-kid", shadowed: []string{fromEnvSecret}},
		{name: "env token beats env key", env: map[string]string{envAccessToken: "env-token", envChannelID: "222", envChannelPrivateKey: "env-key", envChannelKeyID: "env-kid"},
			token: "env-token", shadowed: []string{fromEnvID, "the LINE_CHANNEL_PRIVATE_KEY environment variable", "the LINE_CHANNEL_KEY_ID environment variable"}},
		{name: "block key beats block secret", block: map[string]string{"channel_id": "111", "channel_secret": "block-secret", "channel_private_key": "block-key", "channel_key_id": "block-kid"},
			id: "111", key: "block-key", kid: "block-kid", shadowed: []string{"channel_secret" + inBlock}},
		{name: "block token beats block key", block: map[string]string{"channel_access_token": "block-token", "channel_id": "111", "channel_private_key": "block-key", "channel_key_id": "block-kid"},
			token: "block-token", shadowed: []string{"channel_id" + inBlock, "channel_private_key" + inBlock, "channel_key_id" + inBlock}},
		{name: "block secret beats env key", block: map[string]string{"channel_id": "111", "channel_secret": "block-secret"}, env: envKey,
			id: "111", secret: "block-secret", shadowed: []string{fromEnvID, "the LINE_CHANNEL_PRIVATE_KEY environment variable", "the LINE_CHANNEL_KEY_ID environment variable"}},
		{name: "block key beats env token", block: map[string]string{"channel_private_key": "block-key"}, env: map[string]string{envAccessToken: "env-token", envChannelID: "222", envChannelKeyID: "env-kid"},
			id: "222", key: "block-key", kid: "env-kid", shadowed: []string{fromEnvTok}},
		{name: "block ID completed by env key", block: map[string]string{"channel_id": "111"}, env: envKey,
			id: "111", key: "env-key", kid: "env-kid", shadowed: []string{fromEnvID}},
		{name: "block key ID with env key", block: map[string]string{"channel_key_id": "block-kid"}, env: envKey,
			id: "222", key: "env-key", kid: "block-kid", shadowed: []string{"the LINE_CHANNEL_KEY_ID environment variable"}},
		{name: "empty block key falls back to env", block: map[string]string{"channel_private_key": "", "channel_key_id": ""}, env: envKey,
			id: "222", key: "env-key", kid: "env-kid"},
		{name: "key without its ID is still the key", env: map[string]string{envChannelID: "222", envChannelPrivateKey: "env-key", envChannelSecret: "env-secret"},
			id: "222", key: "env-key", shadowed: []string{fromEnvSecret}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := resolveCredentials(blockKey(tc.block), env(tc.env))
			got := []string{c.token.value, c.channelID.value, c.channelSecret.value, c.privateKey.value, c.keyID.value}
			want := []string{tc.token, tc.id, tc.secret, tc.key, tc.kid}
			if !slices.Equal(got, want) {
				t.Errorf("used token, ID, secret, key, kid = %q, want %q", got, want)
			}
			var shadowed []string
			for _, s := range c.shadowed {
				shadowed = append(shadowed, s.source)
			}
			if !slices.Equal(shadowed, tc.shadowed) {
				t.Errorf("shadowed %q, want %q", shadowed, tc.shadowed)
			}
			for _, text := range []string{c.hint(), c.describe()} {
				for _, secret := range []string{"block-key", "env-key", "block-secret", "env-secret", "block-token", "env-token"} {
					if strings.Contains(text, secret) {
						t.Errorf("%q reveals %s", text, secret)
					}
				}
			}
		})
	}
}
