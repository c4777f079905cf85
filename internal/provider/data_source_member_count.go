package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

func (d *memberCountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
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
	}
}

func (d *memberCountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	id, ok := d.kind.readID(ctx, req.Config, &resp.Diagnostics)
	if !ok || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	count, err := d.data.client.MemberCount(ctx, d.kind.chat(id.ValueString()))
	if err != nil {
		addChatError(&resp.Diagnostics, d.data, "Unable to count the members of "+d.kind.noun+" "+id.ValueString(), d.kind, err)
		return
	}
	resp.Diagnostics.Append(setAttributes(ctx, &resp.State, map[string]attr.Value{
		d.kind.idAttr:  id,
		"member_count": types.Int64Value(int64(count)),
	})...)
}
