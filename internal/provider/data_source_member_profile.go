package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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

func (d *memberProfileDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
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
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

// profileModel is a member's profile, in line_*_member_profile and in line_*_members' profiles.
type profileModel struct {
	UserID      types.String `tfsdk:"user_id"`
	DisplayName types.String `tfsdk:"display_name"`
	PictureURL  types.String `tfsdk:"picture_url"`
}

func profileFromAPI(p lineclient.Profile) profileModel {
	return profileModel{
		UserID:      types.StringValue(p.UserID),
		DisplayName: types.StringValue(p.DisplayName),
		PictureURL:  optionalString(p.PictureURL),
	}
}

// memberProfileModel is what line_group_member_profile and line_room_member_profile share.
type memberProfileModel struct {
	profileModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (m *memberProfileModel) shared() *memberProfileModel { return m }

type groupMemberProfileModel struct {
	groupIDAttr
	memberProfileModel
}

type roomMemberProfileModel struct {
	roomIDAttr
	memberProfileModel
}

func (d *memberProfileDataSource) model() chatModel[memberProfileModel] {
	if d.kind.chatType == lineclient.Room {
		return &roomMemberProfileModel{}
	}
	return &groupMemberProfileModel{}
}

func (d *memberProfileDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
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
	chat, userID := d.kind.chat(model.chatID().ValueString()), m.UserID.ValueString()
	profile, err := d.data.client.MemberProfile(callCtx, chat, userID)
	if err != nil {
		summary := "Unable to read the profile of " + userID + " in " + chat.String()
		if lineclient.IsNotFound(err) {
			addErrorWithAdvice(&resp.Diagnostics, summary, err, profileNotFoundAdvice(d.kind))
			return
		}
		addClientError(&resp.Diagnostics, d.data, summary, dl.explain(err))
		return
	}
	// The user ID stays as configured: LINE echoes it, but state must match the configuration.
	profile.UserID = userID
	m.profileModel = profileFromAPI(profile)
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
