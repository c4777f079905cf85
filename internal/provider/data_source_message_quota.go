package provider

import (
	"context"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var _ datasource.DataSourceWithConfigure = (*messageQuotaDataSource)(nil)

// messageQuotaDataSource is the channel's message quota for the month and what is used of
// it. Like every data source, it is read on every plan, so a check block sees today's figure.
type messageQuotaDataSource struct{ dataSourceBase }

func newMessageQuotaDataSource() datasource.DataSource { return &messageQuotaDataSource{} }

func (d *messageQuotaDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_quota"
}

func (d *messageQuotaDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The channel's monthly message quota and how much of it is used. Pushes count once per " +
			"person sent to: a message pushed to a group of 20 members counts 20. LINE's count is approximate and " +
			"includes messages sent from LINE Official Account Manager. It is read afresh on every plan. LINE resets the " +
			"count monthly but does not document the hour or time zone of the reset.",
		Attributes: map[string]schema.Attribute{
			"limited": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the channel has a monthly limit (`false` when LINE sets no target limit).",
			},
			"limit": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "How many messages the channel may send this month, the plan's free messages and " +
					"any additional ones included; null when `limited` is `false`.",
			},
			"used": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "How many messages the channel has sent this month, as LINE counts them.",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeouts(ctx)},
	}
}

type messageQuotaModel struct {
	Limited  types.Bool       `tfsdk:"limited"`
	Limit    types.Int64      `tfsdk:"limit"`
	Used     types.Int64      `tfsdk:"used"`
	Timeouts dstimeouts.Value `tfsdk:"timeouts"`
}

func (m *messageQuotaModel) setQuota(q lineclient.Quota) {
	m.Limited = types.BoolValue(q.Limited)
	m.Limit = types.Int64Null()
	if q.Limited {
		m.Limit = types.Int64Value(q.Limit)
	}
	m.Used = types.Int64Value(q.Used)
}

func (d *messageQuotaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m messageQuotaModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, d.data) {
		return
	}
	ctx, cancel, dl, ok := startRead(ctx, m.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	quota, err := d.data.client.MessageQuota(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, d.data, "Unable to read the message quota", dl.explain(err))
		return
	}
	m.setQuota(quota)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
