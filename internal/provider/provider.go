// Package provider adapts the LINE client to the Terraform plugin framework:
// schemas, models and diagnostics. It never builds a URL itself.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ provider.Provider = (*lineProvider)(nil)

type lineProvider struct {
	version string
}

// New returns a constructor for the provider, as providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &lineProvider{version: version}
	}
}

func (p *lineProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "line"
	resp.Version = p.version
}

func (p *lineProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage a LINE Official Account's presence in LINE group chats and multi-person chats.",
	}
}

func (p *lineProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *lineProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *lineProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
