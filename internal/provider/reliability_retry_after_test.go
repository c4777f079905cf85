package provider

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// newMockBehind starts a mock with a proxy in front of it: front answers some requests
// itself and hands the others to the mock. The provider talks to the proxy.
func newMockBehind(t *testing.T, fixture *linemock.Fixture, front func(next http.Handler) http.Handler) *mockLINE {
	t.Helper()
	mock := newMockLINE(t, fixture)
	proxy := linemocktest.NewServer(t, front(mock.Server))
	return &mockLINE{Server: mock.Server, URL: proxy.URL}
}

// firstAnswers is a proxy that answers the first n requests of every path itself, with
// answer, and records when each request came.
type firstAnswers struct {
	n      int
	answer func(w http.ResponseWriter)

	mu    sync.Mutex
	seen  map[string]int
	times map[string][]time.Time
}

func (p *firstAnswers) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		if p.seen == nil {
			p.seen, p.times = map[string]int{}, map[string][]time.Time{}
		}
		p.seen[r.URL.Path]++
		p.times[r.URL.Path] = append(p.times[r.URL.Path], time.Now())
		mine := p.seen[r.URL.Path] <= p.n
		p.mu.Unlock()
		if mine {
			p.answer(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (p *firstAnswers) arrivals(path string) []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Time(nil), p.times[path]...)
}

const proxyPage = "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>"

func htmlTooManyRequests(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(proxyPage))
}

// A proxy in front of LINE answers the first two requests of every path with an HTML 429:
// they are retried within max_retries, and the plan succeeds.
func TestAccReliability_proxyHTML429sAreRetried(t *testing.T) {
	const n = 6
	fixture, ids := withGroups(n)
	proxy := &firstAnswers{n: 2, answer: htmlTooManyRequests}
	mock := newMockBehind(t, fixture, proxy.front)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(memberCountsBody(ids)),
			Check: func(s *terraform.State) error {
				for i, id := range ids {
					c := s.RootModule().Resources[fmt.Sprintf("data.line_group_member_count.c%03d", i)]
					if c == nil || c.Primary.Attributes["group_id"] != id {
						return fmt.Errorf("member count c%03d is not in state", i)
					}
					if got := len(proxy.arrivals("/v2/bot/group/" + id + "/members/count")); got != 3 {
						return fmt.Errorf("%d requests for %s, want 3: two 429s of the proxy, then LINE's answer", got, id)
					}
				}
				if got := mock.CountRequests(linemock.EndpointGroupMemberCount); got != n {
					return fmt.Errorf("LINE got %d member-count requests, want %d", got, n)
				}
				return nil
			},
		}},
	})
}

// A proxy's HTML 429s that do not stop fail the read once max_retries is used up, saying
// that the answer is not LINE's and pointing at the proxy, not at rate_limit.
func TestAccReliability_proxyHTML429sBeyondMaxRetries(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Rate429: 1, Body429: proxyPage, ContentType429: "text/html"})
	var stepErr string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		// ExpectError would keep ErrorCheck from being called: the check records the error,
		// matches it and refuses advice about LINE's own limits.
		ErrorCheck: expectErrorSaying(&stepErr,
			wrapped(`the API endpoint answered 429 Too Many Requests with a body of type text/html, not LINE's JSON error.*3 attempts.*`+
				`did not come from LINE.*proxy or gateway.*retried it with backoff, 3 attempts in all`),
			"rate_limit", "waiting does not lift"),
		Steps: []resource.TestStep{{
			Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  max_retries          = 2`, `
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`),
		}},
	})
	if stepErr == "" {
		t.Fatal("the plan did not fail")
	}
	if got := mock.CountRequests(linemock.EndpointGroupSummary); got != 3 {
		t.Errorf("%d summary requests, want max_retries + 1 = 3", got)
	}
}

// A Retry-After beyond the deadline (here one that overflows a 64-bit count of nanoseconds)
// fails the read at once, naming Retry-After and its value, instead of waiting, or of reading
// it as no wait at all.
func TestAccReliability_hugeRetryAfterFailsAtOnce(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Rate429: 1, RetryAfter: "10000000000"})
	var stepErr string
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		// ExpectError would keep ErrorCheck from being called: the check records the error,
		// matches it and refuses advice about rate_limit.
		ErrorCheck: expectErrorSaying(&stepErr,
			wrapped(`get group chat summary: the answer asked to wait before trying again \(Retry-After: 10000000000, about 292 years\), `+
				`which would end after the deadline.*LINE was still throttling.*Retry-After: 10000000000\), longer than the operation had left`),
			"rate_limit"),
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: mock.config(`
data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}`),
		}},
	})
	if stepErr == "" {
		t.Fatal("the plan did not fail")
	}
	// The default read deadline is 5 minutes: failing at once means well inside it.
	if took := time.Since(start); took > time.Minute {
		t.Errorf("the read failed after %s, want at once", took.Round(time.Second))
	}
	if got := mock.CountRequests(linemock.EndpointGroupSummary); got != 1 {
		t.Errorf("%d summary requests, want 1", got)
	}
}

// A Retry-After over the 30 seconds the client used to cut it to is honoured in full: a proxy
// in front of LINE answers the first summary 429 with Retry-After: 31, and the retry comes 31s
// later, not 30. (The rule for any length, with a fake pacer and no waiting, is
// lineclient's TestRetryAfterIsHonouredInFullThroughThePacer; this proves it end to end at the
// cost of 31 seconds of one parallel test.)
func TestAccReliability_retryAfterOver30sHonouredInFull(t *testing.T) {
	const wait = 31 * time.Second
	proxy := &firstAnswers{n: 1, answer: func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "31")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message":"The API rate limit has been exceeded. Try again later."}`))
	}}
	mock := newMockBehind(t, nil, proxy.front)
	path := "/v2/bot/group/" + linemock.DemoGroupOps + "/summary"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
  timeouts {
    read = "1m"
  }
}`),
			Check: func(*terraform.State) error {
				at := proxy.arrivals(path)
				if len(at) != 2 {
					return fmt.Errorf("%d summary requests, want 2", len(at))
				}
				// A timer never fires early; the upper bound catches a retry that waited for
				// something else as well.
				gap := at[1].Sub(at[0])
				t.Logf("Retry-After: 31, retried after %s", gap.Round(10*time.Millisecond))
				if gap < wait || gap > wait+10*time.Second {
					return fmt.Errorf("retried %s after Retry-After: 31, want 31s in full", gap.Round(10*time.Millisecond))
				}
				return nil
			},
		}},
	})
}
