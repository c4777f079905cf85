package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestAccGroupSummaryDataSource(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
data "line_group_summary" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_group_summary.ops", tfjsonpath.New("group_id"), knownvalue.StringExact(linemock.DemoGroupOps)),
					statecheck.ExpectKnownValue("data.line_group_summary.ops", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
					statecheck.ExpectKnownValue("data.line_group_summary.ops", tfjsonpath.New("picture_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://`))),
					statecheck.ExpectKnownValue("data.line_group_summary.release", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupReleaseName)),
					// The release group has no icon: LINE omits pictureUrl, so it is null.
					statecheck.ExpectKnownValue("data.line_group_summary.release", tfjsonpath.New("picture_url"), knownvalue.Null()),
				},
			},
			{
				// Renamed in the LINE app: the next read follows.
				PreConfig: func() {
					if err := mock.RenameGroup(linemock.DemoGroupOps, "Ops alerts (24/7)"); err != nil {
						t.Fatal(err)
					}
				},
				Config: mock.config(`
data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_group_summary.ops", tfjsonpath.New("group_name"), knownvalue.StringExact("Ops alerts (24/7)")),
				},
			},
		},
	})
}

func TestAccGroupSummaryDataSource_botNotInGroup(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_summary" "old" {
  group_id = "` + linemock.DemoGroupNotJoined + `"
}`),
			ExpectError: wrapped(`Unable to read the summary of group chat ` + linemock.DemoGroupNotJoined +
				`.*LINE answered 404: Not found \(X-Line-Request-Id: [0-9a-f-]{36}; 1 attempt\)` +
				`.*does not exist or the bot is not a member`),
		}},
	})
}

func TestAccGroupSummaryDataSource_invalidID(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_summary" "bad" {
  group_id = "C1/../../v2/bot/info"
}`),
			ExpectError: words(`Attribute group_id must be "C" followed by 32 lowercase hexadecimal digits (a LINE group ID), got: C1/../../v2/bot/info`),
		}},
	})
	if n := mock.CountRequests(""); n != 0 {
		t.Fatalf("%d requests reached LINE for a malformed ID, want 0", n)
	}
}

// A hung endpoint fails the read at its deadline, well before request_timeout, with an error
// that names the deadline and how to raise it.
func TestAccGroupSummaryDataSource_readDeadline(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Hang: true})
	var start time.Time // set when the step starts: ParallelTest waits for the serial tests first
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  request_timeout      = "30s"`, `
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
  timeouts {
    read = "2s"
  }
}`),
			ExpectError: wrapped(`Unable to read the summary of group chat ` + linemock.DemoGroupOps + `.*the read deadline of 2s passed.*` +
				`Raise its deadline with a timeouts block, for example .timeouts \{ read = "4s" \}.`),
		}},
	})
	// The read waits for its 2s deadline, no less; the deadline plus Terraform's own work fits
	// well inside 20s, while request_timeout alone would hold the read for 30s per attempt.
	tookWithin(t, "the read of a hung endpoint", time.Since(start), 2*time.Second, 20*time.Second)
}
