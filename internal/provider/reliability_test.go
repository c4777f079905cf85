package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// withGroups is the demo fixture with n more groups the bot is in, and their IDs.
func withGroups(n int) (*linemock.Fixture, []string) {
	f := linemock.DemoFixture()
	return f, f.AddTeamGroups(n)
}

func membershipsBody(ids []string) string {
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"line_bot_membership\" \"m%02d\" {\n  group_id = %q\n}\n", i, id)
	}
	return b.String()
}

// statusCounts tallies the statuses the mock answered.
func statusCounts(mock *mockLINE) map[int]int {
	counts := map[int]int{}
	for _, r := range mock.Requests() {
		counts[r.Status]++
	}
	return counts
}

// Forty memberships adopted, re-planned and destroyed while LINE answers 30% of requests
// with 429 and 10% with 500: every operation succeeds through retries, state is right, and
// the bot leaves every chat.
func TestAccBotMembershipResource_faultInjection(t *testing.T) {
	const n = 40
	fixture, ids := withGroups(n)
	mock := newMockLINE(t, fixture, linemock.WithSeed(42))
	mock.SetFault(linemock.AllEndpoints, linemock.Fault{Rate429: 0.3, Rate500: 0.1})
	config := mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  max_retries          = 12`, membershipsBody(ids))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy: func(*terraform.State) error {
			for _, id := range ids {
				if mock.botJoined(t, id) {
					return fmt.Errorf("the bot is still in %s", id)
				}
			}
			counts := statusCounts(mock)
			t.Logf("requests answered: %d in all; 200: %d, 429: %d, 500: %d, 404: %d",
				mock.CountRequests(""), counts[200], counts[429], counts[500], counts[404])
			if counts[429] == 0 || counts[500] == 0 {
				return fmt.Errorf("no faults were injected: %v", counts)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					if got := len(s.RootModule().Resources); got != n {
						return fmt.Errorf("%d memberships in state, want %d", got, n)
					}
					for i, id := range ids {
						r := s.RootModule().Resources[fmt.Sprintf("line_bot_membership.m%02d", i)]
						if r == nil || r.Primary.ID != id || r.Primary.Attributes["group_name"] != fmt.Sprintf("Team %03d", i) {
							return fmt.Errorf("membership m%02d in state: %+v", i, r)
						}
					}
					return nil
				},
			},
			{
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// A hung endpoint fails within request_timeout times the attempts, saying that it timed out.
func TestAccProvider_hungEndpointTimesOut(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Hang: true})
	var start time.Time // set when the step starts: ParallelTest waits for the serial tests first
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  request_timeout      = "2s"
  max_retries          = 1`, `
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`),
			ExpectError: wrapped(`get group chat summary: timed out: LINE did not answer within 2s \(the time allowed for each attempt\), after 2 attempts.*` +
				`raise request_timeout or max_retries`),
		}},
	})
	// Two attempts of 2s and one backoff of at most 250ms, plus Terraform's own work, fit well
	// inside 20s; without the per-attempt timeout the hang would last until the test's deadline.
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Fatalf("the hung endpoint took %s to fail", elapsed)
	}
	if got := mock.CountRequests(linemock.EndpointGroupSummary); got != 2 {
		t.Fatalf("%d summary requests, want 2 (one retry)", got)
	}
}
