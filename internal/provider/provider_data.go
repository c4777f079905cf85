package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client *lineclient.Client
	// creds says which credentials the client uses and which it ignores, for the advice on an
	// authentication error; it holds values, so it is never logged.
	creds credentials
	// unknown is set when the configuration was not known at plan: nothing may call LINE.
	unknown bool
	// plans is what this graph walk plans for line_bot_membership: Terraform configures the
	// provider once per walk, so it is made anew by every Configure (membership_plans.go).
	plans *membershipPlans
}

// configured reports whether LINE can be asked: the provider is configured, with a
// configuration known at this point of the walk, and has a client. Safe on a nil
// providerData (before Configure).
func (d *providerData) configured() bool {
	return d != nil && !d.unknown && d.client != nil
}

// providerDataFrom reads what the provider's Configure handed to a data source or resource:
// nil before the provider is configured (validation), which Read and the other methods report.
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T", raw))
	}
	return data
}
