package linemock

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A fault's 429 can carry a Retry-After, and be a proxy's answer rather than LINE's.
func TestFault429ShapeAndRetryAfter(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	summary := "/v2/bot/group/" + DemoGroupOps + "/summary"

	s.SetFault(EndpointGroupSummary, Fault{Rate429: 1, RetryAfter: "35"})
	a := get(t, ts, summary)
	if a.status != 429 || a.message(t) != msgRateLimited || a.header.Get("Content-Type") != "application/json" {
		t.Errorf("429 with Retry-After: %d %s, want LINE's rate-limit answer", a.status, a.body)
	}
	if got := a.header.Get("Retry-After"); got != "35" {
		t.Errorf("Retry-After %q, want 35", got)
	}

	const page = "<html><body><h1>429 Too Many Requests</h1></body></html>"
	s.SetFault(EndpointGroupSummary, Fault{Rate429: 1, Body429: page, ContentType429: "text/html"})
	a = get(t, ts, summary)
	if a.status != 429 || string(a.body) != page || a.header.Get("Content-Type") != "text/html" || a.header.Get("Retry-After") != "" {
		t.Errorf("HTML 429: %d %q, Content-Type %q, Retry-After %q", a.status, a.body, a.header.Get("Content-Type"), a.header.Get("Retry-After"))
	}
	if a.header.Get("X-Line-Request-Id") == "" {
		t.Error("the fault's answer has no X-Line-Request-Id")
	}

	// No Content-Type at all, not even one net/http would sniff from the body.
	s.SetFault(EndpointGroupSummary, Fault{Rate429: 1, Body429: page, RetryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"})
	a = get(t, ts, summary)
	if _, ok := a.header["Content-Type"]; ok || string(a.body) != page || a.header.Get("Retry-After") != "Wed, 21 Oct 2026 07:28:00 GMT" {
		t.Errorf("429 without a Content-Type: %v %q", a.header, a.body)
	}

	// The shape is for the fault's 429s only: the 500s and the bucket's 429s stay LINE's.
	s.SetFault(EndpointGroupSummary, Fault{Rate500: 1, Body429: page, RetryAfter: "35"})
	a = get(t, ts, summary)
	wantError(t, a, 500, msgInternal)
	if a.header.Get("Retry-After") != "" {
		t.Error("a 500 carries the 429's Retry-After")
	}
	s.ClearFaults()
	s.SetRateLimit(1)
	s.SetFault(EndpointGroupSummary, Fault{Latency: 1, Body429: page, RetryAfter: "35"})
	get(t, ts, summary)
	a = get(t, ts, summary)
	wantError(t, a, 429, msgRateLimited)
	if a.header.Get("Retry-After") != "" {
		t.Error("the bucket's 429 carries the fault's Retry-After")
	}
}

func TestFault429ShapeOverHTTP(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	ctl := func(method, path, body string) answer {
		t.Helper()
		return callBody(t, ts, method, path, map[string]string{"Authorization": "", "Content-Type": "application/json"}, body)
	}
	path := "/_mock/faults/" + url.PathEscape(EndpointBotInfo)
	a := ctl("PUT", path, `{"rate429":1,"retry_after":"10000000000","body429":"<p>slow</p>","content_type429":"text/html"}`)
	const want = `{"rate429":1,"retry_after":"10000000000","body429":"<p>slow</p>","content_type429":"text/html"}`
	if a.status != 200 || string(a.body) != want {
		t.Fatalf("PUT: %d %s, want %s", a.status, a.body, want)
	}
	if f := s.faultsSnapshot()[EndpointBotInfo]; f != (Fault{Rate429: 1, RetryAfter: "10000000000", Body429: "<p>slow</p>", ContentType429: "text/html"}) {
		t.Errorf("stored %+v", f)
	}
	b := get(t, ts, "/v2/bot/info")
	if b.status != 429 || b.header.Get("Retry-After") != "10000000000" || string(b.body) != "<p>slow</p>" ||
		!strings.HasPrefix(b.header.Get("Content-Type"), "text/html") {
		t.Errorf("faulted answer: %d %v %q", b.status, b.header, b.body)
	}
	if a := ctl("GET", "/_mock/faults", ""); a.status != 200 || !strings.Contains(string(a.body), want) {
		t.Errorf("GET /_mock/faults: %s", a.body)
	}
	if b := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"); b.status != http.StatusOK {
		t.Errorf("another endpoint: %d", b.status)
	}
}
