package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// forbiddingClient is a client of a server that answers every request as LINE answers an
// account that may not use an endpoint.
func forbiddingClient(t *testing.T) *lineclient.Client {
	t.Helper()
	srv := linemocktest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"Access to this API is not available for your account"}`))
	}))
	client, err := lineclient.New(lineclient.Config{Endpoint: srv.URL, AccessToken: "t", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// A 403 speaks of member lists only where it came from one: counts and profiles are open to
// every account, so there it points at the credentials instead.
func TestAdviceFor_forbidden(t *testing.T) {
	ctx := context.Background()
	client := forbiddingClient(t)
	chat := lineclient.GroupChat(linemock.DemoGroupOps)
	data := &providerData{client: client}

	_, countErr := client.MemberCount(ctx, chat)
	_, profileErr := client.MemberProfile(ctx, chat, linemock.DemoUserAiko)
	_, summaryErr := client.GroupSummary(ctx, chat.ID)
	for name, err := range map[string]error{"count": countErr, "profile": profileErr, "summary": summaryErr} {
		if !lineclient.IsForbidden(err) {
			t.Fatalf("%s: %v, want a 403", name, err)
		}
		advice := adviceFor(data, err)
		if strings.Contains(advice, "verified") || strings.Contains(advice, "member") ||
			!strings.Contains(advice, "open to every LINE Official Account") {
			t.Errorf("%s: advice %q", name, advice)
		}
	}
}

// The advice on an authentication failure names where the credentials came from.
func TestAdviceFor_namesCredentialSources(t *testing.T) {
	unauthorized := &lineclient.APIError{Operation: "get bot info", StatusCode: http.StatusUnauthorized, Attempts: 1}
	fromEnv := &providerData{creds: resolveCredentials(providerModel{}, env(map[string]string{envAccessToken: "t"}))}
	if got := adviceFor(fromEnv, unauthorized); !strings.Contains(got, "The channel access token from the LINE_CHANNEL_ACCESS_TOKEN environment variable is invalid") {
		t.Errorf("401 with the environment's token: %q", got)
	}
	pair := resolveCredentials(providerModel{ChannelID: types.StringValue("1")}, env(map[string]string{envChannelSecret: "s"}))
	refused := &lineclient.TokenError{Refused: true, Err: &lineclient.APIError{StatusCode: http.StatusBadRequest}}
	if got := adviceFor(&providerData{creds: pair}, refused); !strings.Contains(got,
		"(from channel_id in the provider block and the LINE_CHANNEL_SECRET environment variable)") {
		t.Errorf("refused channel ID and secret: %q", got)
	}
}

// A 401 is blamed on the credential behind the refused token, named by where it was set: the
// long-lived token, the private key (with its key ID), or the secret, in the block or the
// environment.
func TestAdviceFor_unauthorizedNamesTheTokensSource(t *testing.T) {
	unauthorized := &lineclient.APIError{Operation: "get bot info", StatusCode: http.StatusUnauthorized, Attempts: 2}
	for name, tc := range map[string]struct {
		block       providerModel
		env         map[string]string
		want, never []string
	}{
		"token in the block": {
			block: providerModel{ChannelAccessToken: types.StringValue("t")},
			want:  []string{"The channel access token from channel_access_token in the provider block is invalid"},
			never: []string{"private key", "secret"},
		},
		"token in the environment": {
			env:   map[string]string{envAccessToken: "t"},
			want:  []string{"The channel access token from the LINE_CHANNEL_ACCESS_TOKEN environment variable is invalid"},
			never: []string{"private key", "secret"},
		},
		"key in the block": {
			block: providerModel{ChannelID: types.StringValue("1"), ChannelPrivateKey: types.StringValue("k"), ChannelKeyID: types.StringValue("kid")},
			want: []string{"private key from channel_private_key in the provider block",
				"key ID from channel_key_id in the provider block", "channel ID from channel_id in the provider block"},
			never: []string{"channel_secret", "channel access token from"},
		},
		"key in the environment": {
			env: map[string]string{envChannelID: "1", envChannelPrivateKey: "k", envChannelKeyID: "kid", envChannelSecret: "s"},
			want: []string{"private key from the LINE_CHANNEL_PRIVATE_KEY environment variable",
				"key ID from the LINE_CHANNEL_KEY_ID environment variable"},
			never: []string{"channel_secret", "LINE_CHANNEL_SECRET"},
		},
		"secret in the block": {
			block: providerModel{ChannelID: types.StringValue("1"), ChannelSecret: types.StringValue("s")},
			want:  []string{"channel ID and secret (from channel_id in the provider block and channel_secret in the provider block)"},
			never: []string{"private key", "channel access token from"},
		},
		"secret in the environment": {
			env:   map[string]string{envChannelID: "1", envChannelSecret: "s"},
			want:  []string{"(from the LINE_CHANNEL_ID environment variable and the LINE_CHANNEL_SECRET environment variable)"},
			never: []string{"private key", "channel access token from"},
		},
	} {
		data := &providerData{creds: resolveCredentials(tc.block, env(tc.env))}
		got := adviceFor(data, unauthorized)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: advice %q lacks %q", name, got, w)
			}
		}
		for _, n := range tc.never {
			if strings.Contains(got, n) {
				t.Errorf("%s: advice %q names %q, which was not used", name, got, n)
			}
		}
	}
}

// Only LINE's rate-limit 429 is worth waiting for; the advice for another 429 says so.
func TestAdviceFor_tooManyRequests(t *testing.T) {
	data := &providerData{}
	rateLimited := &lineclient.APIError{StatusCode: http.StatusTooManyRequests, Message: "The API rate limit has been exceeded. Try again later.", Attempts: 3}
	if got := adviceFor(data, rateLimited); !strings.Contains(got, "still exceeded after 3 attempts") {
		t.Errorf("rate limit: %q", got)
	}
	monthly := &lineclient.APIError{StatusCode: http.StatusTooManyRequests, Message: "You have reached your monthly limit.", Attempts: 1}
	if got := adviceFor(data, monthly); !strings.Contains(got, "waiting does not lift") {
		t.Errorf("monthly limit: %q", got)
	}
}

// LINE may be asked only with a client made from a configuration known at this point: never
// before Configure, nor while the provider block waits for values known only after apply.
func TestProviderData_configured(t *testing.T) {
	client, err := lineclient.New(lineclient.Config{Endpoint: "http://127.0.0.1:9", AccessToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data *providerData
		want bool
	}{
		{"before Configure", nil, false},
		{"configuration unknown", &providerData{unknown: true}, false},
		{"no client", &providerData{}, false},
		{"configured", &providerData{client: client}, true},
	} {
		if got := tc.data.configured(); got != tc.want {
			t.Errorf("%s: configured() = %v, want %v", tc.name, got, tc.want)
		}
		var diags diag.Diagnostics
		if got := notConfigured(&diags, tc.data); got == tc.want || diags.HasError() == tc.want {
			t.Errorf("%s: notConfigured = %v with %v", tc.name, got, diags)
		}
	}
}
