package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var _ datasource.DataSourceWithConfigure = (*groupSummaryDataSource)(nil)

type groupSummaryDataSource struct{ dataSourceBase }

func newGroupSummaryDataSource() datasource.DataSource { return &groupSummaryDataSource{} }

func (d *groupSummaryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group_summary"
}

func (d *groupSummaryDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The name and icon of a group chat that the bot is in. Fails when the group does not " +
			"exist or the bot is not a member; use the `line_bot_membership` data source to test membership.",
		Attributes: map[string]schema.Attribute{
			"group_id":    groupKind.idAttribute(),
			"group_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "The group chat's name."},
			"picture_url": schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the group's icon; null when the group has none."},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

type groupSummaryModel struct {
	GroupID    types.String   `tfsdk:"group_id"`
	GroupName  types.String   `tfsdk:"group_name"`
	PictureURL types.String   `tfsdk:"picture_url"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func groupSummaryFromAPI(s lineclient.GroupSummary) groupSummaryModel {
	return groupSummaryModel{
		GroupID:    types.StringValue(s.GroupID),
		GroupName:  types.StringValue(s.GroupName),
		PictureURL: optionalString(s.PictureURL),
	}
}

func (d *groupSummaryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupSummaryModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	callCtx, cancel, dl, ok := startRead(ctx, cfg.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	groupID := cfg.GroupID.ValueString()
	summary, err := d.data.client.GroupSummary(callCtx, groupID)
	if err != nil {
		addChatError(&resp.Diagnostics, d.data, "Unable to read the summary of group chat "+groupID, groupKind, dl.explain(err))
		return
	}
	// The ID stays as configured: LINE echoes it, but state must match the configuration.
	summary.GroupID = groupID
	model := groupSummaryFromAPI(summary)
	model.Timeouts = cfg.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
