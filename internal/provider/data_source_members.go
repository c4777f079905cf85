package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

var profileAttrTypes = map[string]attr.Type{
	"user_id":      types.StringType,
	"display_name": types.StringType,
	"picture_url":  types.StringType,
}

func (d *membersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
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
					"otherwise. A member who leaves between the listing and the profile read is left out, with a warning.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"user_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The member's user ID."},
						"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The member's display name."},
						"picture_url":  schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the member's profile image; null when they have none."},
					},
				},
			},
		},
	}
}

func (d *membersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	id, ok := d.kind.readID(ctx, req.Config, &resp.Diagnostics)
	var includeProfiles types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("include_profiles"), &includeProfiles)...)
	if !ok || resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	chat := d.kind.chat(id.ValueString())
	ids, err := d.data.client.MemberIDs(ctx, chat)
	if err != nil {
		addChatError(&resp.Diagnostics, d.data, "Unable to list the members of "+chat.String(), d.kind, err)
		return
	}
	userIDs, diags := types.ListValueFrom(ctx, types.StringType, ids)
	resp.Diagnostics.Append(diags...)

	profiles := types.ListNull(types.ObjectType{AttrTypes: profileAttrTypes})
	if includeProfiles.ValueBool() {
		found, skipped, err := d.data.client.MemberProfiles(ctx, chat, ids, profileParallelism)
		if err != nil {
			addChatError(&resp.Diagnostics, d.data, "Unable to read the profiles of the members of "+chat.String(), d.kind, err)
			return
		}
		if len(skipped) > 0 {
			resp.Diagnostics.AddWarning("Members left "+chat.String()+" while it was being read",
				"LINE listed these users as members but had no profile for them a moment later, so they are left "+
					"out of profiles: "+strings.Join(skipped, ", ")+".")
		}
		profiles, diags = profilesValue(found)
		resp.Diagnostics.Append(diags...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setAttributes(ctx, &resp.State, map[string]attr.Value{
		d.kind.idAttr:      id,
		"user_ids":         userIDs,
		"include_profiles": types.BoolValue(includeProfiles.ValueBool()),
		"profiles":         profiles,
	})...)
}

func profilesValue(profiles []lineclient.Profile) (types.List, diag.Diagnostics) {
	elemType := types.ObjectType{AttrTypes: profileAttrTypes}
	elems := make([]attr.Value, 0, len(profiles))
	var diags diag.Diagnostics
	for _, p := range profiles {
		obj, d := types.ObjectValue(profileAttrTypes, map[string]attr.Value{
			"user_id":      types.StringValue(p.UserID),
			"display_name": types.StringValue(p.DisplayName),
			"picture_url":  optionalString(p.PictureURL),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	list, d := types.ListValue(elemType, elems)
	diags.Append(d...)
	return list, diags
}
