package linemock

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFaultRate429IsLINEsRateLimit(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(AllEndpoints, Fault{Rate429: 1})
	for _, ep := range messagingEndpoints {
		for range 5 {
			wantError(t, call(t, ts, ep.method, ep.path, nil), 429, msgRateLimited)
		}
	}
	// Faults come before auth: a client with no token sees the 429 too.
	wantError(t, call(t, ts, "GET", "/v2/bot/info", map[string]string{"Authorization": ""}), 429, msgRateLimited)
	a := callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, "grant_type=client_credentials")
	wantError(t, a, 429, msgRateLimited)
	// Unknown paths are not endpoints: no fault.
	wantError(t, get(t, ts, "/v2/bot/nothing"), 404, msgNotFound)
	// No leave went through.
	if joined, _ := s.BotJoined(DemoGroupOps); !joined {
		t.Error("a faulted leave left the group")
	}
}

func TestFaultRate500(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointGroupSummary, Fault{Rate500: 1})
	wantError(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"), 500, msgInternal)
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("another endpoint: %d", a.status)
	}
	s.ClearFaults()
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"); a.status != 200 {
		t.Errorf("after ClearFaults: %d", a.status)
	}
}

func TestFaultEndpointOverridesAll(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(AllEndpoints, Fault{Rate500: 1})
	s.SetFault(EndpointBotInfo, Fault{Latency: time.Millisecond})
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("endpoint's own fault should replace \"*\": %d", a.status)
	}
	wantError(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"), 500, msgInternal)
	s.SetFault(EndpointBotInfo, Fault{}) // the zero fault clears it, and "*" applies again
	wantError(t, get(t, ts, "/v2/bot/info"), 500, msgInternal)
}

// faultSequence returns the statuses of n requests under a 30% 429 / 10% 500 fault.
func faultSequence(t *testing.T, seed int64, n int) string {
	t.Helper()
	s, err := New(DemoFixture(), WithRateLimit(0), WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	s.SetFault(AllEndpoints, Fault{Rate429: 0.3, Rate500: 0.1})
	var b strings.Builder
	for range n {
		r := httptest.NewRequest("GET", "/v2/bot/info", nil)
		r.Header.Set("Authorization", "Bearer "+DemoToken)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		b.WriteByte("0123456789"[w.Code/100]) // 2, 4 or 5
		if w.Code == 429 || w.Code == 500 {
			b.WriteByte(byte('0' + w.Code%100/10)) // mark 429 vs 500 apart
		}
	}
	return b.String()
}

func TestFaultRatesAndSeed(t *testing.T) {
	const n = 4000
	a, b := faultSequence(t, 42, n), faultSequence(t, 42, n)
	if a != b {
		t.Error("the same seed gave different fault sequences")
	}
	if c := faultSequence(t, 43, n); c == a {
		t.Error("different seeds gave the same fault sequence")
	}
	n429, n500 := strings.Count(a, "42"), strings.Count(a, "50")
	if n429 < n*25/100 || n429 > n*35/100 || n500 < n*7/100 || n500 > n*13/100 {
		t.Errorf("of %d requests, %d were 429 (want ~30%%) and %d were 500 (want ~10%%)", n, n429, n500)
	}
}

func TestFaultHangUnblocksOnClientTimeout(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointGroupMemberCount, Fault{Hang: true})
	client := &http.Client{Timeout: 150 * time.Millisecond}
	req, _ := http.NewRequest("GET", ts.URL+"/v2/bot/group/"+DemoGroupOps+"/members/count", nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	start := time.Now()
	res, err := client.Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("a hung request answered %d", res.StatusCode)
	}
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("client gave up after %v", elapsed)
	}
	// The handler noticed and returned: the request is recorded with no status.
	deadline := time.Now().Add(5 * time.Second)
	for s.CountRequests(EndpointGroupMemberCount) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 || reqs[0].Endpoint != EndpointGroupMemberCount {
		t.Errorf("recorded %+v; want one request with status 0", reqs)
	}
	// Other endpoints still answer.
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("another endpoint during a hang: %d", a.status)
	}
}

func TestFaultHangReleasedByClose(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(AllEndpoints, Fault{Hang: true})
	done := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("GET", ts.URL+"/v2/bot/info", nil)
		res, err := ts.Client().Do(req)
		if err != nil {
			done <- answer{}
			return
		}
		res.Body.Close()
		done <- answer{status: res.StatusCode}
	}()
	select {
	case <-done:
		t.Fatal("a hung request answered before Close")
	case <-time.After(100 * time.Millisecond):
	}
	s.Close()
	select {
	case a := <-done:
		if a.status != 500 {
			t.Errorf("released request answered %d, want 500", a.status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the hung request")
	}
	// After Close nothing hangs any more (and Close can be called again).
	s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/v2/bot/info", nil)
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("request after Close: %v", err)
	}
	res.Body.Close()
}

func timed(t *testing.T, ts *httptest.Server, path string) time.Duration {
	t.Helper()
	start := time.Now()
	a := get(t, ts, path)
	if a.status != 200 {
		t.Fatalf("GET %s: %d", path, a.status)
	}
	return time.Since(start)
}

func TestLatency(t *testing.T) {
	const d = 60 * time.Millisecond
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointBotInfo, Fault{Latency: d})
	if got := timed(t, ts, "/v2/bot/info"); got < d {
		t.Errorf("fault latency: answered in %v, want at least %v", got, d)
	}
	s2, ts2, _ := newTestServer(t, nil, WithLatency(d))
	for _, path := range []string{"/v2/bot/info", "/v2/bot/group/" + DemoGroupOps + "/summary"} {
		if got := timed(t, ts2, path); got < d {
			t.Errorf("WithLatency on %s: answered in %v, want at least %v", path, got, d)
		}
	}
	// Both add up.
	s2.SetFault(EndpointBotInfo, Fault{Latency: d})
	if got := timed(t, ts2, "/v2/bot/info"); got < 2*d {
		t.Errorf("WithLatency plus fault latency: %v, want at least %v", got, 2*d)
	}
	// Controls are not delayed: 20 of them take well under 20 × d.
	start := time.Now()
	for range 20 {
		timed(t, ts2, "/_mock/state")
	}
	if got := time.Since(start); got >= 20*d {
		t.Errorf("20 controls took %v: they should not be delayed", got)
	}
}

func TestLatencyStopsWhenClientGivesUp(t *testing.T) {
	s, ts, _ := newTestServer(t, nil, WithLatency(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/v2/bot/info", nil)
	res, err := ts.Client().Do(req)
	if err == nil {
		res.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.CountRequests(EndpointBotInfo) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.CountRequests(EndpointBotInfo) != 1 {
		t.Error("the abandoned request's handler did not return")
	}
}

func TestSetFaultClampsRates(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	s.SetFault(AllEndpoints, Fault{Rate429: 7, Rate500: -1, Latency: -time.Second})
	if f := s.faultsSnapshot()[AllEndpoints]; f.Rate429 != 1 || f.Rate500 != 0 || f.Latency != 0 {
		t.Errorf("stored %+v; want rates clamped to [0,1] and no negative latency", f)
	}
}
