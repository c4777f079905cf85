// Package provider adapts the LINE client to the Terraform plugin framework: schemas, models
// and diagnostics. It never builds a URL itself.
package provider

import (
	"context"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// Environment variables read when the provider block leaves the setting out.
const (
	envAccessToken   = "LINE_CHANNEL_ACCESS_TOKEN"
	envAPIEndpoint   = "LINE_API_ENDPOINT"
	envChannelID     = "LINE_CHANNEL_ID"
	envChannelSecret = "LINE_CHANNEL_SECRET"
)

var (
	_ provider.Provider            = (*lineProvider)(nil)
	_ provider.ProviderWithActions = (*lineProvider)(nil)
)

type lineProvider struct {
	version string
}

// New returns a constructor for the provider, as providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &lineProvider{version: version}
	}
}

type providerModel struct {
	ChannelAccessToken types.String `tfsdk:"channel_access_token"`
	ChannelID          types.String `tfsdk:"channel_id"`
	ChannelSecret      types.String `tfsdk:"channel_secret"`
	APIEndpoint        types.String `tfsdk:"api_endpoint"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
	RateLimit          types.Int64  `tfsdk:"rate_limit"`
}

func (p *lineProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "line"
	resp.Version = p.version
}

func (p *lineProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads LINE group chats and multi-person chats and keeps a LINE Official Account's " +
			"(bot's) chat memberships in Terraform state. Credentials are taken, in this order, from " +
			"`channel_access_token`, then `channel_id` with `channel_secret` (stateless tokens issued as needed), " +
			"each falling back to its environment variable.",
		Attributes: map[string]schema.Attribute{
			"channel_access_token": schema.StringAttribute{
				MarkdownDescription: "A channel access token of the Messaging API channel. Takes precedence over " +
					"`channel_id` and `channel_secret`. May also be set with the `" + envAccessToken + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"channel_id": schema.StringAttribute{
				MarkdownDescription: "The channel ID of the Messaging API channel. With `channel_secret` and no access token, " +
					"the provider issues 15-minute stateless channel access tokens as it needs them. May also be set with the `" +
					envChannelID + "` environment variable.",
				Optional: true,
				Validators: []validator.String{
					stringMatches(channelIDPattern, "a channel ID: the decimal digits shown in the LINE Developers Console"),
				},
			},
			"channel_secret": schema.StringAttribute{
				MarkdownDescription: "The channel secret of the Messaging API channel, used with `channel_id`. May also be set " +
					"with the `" + envChannelSecret + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"api_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the LINE API. Defaults to `" + lineclient.DefaultEndpoint + "`. `http://` is " +
					"accepted only for loopback hosts (a local mock), so that a token never crosses a network in clear. " +
					"May also be set with the `" + envAPIEndpoint + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one attempt of a request may take, as a duration such as `\"30s\"` or " +
					"`\"1m\"`. Defaults to `\"30s\"`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried after LINE answers 429 or a server error, or " +
					"the network fails. Defaults to `5`; `0` turns retries off.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"rate_limit": schema.Int64Attribute{
				MarkdownDescription: "Requests per second that the provider allows itself, across all of its concurrent " +
					"operations. Defaults to `500`, a quarter of LINE's limit of 2,000 per endpoint.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 2000)},
			},
		},
	}
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client *lineclient.Client
	// credentialsHint completes the error shown when no credentials are configured.
	credentialsHint string
	// unknown is set when the configuration was not known at plan: nothing may call LINE.
	unknown bool
}

func (p *lineProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if cfg.ChannelAccessToken.IsUnknown() || cfg.ChannelID.IsUnknown() || cfg.ChannelSecret.IsUnknown() ||
		cfg.APIEndpoint.IsUnknown() || cfg.RequestTimeout.IsUnknown() || cfg.MaxRetries.IsUnknown() ||
		cfg.RateLimit.IsUnknown() {
		// A setting comes from a resource not yet created. Terraform asks again at apply, when
		// it is known; until then nothing calls LINE.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		data := &providerData{unknown: true}
		resp.DataSourceData, resp.ResourceData, resp.ActionData = data, data, data
		return
	}

	clientCfg := lineclient.Config{
		AccessToken:   stringOrEnv(cfg.ChannelAccessToken, envAccessToken),
		ChannelID:     stringOrEnv(cfg.ChannelID, envChannelID),
		ChannelSecret: stringOrEnv(cfg.ChannelSecret, envChannelSecret),
		Endpoint:      stringOrEnv(cfg.APIEndpoint, envAPIEndpoint),
		MaxRetries:    lineclient.DefaultMaxRetries,
		RateLimit:     lineclient.DefaultRateLimit,
	}
	if !cfg.RequestTimeout.IsNull() {
		// Validated at plan; the error cannot happen here.
		clientCfg.RequestTimeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString())
	}
	if !cfg.MaxRetries.IsNull() {
		clientCfg.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if !cfg.RateLimit.IsNull() {
		clientCfg.RateLimit = float64(cfg.RateLimit.ValueInt64())
	}

	client, err := lineclient.New(clientCfg)
	if err != nil {
		attr, source := "api_endpoint", "The api_endpoint setting"
		if cfg.APIEndpoint.IsNull() {
			source = "The " + envAPIEndpoint + " environment variable"
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid LINE API endpoint", source+" is not usable: "+err.Error()+".")
		return
	}
	data := &providerData{client: client, credentialsHint: credentialsHint(clientCfg)}
	resp.DataSourceData, resp.ResourceData, resp.ActionData = data, data, data
}

// credentialsHint explains, for an error at use, what is missing.
func credentialsHint(cfg lineclient.Config) string {
	switch {
	case cfg.ChannelID != "" && cfg.ChannelSecret == "":
		return "channel_id is set but channel_secret is not: set channel_secret in the provider block or the " +
			envChannelSecret + " environment variable, or set channel_access_token (" + envAccessToken + ")."
	case cfg.ChannelSecret != "" && cfg.ChannelID == "":
		return "channel_secret is set but channel_id is not: set channel_id in the provider block or the " +
			envChannelID + " environment variable, or set channel_access_token (" + envAccessToken + ")."
	}
	return "Set channel_access_token in the provider block or the " + envAccessToken + " environment variable; " +
		"or set channel_id and channel_secret (" + envChannelID + ", " + envChannelSecret + ") so that the provider " +
		"issues short-lived tokens itself."
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (p *lineProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newBotMembershipResource,
	}
}

func (p *lineProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newBotInfoDataSource,
		newGroupSummaryDataSource,
		newMemberCountDataSource(groupKind),
		newMemberCountDataSource(roomKind),
		newMembersDataSource(groupKind),
		newMembersDataSource(roomKind),
		newMemberProfileDataSource(groupKind),
		newMemberProfileDataSource(roomKind),
		newBotMembershipDataSource,
		newMessageQuotaDataSource,
	}
}

func (p *lineProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		newPushMessageAction,
	}
}
