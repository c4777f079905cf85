package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// channelCredentials are provider settings that authenticate with the demo channel's ID and
// a secret, with no access token.
func channelCredentials(secret string) string {
	return fmt.Sprintf("channel_id     = %q\n  channel_secret = %q", linemock.DemoChannelID, secret)
}

// A full plan, apply and destroy with stateless tokens issued from the channel ID and secret.
func TestAccProvider_channelIDAndSecret(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := mock.configWith(channelCredentials(linemock.DemoChannelSecret), `
data "line_bot_info" "bot" {}
data "line_group_members" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}
resource "line_bot_membership" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}
resource "line_bot_membership" "room" {
  room_id = "`+linemock.DemoRoom+`"
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps, linemock.DemoRoom),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
					statecheck.ExpectKnownValue("line_bot_membership.ops", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
				},
				Check: func(*terraform.State) error {
					for _, r := range mock.Requests() {
						if r.Endpoint == linemock.EndpointStatelessToken || r.Status == 401 {
							continue
						}
						if r.Header.Get("Authorization") == "Bearer "+linemock.DemoToken {
							return fmt.Errorf("%s used the long-lived demo token, want an issued one", r.Endpoint)
						}
					}
					if mock.CountRequests(linemock.EndpointStatelessToken) == 0 {
						return fmt.Errorf("no stateless token was issued")
					}
					return nil
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// Each provider process issues one token, however many operations share it.
func TestAccProvider_oneTokenPerProviderProcess(t *testing.T) {
	fixture, ids := withGroups(20)
	mock := newMockLINE(t, fixture)
	config := mock.configWith(channelCredentials(linemock.DemoChannelSecret), membershipsBody(ids))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// One plan (one provider process) refreshing 20 memberships concurrently.
				PreConfig: mock.ResetRequests,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					tokens := mock.CountRequests(linemock.EndpointStatelessToken)
					summaries := mock.CountRequests(linemock.EndpointGroupSummary)
					if tokens != 1 || summaries != len(ids) {
						t.Fatalf("the plan made %d token requests and %d summary requests, want 1 and %d", tokens, summaries, len(ids))
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// A wrong secret fails at first use, naming the settings and quoting LINE, after exactly one
// token request: LINE's 400 is not retried, and the refusal is shared by every operation.
func TestAccProvider_wrongChannelSecret(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(channelCredentials("not-the-secret"), `
data "line_bot_info" "bot" {}
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}
data "line_room_member_count" "room" {
  room_id = "`+linemock.DemoRoom+`"
}`),
			ExpectError: wrapped(`LINE answered 400: Invalid 'client_credentials'\..*` +
				`LINE refused the channel ID and secret \(from channel_id in the provider block and channel_secret in the provider block\)\. ` +
				`Check them against the channel's Basic settings`),
		}},
	})
	if got := mock.CountRequests(linemock.EndpointStatelessToken); got != 1 {
		t.Fatalf("%d token requests, want exactly 1", got)
	}
	if got := mock.CountRequests(""); got != 1 {
		t.Fatalf("%d requests in all, want only the token request", got)
	}
}

func TestAccProvider_accessTokenTakesPrecedence(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  `+channelCredentials("not-the-secret"), botInfoConfig),
			Check: func(*terraform.State) error {
				if n := mock.CountRequests(linemock.EndpointStatelessToken); n != 0 {
					return fmt.Errorf("%d token requests although an access token is set", n)
				}
				return nil
			},
		}},
	})
}

// A channel ID in the block without a secret anywhere fails at the first call, and says that
// the environment's token is not used: the block chose the channel ID and secret.
// Not parallel: t.Setenv.
func TestAccProvider_halfChannelCredentials(t *testing.T) {
	mock := newMockLINE(t, nil)
	t.Setenv(envAccessToken, linemock.DemoToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(`channel_id = "`+linemock.DemoChannelID+`"`, botInfoConfig),
			ExpectError: wrapped(`no LINE credentials.*channel_id is set but neither a private key nor channel_secret is: set ` +
				`channel_private_key with channel_key_id .*or channel_secret \(or LINE_CHANNEL_SECRET\).*Not used, because credentials in the provider block take ` +
				`precedence .*: the LINE_CHANNEL_ACCESS_TOKEN environment variable`),
		}},
	})
	if n := mock.CountRequests(""); n != 0 {
		t.Fatalf("%d requests reached LINE, want none", n)
	}
}

// The case: channel_id and channel_secret written in the provider block win over a stray
// LINE_CHANNEL_ACCESS_TOKEN (and the environment's own channel ID and secret) in the shell.
// Not parallel: t.Setenv.
func TestAccProvider_blockCredentialsBeatEnvironment(t *testing.T) {
	mock := newMockLINE(t, nil)
	const junk = "junk-from-the-shell"
	t.Setenv(envAccessToken, junk)
	t.Setenv(envChannelID, "1000000000")
	t.Setenv(envChannelSecret, junk)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(channelCredentials(linemock.DemoChannelSecret), botInfoConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
			},
			Check: func(*terraform.State) error {
				for _, r := range mock.Requests() {
					if r.Header.Get("Authorization") == "Bearer "+junk {
						return fmt.Errorf("%s carried the environment's token", r.Endpoint)
					}
				}
				if mock.CountRequests(linemock.EndpointStatelessToken) == 0 {
					return fmt.Errorf("no stateless token was issued from the block's channel ID and secret")
				}
				return nil
			},
		}},
	})
}

// An empty string counts as unset: a variable with an empty default does not hide the
// environment's token. Not parallel: t.Setenv.
func TestAccProvider_emptyStringFallsBackToEnvironment(t *testing.T) {
	mock := newMockLINE(t, nil)
	t.Setenv(envAccessToken, linemock.DemoToken)
	t.Setenv(envAPIEndpoint, mock.URL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: `
variable "token" {
  type    = string
  default = ""
}
provider "line" {
  api_endpoint         = ""
  channel_access_token = var.token
  channel_id           = ""
  channel_secret       = ""
  request_timeout      = ""
}
` + botInfoConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
			},
		}},
	})
}
