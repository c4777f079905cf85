package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// setAttributes writes top-level attributes into state. The data sources that serve both
// groups and rooms use it, since their ID attribute's name depends on the kind.
func setAttributes(ctx context.Context, state *tfsdk.State, values map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, value := range values {
		diags.Append(state.SetAttribute(ctx, path.Root(name), value)...)
	}
	return diags
}
