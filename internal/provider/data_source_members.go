package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// profileParallelism bounds the profile reads in flight for one data source; every request
// also waits for the provider's shared rate limiter.
const profileParallelism = 10

var _ datasource.DataSourceWithConfigure = (*membersDataSource)(nil)

// membersDataSource is line_group_members or line_room_members.
type membersDataSource struct {
	dataSourceBase
	kind chatKind
}

func newMembersDataSource(kind chatKind) func() datasource.DataSource {
	return func() datasource.DataSource { return &membersDataSource{kind: kind} }
}

func (d *membersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + string(d.kind.chatType) + "_members"
}

func (d *membersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The user IDs of the members of a " + d.kind.noun + " that the bot is in, every page, in " +
			"LINE's order, and optionally their profiles. LINE offers member lists only to **verified or premium** " +
			"accounts, and lists only members who have consented to profile access; the bot is not listed.",
		Attributes: map[string]schema.Attribute{
			d.kind.idAttr: d.kind.idAttribute(),
			"user_ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The members' user IDs, in LINE's order.",
			},
			"include_profiles": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Also read every member's profile into `profiles`. Defaults to `false`. Costs one " +
					"request per member; the provider makes them concurrently, within its `rate_limit`.",
			},
			"profiles": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "With `include_profiles`, the members' profiles in LINE's member order; null " +
					"otherwise. A member who leaves between the listing and the profile read is left out, with a warning; " +
					"if the bot itself is removed meanwhile, the read fails.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"user_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The member's user ID."},
						"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The member's display name."},
						"picture_url":  schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the member's profile image; null when they have none."},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

// membersModel is what line_group_members and line_room_members share. A nil slice is null:
// profiles without include_profiles.
type membersModel struct {
	UserIDs         []string       `tfsdk:"user_ids"`
	IncludeProfiles types.Bool     `tfsdk:"include_profiles"`
	Profiles        []profileModel `tfsdk:"profiles"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

func (m *membersModel) shared() *membersModel { return m }

type groupMembersModel struct {
	groupIDAttr
	membersModel
}

type roomMembersModel struct {
	roomIDAttr
	membersModel
}

func (d *membersDataSource) model() chatModel[membersModel] {
	if d.kind.chatType == lineclient.Room {
		return &roomMembersModel{}
	}
	return &groupMembersModel{}
}

// profilesFromAPI maps profiles in order; none is an empty list, not null.
func profilesFromAPI(profiles []lineclient.Profile) []profileModel {
	out := make([]profileModel, 0, len(profiles))
	for _, p := range profiles {
		out = append(out, profileFromAPI(p))
	}
	return out
}

func (d *membersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
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
	ids, err := d.data.client.MemberIDs(callCtx, chat)
	switch {
	case lineclient.IsForbidden(err):
		addErrorWithAdvice(&resp.Diagnostics, "Unable to list the members of "+chat.String(), err, forbiddenListAdvice)
		return
	case err != nil:
		addChatError(&resp.Diagnostics, d.data, "Unable to list the members of "+chat.String(), d.kind, dl.explain(err))
		return
	}
	m.UserIDs = ids
	m.IncludeProfiles = types.BoolValue(m.IncludeProfiles.ValueBool())
	if m.IncludeProfiles.ValueBool() {
		// A 404 here means the bot itself was removed while reading (the client checks its
		// membership when every profile read answers 404): the chat's not-in-chat error.
		found, skipped, err := d.data.client.MemberProfiles(callCtx, chat, ids, profileParallelism)
		if err != nil {
			addChatError(&resp.Diagnostics, d.data, "Unable to read the profiles of the members of "+chat.String(), d.kind, dl.explain(err))
			return
		}
		if len(skipped) > 0 {
			resp.Diagnostics.AddWarning("Members left "+chat.String()+" while it was being read", membersLeftDetail(skipped))
		}
		m.Profiles = profilesFromAPI(found)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
