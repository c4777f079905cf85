package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var _ datasource.DataSourceWithConfigure = (*botInfoDataSource)(nil)

type botInfoDataSource struct{ dataSourceBase }

func newBotInfoDataSource() datasource.DataSource { return &botInfoDataSource{} }

func (d *botInfoDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_info"
}

func (d *botInfoDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The LINE Official Account (bot) that the credentials belong to: its IDs, name and chat settings.",
		Attributes: map[string]schema.Attribute{
			"user_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The bot's user ID (`U` followed by 32 hexadecimal digits)."},
			"basic_id":     schema.StringAttribute{Computed: true, MarkdownDescription: "The bot's basic ID, such as `@123abcde`."},
			"premium_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The bot's premium ID; null when none is set."},
			"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The bot's display name."},
			"picture_url":  schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the bot's profile image; null when it has none."},
			"chat_mode": schema.StringAttribute{Computed: true, MarkdownDescription: "`chat` when chats are answered by people " +
				"in LINE Official Account Manager, `bot` when they are answered by the bot (webhooks)."},
			"mark_as_read_mode": schema.StringAttribute{Computed: true, MarkdownDescription: "`auto` when messages are marked " +
				"as read automatically, `manual` when they are marked as read by hand or through the API."},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

type botInfoModel struct {
	UserID         types.String   `tfsdk:"user_id"`
	BasicID        types.String   `tfsdk:"basic_id"`
	PremiumID      types.String   `tfsdk:"premium_id"`
	DisplayName    types.String   `tfsdk:"display_name"`
	PictureURL     types.String   `tfsdk:"picture_url"`
	ChatMode       types.String   `tfsdk:"chat_mode"`
	MarkAsReadMode types.String   `tfsdk:"mark_as_read_mode"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func botInfoFromAPI(info lineclient.BotInfo) botInfoModel {
	return botInfoModel{
		UserID:         types.StringValue(info.UserID),
		BasicID:        types.StringValue(info.BasicID),
		PremiumID:      optionalString(info.PremiumID),
		DisplayName:    types.StringValue(info.DisplayName),
		PictureURL:     optionalString(info.PictureURL),
		ChatMode:       types.StringValue(info.ChatMode),
		MarkAsReadMode: types.StringValue(info.MarkAsReadMode),
	}
}

func (d *botInfoDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg botInfoModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	callCtx, cancel, dl, ok := startRead(ctx, cfg.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	info, err := d.data.client.BotInfo(callCtx)
	if err != nil {
		addClientError(&resp.Diagnostics, d.data, "Unable to read the LINE bot's info", dl.explain(err))
		return
	}
	model := botInfoFromAPI(info)
	model.Timeouts = cfg.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// optionalString maps a field that LINE leaves out when it has no value to null, never "".
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
