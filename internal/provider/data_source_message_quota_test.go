package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const quotaData = "data.line_message_quota.this"

// TestAccMessageQuotaDataSource_limitedThenUnlimited reads a limited quota, then, after the
// quota is lifted outside Terraform and messages are sent, the fresh figures.
func TestAccMessageQuotaDataSource_limitedThenUnlimited(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetMessageQuota(1000)
	config := mock.config(`
data "line_message_quota" "this" {
  timeouts {
    read = "1m"
  }
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(quotaData, tfjsonpath.New("limited"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(quotaData, tfjsonpath.New("limit"), knownvalue.Int64Exact(1000)),
					statecheck.ExpectKnownValue(quotaData, tfjsonpath.New("used"), knownvalue.Int64Exact(0)),
				},
			},
			{
				PreConfig: outsideTerraform(t, func() error {
					mock.SetMessageQuota(-1)
					return pushOutsideTerraform(mock, linemock.DemoGroupOps) // four members: counts 4
				}),
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(quotaData, tfjsonpath.New("limited"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(quotaData, tfjsonpath.New("limit"), knownvalue.Null()),
					statecheck.ExpectKnownValue(quotaData, tfjsonpath.New("used"), knownvalue.Int64Exact(4)),
				},
			},
		},
	})
	if n := mock.CountRequests(linemock.EndpointMessageQuota); n < 2 {
		t.Errorf("%d quota reads, want one per plan at least", n)
	}
}

// TestAccMessageQuotaDataSource_unauthorized gets the usual advice.
func TestAccMessageQuotaDataSource_unauthorized(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      mock.configWith(`channel_access_token = "wrong"`, `data "line_message_quota" "this" {}`),
			ExpectError: wrapped(`Unable to read the message quota.*LINE answered 401.*The channel access token from channel_access_token in the provider block is invalid, expired or revoked`),
		}},
	})
}

// pushOutsideTerraform sends a message the way another tool on the same channel would.
func pushOutsideTerraform(mock *mockLINE, groupID string) error {
	client, err := lineclient.New(lineclient.Config{Endpoint: mock.URL, AccessToken: linemock.DemoToken})
	if err != nil {
		return err
	}
	_, err = client.Push(context.Background(), lineclient.Push{Chat: lineclient.GroupChat(groupID), Text: "from a script"})
	return err
}
