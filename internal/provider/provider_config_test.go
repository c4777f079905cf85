package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const botInfoConfig = `data "line_bot_info" "bot" {}`

func TestAccProvider_invalidToken(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(`channel_access_token = "expired-or-revoked"`, botInfoConfig),
			ExpectError: wrapped(`LINE answered 401: Authentication failed. Confirm that the access token in the authorization header is valid. .*` +
				`The channel access token from channel_access_token in the provider block is invalid, expired or revoked`),
		}},
	})
}

// Not parallel: it sets the provider's environment variables, which the in-process provider reads.
func TestAccProvider_settingsFromEnvironment(t *testing.T) {
	mock := newMockLINE(t, nil)
	t.Setenv(envAccessToken, linemock.DemoToken)
	t.Setenv(envAPIEndpoint, mock.URL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: botInfoConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
			},
		}},
	})
}

func TestAccProvider_missingToken(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(``, botInfoConfig),
			ExpectError: wrapped(`no LINE credentials.* Set channel_access_token in the provider block or the ` +
				`LINE_CHANNEL_ACCESS_TOKEN environment variable`),
		}},
	})
}

func TestAccProvider_endpointMustNotSendTokensInClear(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: `provider "line" {
  api_endpoint         = "http://api.line.me"
  channel_access_token = "x"
}
` + botInfoConfig,
			ExpectError: wrapped(`Invalid LINE API endpoint .*uses http:// for a host that is not loopback: use https://`),
		}},
	})
}

func TestAccProvider_invalidSettings(t *testing.T) {
	cases := map[string]string{
		`request_timeout = "soon"`:   `Attribute request_timeout must be a positive duration of at most 5m, such as "30s"`,
		`request_timeout = "-1s"`:    `Attribute request_timeout must be a positive duration`,
		`request_timeout = "5m1s"`:   `Attribute request_timeout must be a positive duration of at most 5m, such as "30s", "1m" or "1m30s", got: "5m1s". It bounds one attempt of one request`,
		`request_timeout = "87600h"`: `Attribute request_timeout must be a positive duration of at most 5m`,
		`max_retries = -1`:           `Attribute max_retries value must be between 0 and 20, got: -1`,
		`rate_limit = 0`:             `Attribute rate_limit value must be between 1 and 2000, got: 0`,
		`channel_id = "abc"`:         `Attribute channel_id must be a channel ID`,
	}
	for setting, want := range cases {
		t.Run(setting, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      "provider \"line\" {\n  " + setting + "\n}\n" + botInfoConfig,
					PlanOnly:    true,
					ExpectError: words(want),
				}},
			})
		})
	}
}

// A provider setting that comes from a resource is unknown at plan: the plan must neither fail
// nor call LINE, and the apply then works with the known value.
func TestAccProvider_unknownConfigurationAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %q
}
provider "line" {
  api_endpoint         = %q
  channel_access_token = terraform_data.token.output
}
resource "line_bot_membership" "ops" {
  group_id = %q
}`, linemock.DemoToken, mock.URL, linemock.DemoGroupOps)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					if n := mock.CountRequests(""); n != 0 {
						t.Fatalf("%d requests reached LINE while planning with an unknown token, want 0", n)
					}
				},
				Config: config,
				Check: func(*terraform.State) error {
					if mock.CountRequests(linemock.EndpointGroupSummary) == 0 {
						return fmt.Errorf("the apply did not ask LINE about the group")
					}
					return nil
				},
			},
		},
	})
}

// A data source cannot be read while the provider's configuration is unknown (Terraform would
// need deferred reads): the plan says so clearly and calls nothing.
func TestAccProvider_unknownConfigurationForDataSources(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %q
}
provider "line" {
  api_endpoint         = %q
  channel_access_token = terraform_data.token.output
}
data "line_bot_info" "bot" {}
`, linemock.DemoToken, mock.URL),
			ExpectError: wrapped(`LINE provider configuration not known yet .*uses values that are known only after apply`),
		}},
	})
	if n := mock.CountRequests(""); n != 0 {
		t.Fatalf("%d requests reached LINE with an unknown configuration, want 0", n)
	}
}

// Every request names the provider, its version (the test factory's "test") and the Terraform
// that runs it, before the SDK's own product token; the token endpoint's too.
func TestAccProvider_userAgent(t *testing.T) {
	mock := newMockLINE(t, nil)
	want := regexp.MustCompile(`^terraform-provider-line/test \(\+https://registry\.terraform\.io/providers/tf-line/line\) ` +
		`Terraform/\d+\.\d+\.\d+\S* LINE-BotSDK-Go/\S+$`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(channelCredentials(linemock.DemoChannelSecret), botInfoConfig),
			Check: func(*terraform.State) error {
				requests := mock.Requests()
				if mock.CountRequests(linemock.EndpointStatelessToken) == 0 || mock.CountRequests(linemock.EndpointBotInfo) == 0 {
					return fmt.Errorf("want token and bot info requests, got %d requests", len(requests))
				}
				for _, r := range requests {
					if ua := r.Header.Get("User-Agent"); !want.MatchString(ua) {
						return fmt.Errorf("%s sent User-Agent %q, want %s", r.Endpoint, ua, want)
					}
				}
				return nil
			},
		}},
	})
}
