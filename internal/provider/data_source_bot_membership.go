package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var (
	_ datasource.DataSourceWithConfigure        = (*botMembershipDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*botMembershipDataSource)(nil)
)

// botMembershipDataSource tells whether the bot is in a chat, without failing when it is not:
// the building block of presence checks in CI.
type botMembershipDataSource struct{ dataSourceBase }

func newBotMembershipDataSource() datasource.DataSource { return &botMembershipDataSource{} }

func (d *botMembershipDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_membership"
}

func (d *botMembershipDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Whether the bot is in a group chat or multi-person chat, with one request and without " +
			"failing when it is not. With a `postcondition` on `is_member`, a plan fails, naming the chat, when the bot " +
			"is not in it: the CI audit. LINE does not tell an unknown chat from one the bot is not in: both give " +
			"`is_member = false`.",
		Attributes: map[string]schema.Attribute{
			"group_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: groupKind.eitherIDDescription(),
				Validators:          []validator.String{groupKind.idValidator()},
			},
			"room_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: roomKind.eitherIDDescription(),
				Validators:          []validator.String{roomKind.idValidator()},
			},
			"is_member":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the bot is in the chat."},
			"chat_type":  schema.StringAttribute{Computed: true, MarkdownDescription: "`group` or `room`."},
			"group_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The group's name, for a group the bot is in; null otherwise."},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

func (d *botMembershipDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("group_id"), path.MatchRoot("room_id")),
	}
}

type botMembershipDataModel struct {
	GroupID   types.String   `tfsdk:"group_id"`
	RoomID    types.String   `tfsdk:"room_id"`
	IsMember  types.Bool     `tfsdk:"is_member"`
	ChatType  types.String   `tfsdk:"chat_type"`
	GroupName types.String   `tfsdk:"group_name"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

// setMembership records what LINE said; the IDs and timeouts stay as configured.
func (m *botMembershipDataModel) setMembership(membership lineclient.Membership) {
	m.IsMember = types.BoolValue(membership.IsMember)
	m.ChatType = types.StringValue(string(membership.Chat.Type))
	m.GroupName = optionalString(membership.GroupName)
}

func (d *botMembershipDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model botMembershipDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	callCtx, cancel, dl, ok := startRead(ctx, model.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	chat := chatOf(model.GroupID, model.RoomID)
	membership, err := d.data.client.Membership(callCtx, chat)
	if err != nil {
		addClientError(&resp.Diagnostics, d.data, "Unable to tell whether the bot is in "+chat.String(), dl.explain(err))
		return
	}
	model.setMembership(membership)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
