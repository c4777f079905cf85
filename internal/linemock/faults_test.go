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

// faultRuns is how many requests faultSequence sends.
const faultRuns = 4000

// faultSequence returns the statuses of faultRuns requests under a 30% 429 / 10% 500 fault,
// and the server's seed.
func faultSequence(t *testing.T, opts ...Option) (string, int64) {
	t.Helper()
	s, err := New(DemoFixture(), append([]Option{WithRateLimit(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	s.SetFault(AllEndpoints, Fault{Rate429: 0.3, Rate500: 0.1})
	var b strings.Builder
	for range faultRuns {
		r := httptest.NewRequest("GET", "/v2/bot/info", nil)
		r.Header.Set("Authorization", "Bearer "+DemoToken)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		b.WriteByte("0123456789"[w.Code/100]) // 2, 4 or 5
		if w.Code == 429 || w.Code == 500 {
			b.WriteByte(byte('0' + w.Code%100/10)) // mark 429 vs 500 apart
		}
	}
	return b.String(), s.Seed()
}

// The rates hold: checked at fixed seeds, so the bounds (about seven standard deviations
// wide) are facts about those seeds rather than a bet on a fresh one. A fresh seed replays
// its own run exactly, and another fresh seed draws another run.
func TestFaultRatesAndSeed(t *testing.T) {
	const n = faultRuns
	for _, seed := range []int64{1, 2, 3, 20261125} {
		a, _ := faultSequence(t, WithSeed(seed))
		n429, n500 := strings.Count(a, "42"), strings.Count(a, "50")
		if n429 < n*25/100 || n429 > n*35/100 || n500 < n*7/100 || n500 > n*13/100 {
			t.Errorf("seed %d: of %d requests, %d were 429 (want ~30%%) and %d were 500 (want ~10%%)", seed, n, n429, n500)
		}
	}
	a, seed := faultSequence(t)
	// The seed replays the run exactly.
	if b, _ := faultSequence(t, WithSeed(seed)); b != a {
		t.Errorf("WithSeed(%d) did not replay the fault sequence", seed)
	}
	// Without WithSeed every server draws a fresh seed, and so another sequence.
	c, other := faultSequence(t)
	if other == seed || c == a {
		t.Errorf("two servers without WithSeed drew seed %d and %d, same sequence %v", seed, other, c == a)
	}
}

func TestSeed(t *testing.T) {
	for _, want := range []int64{0, 1, -7, 1 << 62} {
		s, err := New(DemoFixture(), WithSeed(want))
		if err != nil {
			t.Fatal(err)
		}
		if s.Seed() != want {
			t.Errorf("WithSeed(%d): Seed() = %d", want, s.Seed())
		}
	}
	seen := map[int64]bool{}
	for range 20 {
		s, err := New(DemoFixture())
		if err != nil {
			t.Fatal(err)
		}
		seed := s.Seed()
		// Below 2^53, so that any JSON reader of GET /_mock/faults keeps it exact.
		if seed < 0 || seed >= 1<<53 {
			t.Errorf("fresh seed %d outside [0, 2^53)", seed)
		}
		seen[seed] = true
	}
	if len(seen) < 20 {
		t.Errorf("20 servers drew only %d distinct seeds", len(seen))
	}
}

func TestLostResponse(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointGroupLeave, Fault{LostResponse: 1})
	a := post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave")
	wantError(t, a, 500, msgInternal)
	// …but the leave was carried out.
	if joined, _ := s.BotJoined(DemoGroupOps); joined {
		t.Error("a leave whose answer was lost did not leave")
	}
	// The retry finds the group already left: the real answer is 404, lost too.
	wantError(t, post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"), 500, msgInternal)
	s.SetFault(EndpointGroupLeave, Fault{})
	wantError(t, post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"), 404, msgNotFound)
	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	for i, want := range []struct {
		status int
		lost   bool
	}{{500, true}, {500, true}, {404, false}} {
		if reqs[i].Status != want.status || reqs[i].Lost != want.lost {
			t.Errorf("request %d recorded with status %d, lost %v; want %d, %v", i+1, reqs[i].Status, reqs[i].Lost, want.status, want.lost)
		}
	}

	// An injected 429 or 500 comes first and carries nothing out.
	s.SetFault(EndpointRoomLeave, Fault{Rate429: 1, LostResponse: 1})
	wantError(t, post(t, ts, "/v2/bot/room/"+DemoRoom+"/leave"), 429, msgRateLimited)
	if joined, _ := s.BotJoined(DemoRoom); !joined {
		t.Error("a 429 left the room")
	}
	// So do the real checks: a lost 401 changes nothing either.
	s.SetFault(EndpointRoomLeave, Fault{LostResponse: 1})
	wantError(t, call(t, ts, "POST", "/v2/bot/room/"+DemoRoom+"/leave", map[string]string{"Authorization": "Bearer nope"}), 500, msgInternal)
	if joined, _ := s.BotJoined(DemoRoom); !joined {
		t.Error("an unauthenticated leave left the room")
	}
	// A lost read is read all the same; its answer never reaches the client.
	s.SetFault(EndpointBotInfo, Fault{LostResponse: 1})
	if a := get(t, ts, "/v2/bot/info"); a.status != 500 || strings.Contains(string(a.body), DemoBotUserID) {
		t.Errorf("lost bot info answered %d %s", a.status, a.body)
	}
}

func TestLostResponseRate(t *testing.T) {
	for _, seed := range []int64{1, 2, 20261125} {
		lostResponseRate(t, seed)
	}
}

// lostResponseRate checks the rates of injected 500s and lost answers at one fixed seed.
func lostResponseRate(t *testing.T, seed int64) {
	s, err := New(DemoFixture(), WithRateLimit(0), WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	s.SetFault(EndpointBotInfo, Fault{Rate500: 0.2, LostResponse: 0.5})
	const n = 4000
	lost, failed := 0, 0
	for range n {
		r := httptest.NewRequest("GET", "/v2/bot/info", nil)
		r.Header.Set("Authorization", "Bearer "+DemoToken)
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	for _, r := range s.Requests() {
		switch {
		case r.Lost:
			lost++
		case r.Status == 500:
			failed++
		case r.Status != 200:
			t.Fatalf("status %d", r.Status)
		}
	}
	// 20% fail up front; half of the other 80% are lost. Bounds are about seven standard
	// deviations wide, at fixed seeds.
	if failed < n*15/100 || failed > n*25/100 || lost < n*33/100 || lost > n*47/100 {
		t.Errorf("seed %d: %d injected 500s (want ~800) and %d lost answers (want ~1600) of %d", s.Seed(), failed, lost, n)
	}
}

func TestRedirectFault(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(AllEndpoints, Fault{RedirectTo: "http://elsewhere.example:8443/base/"})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		method, path, body string
	}{
		{"POST", "/v2/bot/group/" + DemoGroupOps + "/leave", ""},
		{"GET", "/v2/bot/group/" + DemoGroupAllHands + "/members/ids?start=abc%2F", ""},
		{"POST", "/oauth2/v3/token", "grant_type=client_credentials&client_id=" + DemoChannelID + "&client_secret=" + DemoChannelSecret},
	} {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+DemoToken)
		res, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := "http://elsewhere.example:8443/base" + c.path; res.StatusCode != 307 || res.Header.Get("Location") != want {
			t.Errorf("%s %s: %d Location %q; want 307 and %q", c.method, c.path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	if joined, _ := s.BotJoined(DemoGroupOps); !joined {
		t.Error("a redirected leave left the group")
	}
	// Unknown paths are not endpoints: no redirect.
	wantError(t, get(t, ts, "/v2/bot/nothing"), 404, msgNotFound)
	s.ClearFaults()
	if a := post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"); a.status != 200 {
		t.Errorf("leave after clearing the redirect: %d", a.status)
	}
}

func TestTokenEndpointFaults(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	form := "grant_type=client_credentials&client_id=" + DemoChannelID + "&client_secret=" + DemoChannelSecret
	s.SetFault(EndpointStatelessToken, Fault{Rate500: 1})
	for range 3 {
		wantError(t, callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, form), 500, msgInternal)
	}
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("the token endpoint's fault reached bot info: %d", a.status)
	}

	s.SetFault(EndpointStatelessToken, Fault{Hang: true})
	req, _ := http.NewRequest("POST", ts.URL+"/oauth2/v3/token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status := abandonHung(t, s, ts, EndpointStatelessToken, req); status != 0 {
		t.Fatalf("a hung token request answered %d", status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.CountRequests(EndpointStatelessToken) < 4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if reqs := s.Requests(); len(reqs) != 5 || reqs[4].Endpoint != EndpointStatelessToken || reqs[4].Status != 0 {
		t.Errorf("recorded %+v; want the hung token request last, with status 0", reqs)
	}
	s.SetFault(EndpointStatelessToken, Fault{})
	if a := callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, form); a.status != 200 {
		t.Errorf("after clearing the fault: %d %s", a.status, a.body)
	}
}

func TestSetRateLimit(t *testing.T) {
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	burst := func(n int, path string) (n429 int, elapsed time.Duration) {
		start := time.Now()
		for range n {
			r := httptest.NewRequest("GET", path, nil)
			r.Header.Set("Authorization", "Bearer "+DemoToken)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			switch w.Code {
			case 200:
			case 429:
				if w.Body.String() != `{"message":"`+msgRateLimited+`"}` {
					t.Fatalf("429 body %s", w.Body)
				}
				n429++
			default:
				t.Fatalf("status %d", w.Code)
			}
		}
		return n429, time.Since(start)
	}
	if got, _ := burst(500, "/v2/bot/info"); got != 0 || s.RateLimit() != 0 {
		t.Errorf("limit off: %d answers were 429, RateLimit() = %d", got, s.RateLimit())
	}
	const perSecond, extra = 40, 25
	s.SetRateLimit(perSecond)
	if s.RateLimit() != perSecond {
		t.Errorf("RateLimit() = %d", s.RateLimit())
	}
	// The bucket holds one second's worth: of perSecond+extra at once, extra are refused,
	// less any token refilled while the burst ran.
	got, elapsed := burst(perSecond+extra, "/v2/bot/info")
	refilled := int(elapsed.Seconds()*perSecond) + 1
	if got > extra || got < extra-refilled {
		t.Errorf("limit %d/s: %d of %d requests in %v were 429, want %d (at most %d refilled)", perSecond, got, perSecond+extra, elapsed, extra, refilled)
	}
	// Another endpoint has its own, full bucket.
	if got, _ := burst(perSecond, "/v2/bot/group/"+DemoGroupOps+"/summary"); got != 0 {
		t.Errorf("another endpoint: %d answers were 429", got)
	}
	s.SetRateLimit(0)
	if got, _ := burst(500, "/v2/bot/info"); got != 0 {
		t.Errorf("limit turned off: %d answers were 429", got)
	}
	s.SetRateLimit(-3)
	if s.RateLimit() != 0 {
		t.Errorf("SetRateLimit(-3): RateLimit() = %d, want 0 (off)", s.RateLimit())
	}
}

// abandonHung sends req, which a Hang fault on endpoint holds, and gives up on it once the
// mock has it (its attempt counted), rather than after a fixed client timeout, which on a
// busy machine could end before the request arrived. It returns the status of an answer, or
// 0 when there was none.
func abandonHung(t *testing.T, s *Server, ts *httptest.Server, endpoint string, req *http.Request) int {
	t.Helper()
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	status := make(chan int, 1)
	go func() {
		res, err := ts.Client().Do(req.WithContext(ctx))
		if err != nil {
			status <- 0
			return
		}
		res.Body.Close()
		status <- res.StatusCode
	}()
	key := req.Method + " " + req.URL.Path
	for deadline := time.Now().Add(10 * time.Second); attemptsAt(s, endpoint, key) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not reach the mock within 10s", key)
		}
	}
	cancel()
	return <-status
}

// attemptsAt is how many attempts at key (method and path) the fault in force on endpoint
// has counted.
func attemptsAt(s *Server, endpoint, key string) int {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	if e := s.entryFor(endpoint); e != nil {
		return e.attempts[key]
	}
	return 0
}

// A client that gives up on a hung request ends it: the handler returns, and the request is
// recorded with no status.
func TestFaultHangUnblocksOnClientTimeout(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointGroupMemberCount, Fault{Hang: true})
	req, _ := http.NewRequest("GET", ts.URL+"/v2/bot/group/"+DemoGroupOps+"/members/count", nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	if status := abandonHung(t, s, ts, EndpointGroupMemberCount, req); status != 0 {
		t.Fatalf("a hung request answered %d", status)
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

// latencySlack is how much later than its latency a request may be answered on a loaded
// two-core machine under -race; a latency far too long (seconds for milliseconds) still shows,
// and one too short or missing fails the lower bound.
const latencySlack = 2 * time.Second

func TestLatency(t *testing.T) {
	const d = 60 * time.Millisecond
	within := func(what string, got, want time.Duration) {
		t.Helper()
		if got < want || got > want+latencySlack {
			t.Errorf("%s: answered in %v, want at least %v and at most %v more", what, got, want, latencySlack)
		}
	}
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointBotInfo, Fault{Latency: d})
	within("fault latency", timed(t, ts, "/v2/bot/info"), d)
	s2, ts2, _ := newTestServer(t, nil, WithLatency(d))
	for _, path := range []string{"/v2/bot/info", "/v2/bot/group/" + DemoGroupOps + "/summary"} {
		within("WithLatency on "+path, timed(t, ts2, path), d)
	}
	// Both add up.
	s2.SetFault(EndpointBotInfo, Fault{Latency: d})
	within("WithLatency plus fault latency", timed(t, ts2, "/v2/bot/info"), 2*d)
	// Controls are not delayed: with an hour of latency on every LINE request and on every
	// endpoint's fault, a control still answers (a delayed one would hold the test until its
	// timeout, not decide it by how busy the machine is).
	s3, ts3, _ := newTestServer(t, nil, WithLatency(time.Hour))
	s3.SetFault(AllEndpoints, Fault{Latency: time.Hour})
	for _, path := range []string{"/_mock/state", "/_mock/requests", "/_mock/faults"} {
		if got := timed(t, ts3, path); got > time.Minute {
			t.Errorf("%s took %v", path, got)
		}
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
