package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var _ datasource.DataSourceWithConfigure = (*memberProfileDataSource)(nil)

// memberProfileDataSource is line_group_member_profile or line_room_member_profile.
type memberProfileDataSource struct {
	dataSourceBase
	kind chatKind
}

func newMemberProfileDataSource(kind chatKind) func() datasource.DataSource {
	return func() datasource.DataSource { return &memberProfileDataSource{kind: kind} }
}

func (d *memberProfileDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + string(d.kind.chatType) + "_member_profile"
}

func (d *memberProfileDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The profile of one member of a " + d.kind.noun + " that the bot is in, whether or not the " +
			"member has added the bot as a friend. Works for every account, verified or not. LINE has no profile for " +
			"members who have not consented to profile access.",
		Attributes: map[string]schema.Attribute{
			d.kind.idAttr: d.kind.idAttribute(),
			"user_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The member's user ID: " + lineclient.UserIDFormat + ".",
				Validators:          []validator.String{userIDValidator},
			},
			"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The member's display name."},
			"picture_url":  schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the member's profile image; null when they have none."},
		},
	}
}

func (d *memberProfileDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	id, ok := d.kind.readID(ctx, req.Config, &resp.Diagnostics)
	var userID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("user_id"), &userID)...)
	if !ok || resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	profile, err := d.data.client.MemberProfile(ctx, d.kind.chat(id.ValueString()), userID.ValueString())
	if err != nil {
		summary := "Unable to read the profile of " + userID.ValueString() + " in " + d.kind.noun + " " + id.ValueString()
		if lineclient.IsNotFound(err) {
			addErrorWithAdvice(&resp.Diagnostics, summary, err, "LINE answers 404 when the user is not a member of the "+
				d.kind.noun+", has not consented to profile access (users who have never used LINE for iOS or Android), "+
				"or when the bot is not in the chat.")
			return
		}
		addClientError(&resp.Diagnostics, d.data, summary, err)
		return
	}
	resp.Diagnostics.Append(setAttributes(ctx, &resp.State, map[string]attr.Value{
		d.kind.idAttr:  id,
		"user_id":      userID,
		"display_name": types.StringValue(profile.DisplayName),
		"picture_url":  optionalString(profile.PictureURL),
	})...)
}
