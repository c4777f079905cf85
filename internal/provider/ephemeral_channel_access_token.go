package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*channelAccessTokenEphemeral)(nil)

// channelAccessTokenEphemeral hands a fresh stateless token to other configuration (another
// provider block, an http data source) without writing it to state or plan: Terraform 1.10+
// keeps ephemeral values out of both.
type channelAccessTokenEphemeral struct {
	data *providerData
}

func newChannelAccessTokenEphemeral() ephemeral.EphemeralResource {
	return &channelAccessTokenEphemeral{}
}

func (e *channelAccessTokenEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_channel_access_token"
}

func (e *channelAccessTokenEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A new 15-minute stateless channel access token, issued with the provider's channel " +
			"credentials (`channel_id` with `channel_private_key` and `channel_key_id`, or with `channel_secret`) " +
			"each time Terraform opens it (once per plan and once per apply). It is never written to state or plan, " +
			"so it can configure another provider or tool without leaking. It cannot be renewed. Needs Terraform 1.10 " +
			"or later. A provider that uses a channel access token cannot issue tokens: `channel_access_token` in the " +
			"provider block, or `LINE_CHANNEL_ACCESS_TOKEN` while the block sets no channel credentials, takes " +
			"precedence over channel credentials.",
		Attributes: map[string]schema.Attribute{
			"access_token": schema.StringAttribute{
				Computed:            true,
				Sensitive:           true,
				MarkdownDescription: "The channel access token, for an `Authorization: Bearer` header. LINE accepts it for 15 minutes; it cannot be revoked.",
			},
			"expires_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When LINE stops accepting the token, in RFC 3339 (UTC), counted from when it was requested.",
			},
		},
	}
}

type channelAccessTokenModel struct {
	AccessToken types.String `tfsdk:"access_token"`
	ExpiresAt   types.String `tfsdk:"expires_at"`
}

func (e *channelAccessTokenEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *channelAccessTokenEphemeral) Open(ctx context.Context, _ ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if notConfigured(&resp.Diagnostics, e.data) {
		return
	}
	token, err := e.data.client.IssueToken(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, e.data, "Unable to issue a LINE channel access token", err)
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &channelAccessTokenModel{
		AccessToken: types.StringValue(token.AccessToken),
		ExpiresAt:   types.StringValue(token.ExpiresAt.UTC().Format(time.RFC3339)),
	})...)
}
