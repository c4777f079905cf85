// Package provider adapts the LINE client to the Terraform plugin framework: schemas, models
// and diagnostics. It never builds a URL itself.
package provider

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// Environment variables read when the provider block leaves the setting out.
const (
	envAccessToken   = "LINE_CHANNEL_ACCESS_TOKEN"
	envAPIEndpoint   = "LINE_API_ENDPOINT"
	envChannelID     = "LINE_CHANNEL_ID"
	envChannelSecret = "LINE_CHANNEL_SECRET"
	// The assertion signing key: its private half (a JWK, or PEM) and the key ID LINE gave it.
	envChannelPrivateKey = "LINE_CHANNEL_PRIVATE_KEY"
	envChannelKeyID      = "LINE_CHANNEL_KEY_ID"
)

// maxRequestTimeout is the longest request_timeout: one attempt of one request; an
// operation's deadline is its timeouts block's.
const maxRequestTimeout = 5 * time.Minute

// registryURL is the provider's page, named in the User-Agent of every request.
const registryURL = "https://registry.terraform.io/providers/tf-line/line"

var (
	_ provider.Provider                       = (*lineProvider)(nil)
	_ provider.ProviderWithActions            = (*lineProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*lineProvider)(nil)
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
	ChannelPrivateKey  types.String `tfsdk:"channel_private_key"`
	ChannelKeyID       types.String `tfsdk:"channel_key_id"`
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
			"(bot's) chat memberships in Terraform state. Credentials are chosen in this order: `channel_access_token`; " +
			"`channel_id` with `channel_private_key` and `channel_key_id`, else with `channel_secret`, when the provider " +
			"block sets any of them (each completed by its environment variable); `" + envAccessToken + "`; `" +
			envChannelID + "` with `" + envChannelPrivateKey + "` and `" + envChannelKeyID + "`, else with `" +
			envChannelSecret + "`. An empty string counts as unset.",
		Attributes: map[string]schema.Attribute{
			"channel_access_token": schema.StringAttribute{
				MarkdownDescription: "A channel access token of the Messaging API channel, such as a long-lived one " +
					"issued in the LINE Developers Console. Set in the provider block, it takes precedence over every other " +
					"credential. When unset or `\"\"`, the `" + envAccessToken + "` environment variable is used, but only " +
					"while the provider block sets none of `channel_id`, `channel_private_key`, `channel_key_id` and " +
					"`channel_secret`; it then takes precedence over the other `LINE_CHANNEL_*` variables.",
				Optional:  true,
				Sensitive: true,
			},
			"channel_id": schema.StringAttribute{
				MarkdownDescription: "The channel ID of the Messaging API channel. With `channel_private_key` and " +
					"`channel_key_id`, or with `channel_secret`, the provider issues 15-minute stateless channel access " +
					"tokens as it needs them. Set in the provider block without `channel_access_token`, it makes the provider use " +
					"channel credentials, " +
					"completed from the environment where the block leaves them out, and never the `" + envAccessToken +
					"` environment variable. When unset or `\"\"`, the `" + envChannelID + "` environment variable is used.",
				Optional: true,
				Validators: []validator.String{
					unlessEmpty{stringMatches(channelIDPattern, "a channel ID: the decimal digits shown in the LINE Developers Console")},
				},
			},
			"channel_secret": schema.StringAttribute{
				MarkdownDescription: "The channel secret of the Messaging API channel, used with `channel_id`. Set in the " +
					"provider block, it takes precedence over the `" + envAccessToken + "` and `" + envChannelPrivateKey +
					"` environment variables; a `channel_private_key` set in the block takes precedence over it. When " +
					"unset or `\"\"`, the `" + envChannelSecret + "` environment variable is used.",
				Optional:  true,
				Sensitive: true,
			},
			"channel_private_key": schema.StringAttribute{
				MarkdownDescription: "The private half of an assertion signing key registered for the channel, as a JSON " +
					"Web Key (the form LINE's guide generates) or PEM (PKCS #1 or #8). LINE requires an RSA key of 2048 " +
					"bits. With `channel_id` and `channel_key_id`, the provider issues 15-minute stateless channel access " +
					"tokens by signed JWT assertion, so the channel secret need not be shared. Set in the provider block, " +
					"it takes precedence over `channel_secret`; from `" + envChannelPrivateKey + "`, it takes precedence over `" +
					envChannelSecret + "` but not over a `channel_secret` set in the block. Checked when the provider is " +
					"configured; never logged and never sent (only signatures are). When unset or `\"\"`, the `" +
					envChannelPrivateKey + "` environment variable is used.",
				Optional:  true,
				Sensitive: true,
			},
			"channel_key_id": schema.StringAttribute{
				MarkdownDescription: "The key ID (`kid`) the LINE Developers Console showed when the public half of " +
					"`channel_private_key` was registered. When unset or `\"\"`, the `" + envChannelKeyID + "` environment " +
					"variable is used.",
				Optional: true,
			},
			"api_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the LINE API. `http://` is accepted only for loopback hosts (a local " +
					"mock), so that a token never crosses a network in clear. When unset or `\"\"`, the `" + envAPIEndpoint +
					"` environment variable is used, else `" + lineclient.DefaultEndpoint + "`.",
				Optional:   true,
				Validators: []validator.String{unlessEmpty{endpointValidator{}}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one attempt of a request may take on the wire, as a duration such as " +
					"`\"30s\"` or `\"1m\"`, at most `\"5m\"`; time spent waiting for the provider's rate limiter does " +
					"not count. Defaults to `\"30s\"`.",
				Optional: true,
				Validators: []validator.String{unlessEmpty{durationValidator{atMost: maxRequestTimeout, why: "It bounds " +
					"one attempt of one request, which LINE answers within seconds; an operation's whole deadline, " +
					"retries included, is set in its timeouts block."}}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried after a server error (500, 502, 503 or 504), " +
					"a network failure or an attempt timeout, or a 429 that is not LINE's rate-limit answer (a proxy's). " +
					"Defaults to `5`; `0` turns these retries off. LINE's rate-limit answer (429) does not count " +
					"against it: it is retried until the operation's deadline (its `timeouts` block).",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"rate_limit": schema.Int64Attribute{
				MarkdownDescription: "Requests per second that the provider allows itself, across all of its concurrent " +
					"operations. Defaults to `500`, a quarter of LINE's limit of 2,000 per endpoint. While LINE answers " +
					"429 the provider slows down below it, and it never goes above it.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 2000)},
			},
		},
	}
}

func (p *lineProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if cfg.ChannelAccessToken.IsUnknown() || cfg.ChannelID.IsUnknown() || cfg.ChannelSecret.IsUnknown() ||
		cfg.ChannelPrivateKey.IsUnknown() || cfg.ChannelKeyID.IsUnknown() ||
		cfg.APIEndpoint.IsUnknown() || cfg.RequestTimeout.IsUnknown() || cfg.MaxRetries.IsUnknown() ||
		cfg.RateLimit.IsUnknown() {
		// A setting comes from a resource not yet created. Terraform asks again at apply, when
		// it is known; until then nothing calls LINE.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		data := &providerData{unknown: true, plans: newMembershipPlans()}
		resp.DataSourceData, resp.ResourceData = data, data
		resp.ActionData, resp.EphemeralResourceData = data, data
		return
	}

	creds := resolveCredentials(cfg, os.Getenv)
	endpoint := endpointSetting(cfg, os.Getenv)
	clientCfg := lineclient.Config{
		AccessToken:   creds.token.value,
		ChannelID:     creds.channelID.value,
		ChannelSecret: creds.channelSecret.value,
		// The private key (masked in every log by the client) wins over the secret there too.
		ChannelPrivateKey: creds.privateKey.value,
		ChannelKeyID:      creds.keyID.value,
		Endpoint:          endpoint.value,
		MaxRetries:        lineclient.DefaultMaxRetries,
		RateLimit:         lineclient.DefaultRateLimit,
		UserAgent:         userAgent(p.version, req.TerraformVersion),
	}
	if v := cfg.RequestTimeout.ValueString(); v != "" {
		// Validated at plan; the error cannot happen here.
		clientCfg.RequestTimeout, _ = time.ParseDuration(v)
	}
	if !cfg.MaxRetries.IsNull() {
		clientCfg.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if !cfg.RateLimit.IsNull() {
		clientCfg.RateLimit = float64(cfg.RateLimit.ValueInt64())
	}

	client, err := lineclient.New(clientCfg)
	var credErr *lineclient.CredentialsError
	if errors.As(err, &credErr) {
		addCredentialsError(&resp.Diagnostics, creds, credErr)
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("api_endpoint"), "Invalid LINE API endpoint",
			"The value of "+endpoint.source+" is not usable: "+err.Error()+".")
		return
	}
	// Which credentials, never their values: the answer to "why is my token not used?".
	tflog.Debug(ctx, "LINE provider configured", map[string]any{
		"credentials": creds.describe(),
		"user_agent":  clientCfg.UserAgent,
	})
	data := &providerData{client: client, creds: creds, plans: newMembershipPlans()}
	resp.DataSourceData, resp.ResourceData = data, data
	resp.ActionData, resp.EphemeralResourceData = data, data
}

// userAgent names the provider and the Terraform that runs it, in the form HashiCorp's
// providers use, so that LINE and proxies can tell this traffic from other SDK users'. A
// Terraform that does not say its version is left out rather than guessed.
func userAgent(providerVersion, terraformVersion string) string {
	ua := "terraform-provider-line/" + providerVersion + " (+" + registryURL + ")"
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}

func (p *lineProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newBotMembershipResource,
	}
}

func (p *lineProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newChannelAccessTokenEphemeral,
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
