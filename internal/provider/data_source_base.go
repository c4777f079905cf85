package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// dataSourceBase gives a data source the provider's client. Read must still check
// notConfigured: the client is nil while the provider's configuration is unknown.
type dataSourceBase struct {
	data *providerData
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// startRead bounds a data source's Read by its read deadline: the timeouts block's read, else
// defaultReadTimeout. Errors from calls made under it go through the returned readDeadline's
// explain, so that running out of time names the deadline and how to raise it.
func startRead(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, readDeadline) {
	limit, d := t.Read(ctx, defaultReadTimeout)
	diags.Append(d...)
	dl := deadline{name: "read", limit: limit}
	ctx, cancel := dl.start(ctx)
	return ctx, cancel, readDeadline{deadline: dl, ctx: ctx}
}

// readDeadline is a started read deadline.
type readDeadline struct {
	deadline
	ctx context.Context
}

// explain is deadline.explain for errors that the passing of this deadline caused. An attempt
// that outlived request_timeout also wraps context.DeadlineExceeded; it is left as it is,
// since raising the read deadline would not help.
func (r readDeadline) explain(err error) error {
	if r.ctx.Err() == nil {
		return err
	}
	return r.deadline.explain(err)
}
