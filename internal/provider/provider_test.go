package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
)

func TestProviderMetadata(t *testing.T) {
	var resp provider.MetadataResponse
	New("1.2.3")().Metadata(context.Background(), provider.MetadataRequest{}, &resp)
	if resp.TypeName != "line" || resp.Version != "1.2.3" {
		t.Fatalf("metadata = %q %q, want line 1.2.3", resp.TypeName, resp.Version)
	}
}
