package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// groupSummariesBody is one line_group_summary data source per group, each with a block of
// its own (such as a timeouts block).
func groupSummariesBody(ids []string, block string) string {
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "data \"line_group_summary\" \"s%02d\" {\n  group_id = %q\n%s}\n", i, id, block)
	}
	return b.String()
}

// A plan over 80 memberships while LINE allows 20 requests per second on the endpoint: the
// shared limiter slows down on LINE's first 429s, so the plan succeeds with at most a quarter
// of its requests answered 429, in a few seconds over the floor (requests / 20 per second).
// Only generous bounds on time are asserted: the figures are logged for the report.
func TestAccReliability_throttledPlan(t *testing.T) {
	const n, perSecond = 80, 20
	fixture, ids := withGroups(n)
	mock := newMockLINE(t, fixture)
	config := mock.config(membershipsBody(ids))
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, ids...),
		Steps: []resource.TestStep{
			{Config: config}, // adopted without a limit
			{
				PreConfig: func() {
					mock.SetRateLimit(perSecond) // every bucket starts full
					mock.ResetRequests()
					start = time.Now()
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					took := time.Since(start)
					counts := statusCounts(mock)
					total := mock.CountRequests("")
					// A PlanOnly step may plan more than once: the floor is what LINE let through.
					floor := time.Duration(float64(counts[200]) / perSecond * float64(time.Second))
					share := float64(counts[429]) / float64(max(total, 1))
					t.Logf("plan over %d memberships at %d requests/s: %s (floor %s for %d answered requests, %.1f plans); "+
						"%d requests, %d answered 429 (%.1f%%)", n, perSecond, took.Round(100*time.Millisecond),
						floor, counts[200], float64(counts[200])/n, total, counts[429], 100*share)
					if counts[200] < n {
						t.Errorf("%d requests answered 200, want at least one per membership (%d)", counts[200], n)
					}
					if share > 0.25 {
						t.Errorf("%.1f%% of the requests were answered 429, want at most 25%%", 100*share)
					}
					// LINE let the 200s through at perSecond after a full bucket of perSecond: the
					// plan cannot have been faster than that, and should be well under a minute.
					tookWithin(t, "the throttled plan", took, floor-time.Second, time.Minute)
					mock.SetRateLimit(0)
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// A queue in the provider's own limiter that would outlast the read deadline fails the
// reads it holds with an error that names rate_limit and the deadline, never as a network
// failure. With rate_limit = 1 and ten reads started together, a few get through in 2s.
func TestAccReliability_queuePastDeadline(t *testing.T) {
	const n = 10
	fixture, ids := withGroups(n)
	mock := newMockLINE(t, fixture)
	var stepErr string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		// ExpectError would keep ErrorCheck from being called: the check records the error,
		// matches it and refuses the network's words.
		ErrorCheck: expectErrorSaying(&stepErr,
			wrapped(`the read deadline of 2s would pass before the operation could go on.*rate limiter.*rate_limit.*timeouts \{ read = "4s" \}`),
			"did not reach LINE", "Check the network", "timed out: LINE did not answer"),
		Steps: []resource.TestStep{{
			Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  rate_limit           = 1`, groupSummariesBody(ids, "  timeouts {\n    read = \"2s\"\n  }\n")),
		}},
	})
	if stepErr == "" {
		t.Fatal("the plan did not fail")
	}
	// Requests that waited past the deadline never went out.
	if got := mock.CountRequests(linemock.EndpointGroupSummary); got >= n {
		t.Errorf("%d summary requests went out, want fewer than %d: the queue should have held some", got, n)
	}
}

// LINE's rate-limit 429 does not use up max_retries: with max_retries = 0 and the first two
// answers to each read a rate-limit 429 (certain, whatever the seed: First: 2), every read
// still succeeds, on its third attempt.
func TestAccReliability_rateLimitDoesNotUseUpRetries(t *testing.T) {
	const n, first = 4, 2
	fixture, ids := withGroups(n)
	mock := newMockLINE(t, fixture)
	mock.SetFault(linemock.EndpointGroupMemberCount, linemock.Fault{Rate429: 1, First: first})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  max_retries          = 0`, memberCountsBody(ids)),
			Check: func(s *terraform.State) error {
				for i := range ids {
					if c := s.RootModule().Resources[fmt.Sprintf("data.line_group_member_count.c%03d", i)]; c == nil {
						return fmt.Errorf("member count c%03d is not in state", i)
					}
				}
				counts := statusCounts(mock)
				t.Logf("requests: %d; 200: %d, 429: %d", mock.CountRequests(""), counts[200], counts[429])
				// Each read's first two attempts were 429 and its third 200 (later reads of
				// the same chat, by later plans, are 200 from the start).
				for _, r := range mock.Requests() {
					if want := map[bool]int{true: 429, false: 200}[r.Attempt <= first]; r.Status != want {
						return fmt.Errorf("%s attempt %d answered %d, want %d", r.Path, r.Attempt, r.Status, want)
					}
				}
				if counts[429] != first*n || counts[200] < n {
					return fmt.Errorf("statuses %v, want %d answered 429 (%d per read) and at least %d answered 200", counts, first*n, first, n)
				}
				return nil
			},
		}},
	})
}

// A 429 that waiting does not fix (any message other than LINE's rate-limit one, such as the
// monthly limit) is final: one request, and an error that says it was not retried. The push
// action's monthly-limit test covers the mock's own monthly limit; this one covers reads.
func TestAccReliability_otherTooManyRequestsIsFinal(t *testing.T) {
	var requests atomic.Int32
	api := linemocktest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message":"You have reached your monthly limit."}`))
	}))
	mock := &mockLINE{URL: api.URL}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}`),
			ExpectError: wrapped(`You have reached your monthly limit.*waiting does not lift.*did not retry`),
		}},
	})
	if got := requests.Load(); got != 1 {
		t.Errorf("%d requests, want 1: a 429 other than the rate limit is final", got)
	}
}
