package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// noIssuedToken fails when any token the mock saw issued and used appears in v (a state or
// plan, as JSON).
func noIssuedToken(mock *mockLINE, what string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tokens := issuedBearers(mock)
	if len(tokens) == 0 {
		return fmt.Errorf("no issued token was used yet, so the %s check would prove nothing", what)
	}
	for _, tok := range tokens {
		if strings.Contains(string(raw), tok) {
			return fmt.Errorf("an issued token is in the %s", what)
		}
	}
	return nil
}

type stateHasNoToken struct{ mock *mockLINE }

func (c stateHasNoToken) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = noIssuedToken(c.mock, "state", req.State)
}

type planHasNoToken struct{ mock *mockLINE }

func (c planHasNoToken) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = noIssuedToken(c.mock, "plan", req.Plan)
}

// A provider alias configured with the ephemeral token reads a group; the token is issued by
// assertion and is in neither the plan nor the state.
func TestAccChannelAccessTokenEphemeral_configuresAnotherProvider(t *testing.T) {
	mock := newKeyedMock(t)
	config := mock.configWith(keyCredentials(keyJWK(t, testSigningKey(t)), testKID), fmt.Sprintf(`
ephemeral "line_channel_access_token" "x" {}

provider "line" {
  alias                = "issued"
  api_endpoint         = %q
  channel_access_token = ephemeral.line_channel_access_token.x.access_token
}

data "line_group_summary" "ops" {
  provider = line.issued
  group_id = %q
}`, mock.URL, linemock.DemoGroupOps))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{planHasNoToken{mock}},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_group_summary.ops", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
					stateHasNoToken{mock},
				},
			},
		},
	})
	// Every summary read used an issued token, not the fixture's, and every token came from
	// the assertion (the provider has no secret and no access token).
	var summaries int
	for _, r := range mock.Requests() {
		if r.Endpoint != linemock.EndpointGroupSummary {
			continue
		}
		summaries++
		if r.Header.Get("Authorization") == "Bearer "+linemock.DemoToken || r.Status != 200 {
			t.Errorf("a summary read used %q and got %d", r.Header.Get("Authorization")[:12], r.Status)
		}
	}
	if summaries == 0 || mock.CountRequests(linemock.EndpointStatelessToken) < 2 {
		t.Fatalf("%d summary reads and %d token requests, want reads and a token for each plan and apply",
			summaries, mock.CountRequests(linemock.EndpointStatelessToken))
	}
}

// With only an access token the provider cannot issue tokens: the error says what it needs.
func TestAccChannelAccessTokenEphemeral_needsChannelCredentials(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`ephemeral "line_channel_access_token" "x" {}`),
			ExpectError: wrapped(`Unable to issue a LINE channel access token.*issuing a channel access token needs a channel ID ` +
				`with a channel secret or an assertion signing key; only a channel access token is configured.*` +
				`set channel_id with channel_private_key and channel_key_id.*The provider uses the channel access token ` +
				`from channel_access_token in the provider block`),
		}},
	})
	if n := mock.CountRequests(""); n != 0 {
		t.Fatalf("%d requests, want none", n)
	}
}

// The secret path issues too; an unregistered kid fails the ephemeral resource as it fails
// data sources.
func TestAccChannelAccessTokenEphemeral_channelSecret(t *testing.T) {
	mock := newKeyedMock(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: mock.configWith(channelCredentials(linemock.DemoChannelSecret), fmt.Sprintf(`
ephemeral "line_channel_access_token" "x" {}
provider "line" {
  alias                = "issued"
  api_endpoint         = %q
  channel_access_token = ephemeral.line_channel_access_token.x.access_token
}
data "line_bot_info" "bot" {
  provider = line.issued
}`, mock.URL)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
					stateHasNoToken{mock},
				},
			},
		},
	})
}

func TestAccChannelAccessTokenEphemeral_unknownKey(t *testing.T) {
	mock := newKeyedMock(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      mock.configWith(keyCredentials(keyJWK(t, testSigningKey(t)), "not-registered"), `ephemeral "line_channel_access_token" "x" {}`),
			ExpectError: wrapped(`Unable to issue a LINE channel access token.*Cannot find channel key that satisfies the conditions.*No assertion signing key with the key ID`),
		}},
	})
	if n := mock.CountRequests(""); n != 1 {
		t.Fatalf("%d requests, want one token request", n)
	}
}

// Open, called directly: expires_at is RFC 3339 in UTC, 15 minutes from the request by the
// client's clock, and the token is one LINE accepts.
func TestChannelAccessTokenEphemeral_open(t *testing.T) {
	mock := newKeyedMock(t)
	client, err := lineclient.New(lineclient.Config{Endpoint: mock.URL, ChannelID: linemock.DemoChannelID,
		ChannelPrivateKey: keyJWK(t, testSigningKey(t)), ChannelKeyID: testKID})
	if err != nil {
		t.Fatal(err)
	}
	e := &channelAccessTokenEphemeral{data: &providerData{client: client}}
	ctx := context.Background()
	var schemaResp ephemeral.SchemaResponse
	e.Schema(ctx, ephemeral.SchemaRequest{}, &schemaResp)
	if !schemaResp.Schema.Attributes["access_token"].IsSensitive() {
		t.Fatal("access_token is not sensitive")
	}
	resp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{
		Schema: schemaResp.Schema,
		Raw:    tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil),
	}}
	before := time.Now()
	e.Open(ctx, ephemeral.OpenRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var got channelAccessTokenModel
	resp.Diagnostics.Append(resp.Result.Get(ctx, &got)...)
	expires, err := time.Parse(time.RFC3339, got.ExpiresAt.ValueString())
	if err != nil || !strings.HasSuffix(got.ExpiresAt.ValueString(), "Z") {
		t.Fatalf("expires_at %q is not RFC 3339 in UTC: %v", got.ExpiresAt.ValueString(), err)
	}
	if expires.Before(before.Add(15*time.Minute).Truncate(time.Second)) || expires.After(time.Now().Add(15*time.Minute)) {
		t.Fatalf("expires_at %s, want 15 minutes from the request", expires)
	}
	withToken, err := lineclient.New(lineclient.Config{Endpoint: mock.URL, AccessToken: got.AccessToken.ValueString()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := withToken.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
		t.Fatalf("the issued token: %v", err)
	}
}
