package provider

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// tokenStormSettings authenticate with the channel ID and secret, 2s per attempt and one retry.
const tokenStormSettings = `channel_id      = "` + linemock.DemoChannelID + `"
  channel_secret  = "` + linemock.DemoChannelSecret + `"
  request_timeout = "2s"
  max_retries     = 1`

// tokenIssuances groups the token requests the mock saw into issuances, for a token endpoint
// that answers at once: a failed issuance is remembered for at least a second after its last
// answer, so the next one starts more than a second after its last request, while one
// issuance's attempts are a backoff (at most 250ms here) apart. Under load an issuance may be
// split in two, which only makes the check stricter; two issuances are never merged.
func tokenIssuances(mock *mockLINE) [][]linemock.Request {
	var issuances [][]linemock.Request
	var last time.Time
	for _, r := range mock.Requests() {
		if r.Endpoint != linemock.EndpointStatelessToken {
			continue
		}
		if len(issuances) == 0 || r.Time.Sub(last) > time.Second {
			issuances = append(issuances, nil)
		}
		issuances[len(issuances)-1] = append(issuances[len(issuances)-1], r)
		last = r.Time
	}
	return issuances
}

// logTokenRequests logs the figures of a token storm and fails the test when an API request
// went out without a token, or when the plan failed in less than least or more than 30s.
func logTokenRequests(t *testing.T, mock *mockLINE, took, least time.Duration) {
	t.Helper()
	tokens := mock.CountRequests(linemock.EndpointStatelessToken)
	t.Logf("20 reads: %d token requests, %d other requests; failed in %s",
		tokens, mock.CountRequests("")-tokens, took.Round(100*time.Millisecond))
	if tokens == 0 {
		t.Error("no token request was made")
	}
	if n := mock.CountRequests("") - tokens; n != 0 {
		t.Errorf("%d API requests went out without a token", n)
	}
	tookWithin(t, "the failing plan", took, least, 30*time.Second)
}

// A token endpoint that always answers 500, under 20 reads that all need a token: each
// issuance costs at most max_retries + 1 requests, shared by every read waiting for it, and
// the plan fails with LINE's answer.
func TestAccReliability_tokenEndpointFailing(t *testing.T) {
	fixture, ids := withGroups(20)
	mock := newMockLINE(t, fixture)
	mock.SetFault(linemock.EndpointStatelessToken, linemock.Fault{Rate500: 1})
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig:   func() { start = time.Now() },
			Config:      mock.configWith(tokenStormSettings, memberCountsBody(ids)),
			ExpectError: wrapped(`issue stateless channel access token: .*500.*Internal server error.*LINE had a server error`),
		}},
	})
	// LINE's 500s come at once: nothing to wait for but the backoffs.
	logTokenRequests(t, mock, time.Since(start), 0)
	// Each issuance attempt costs at most max_retries + 1 = 2 requests, whatever the
	// parallelism (before issue 10: 40 for these 20 reads).
	issuances := tokenIssuances(mock)
	for i, issuance := range issuances {
		if len(issuance) > 2 {
			t.Errorf("issuance %d of %d made %d token requests, want at most max_retries + 1 = 2", i+1, len(issuances), len(issuance))
		}
	}
	t.Logf("%d issuance attempts", len(issuances))
}

// A token endpoint that never answers: the plan fails within about request_timeout ×
// (max_retries + 1) plus backoff, not once per read, with at most 2 token requests.
func TestAccReliability_tokenEndpointHangs(t *testing.T) {
	fixture, ids := withGroups(20)
	mock := newMockLINE(t, fixture)
	mock.SetFault(linemock.EndpointStatelessToken, linemock.Fault{Hang: true})
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig:   func() { start = time.Now() },
			Config:      mock.configWith(tokenStormSettings, memberCountsBody(ids)),
			ExpectError: wrapped(`issue stateless channel access token: .*2s`),
		}},
	})
	// Two attempts of 2s and a backoff of at most 250ms: about 4.3s and never under 4s,
	// bounded at 30s for a loaded machine; before issue 10 this took 84s. The issuance's
	// failure is remembered for as long as it took, so the reads that start after the first
	// ten fail at once: one issuance in all.
	logTokenRequests(t, mock, time.Since(start), 2*2*time.Second)
	if n := mock.CountRequests(linemock.EndpointStatelessToken); n > 2 {
		t.Errorf("%d token requests, want at most max_retries + 1 = 2", n)
	}
}

// redirectTarget is a second server that counts what reaches it: nothing should.
func redirectTarget(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	other := linemocktest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	return other, &hits
}

// The API answers 307 to another host: the plan fails saying that LINE never redirects and
// naming api_endpoint, and the other host gets no request, so no token.
func TestAccReliability_apiRedirectNotFollowed(t *testing.T) {
	other, hits := redirectTarget(t)
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.AllEndpoints, linemock.Fault{RedirectTo: other.URL})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}`),
			ExpectError: wrapped(`answered 307, a redirect to .*LINE never redirects.*LINE's API never redirects. Check api_endpoint`),
		}},
	})
	if n := hits.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests, want 0", n)
	}
	if n := mock.CountRequests(linemock.EndpointGroupSummary); n != 1 {
		t.Errorf("%d summary requests, want 1: a redirect is final", n)
	}
}

// The token endpoint answers 307: the channel secret is not posted again to the other host.
func TestAccReliability_tokenRedirectNotFollowed(t *testing.T) {
	other, hits := redirectTarget(t)
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointStatelessToken, linemock.Fault{RedirectTo: other.URL})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(channelCredentials(linemock.DemoChannelSecret), `
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`),
			ExpectError: wrapped(`issue stateless channel access token: the API endpoint answered 307.*LINE never redirects.*Check api_endpoint`),
		}},
	})
	if n := hits.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests, want 0", n)
	}
	if n := mock.CountRequests(linemock.EndpointStatelessToken); n != 1 {
		t.Errorf("%d token requests, want 1: a redirect is final", n)
	}
	if n := mock.CountRequests(linemock.EndpointGroupSummary); n != 0 {
		t.Errorf("%d summary requests went out without a token", n)
	}
}
