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
// defaultTimeout. Errors from calls made under it go through the returned deadline's
// explain, so that running out of time names the deadline and how to raise it. It reports
// false, with the error in diags, when the timeouts block cannot be read: every data source
// then returns before asking LINE anything.
func startRead(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, *deadline, bool) {
	limit, d := t.Read(ctx, defaultTimeout)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, nil, false
	}
	dl := &deadline{name: "read", limit: limit}
	ctx, cancel := dl.start(ctx)
	return ctx, cancel, dl, true
}
