package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var _ datasource.DataSourceWithConfigure = (*memberCountDataSource)(nil)

// memberCountDataSource is line_group_member_count or line_room_member_count.
type memberCountDataSource struct {
	dataSourceBase
	kind chatKind
}

func newMemberCountDataSource(kind chatKind) func() datasource.DataSource {
	return func() datasource.DataSource { return &memberCountDataSource{kind: kind} }
}

func (d *memberCountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + string(d.kind.chatType) + "_member_count"
}

func (d *memberCountDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The number of users in a " + d.kind.noun + " that the bot is in. The bot itself is not " +
			"counted; members who have not added the bot as a friend, or who blocked it, are. Works for every account, " +
			"verified or not.",
		Attributes: map[string]schema.Attribute{
			d.kind.idAttr: d.kind.idAttribute(),
			"member_count": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "The number of users in the chat, not counting the bot. (Terraform reserves the name `count`, " +
					"so LINE's `count` field is published under this name.)",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

// memberCountModel is what line_group_member_count and line_room_member_count share.
type memberCountModel struct {
	MemberCount types.Int64    `tfsdk:"member_count"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func (m *memberCountModel) shared() *memberCountModel { return m }

type groupMemberCountModel struct {
	groupIDAttr
	memberCountModel
}

type roomMemberCountModel struct {
	roomIDAttr
	memberCountModel
}

func (d *memberCountDataSource) model() chatModel[memberCountModel] {
	if d.kind.chatType == lineclient.Room {
		return &roomMemberCountModel{}
	}
	return &groupMemberCountModel{}
}

func (d *memberCountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	model := d.model()
	resp.Diagnostics.Append(req.Config.Get(ctx, model)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	m := model.shared()
	callCtx, cancel, dl, ok := startRead(ctx, m.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	chat := d.kind.chat(model.chatID().ValueString())
	count, err := d.data.client.MemberCount(callCtx, chat)
	if err != nil {
		addChatError(&resp.Diagnostics, d.data, "Unable to count the members of "+chat.String(), d.kind, dl.explain(err))
		return
	}
	m.MemberCount = types.Int64Value(int64(count))
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
