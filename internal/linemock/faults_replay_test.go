package linemock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// replayCall is one request of the replay tests, sent straight to ServeHTTP.
type replayCall struct{ method, path, body string }

// serve sends c to s and returns the answer's status. A push carries its chat in a header
// the recorder keeps, so that the test can tell pushes apart in Requests.
func (c replayCall) serve(s *Server) int {
	r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
	r.Header.Set("Authorization", "Bearer "+DemoToken)
	if c.body != "" {
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Test-To", c.body[len(`{"to":"`):len(`{"to":"`)+33])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Code
}

// replayPaths are what the replay tests ask, each several times: reads, leaves (which
// change the world: each of a chat no other path asks about) and pushes to several chats
// (one URL path, told apart by "to").
func replayPaths() []replayCall {
	return []replayCall{
		{"GET", "/v2/bot/group/" + DemoGroupOps + "/summary", ""},
		{"GET", "/v2/bot/group/" + DemoGroupAllHands + "/summary", ""},
		{"GET", "/v2/bot/group/" + DemoGroupAllHands + "/members/count", ""},
		{"GET", "/v2/bot/group/" + DemoGroupOps + "/members/count", ""},
		{"GET", "/v2/bot/info", ""},
		{"POST", "/v2/bot/group/" + DemoGroupRelease + "/leave", ""},
		{"POST", "/v2/bot/room/" + DemoRoom + "/leave", ""},
		{"POST", pushPath, pushBody(DemoGroupOps, "a")},
		{"POST", pushPath, pushBody(DemoGroupAllHands, "b")},
		{"POST", pushPath, pushBody(DemoGroupNotJoined, "c")},
	}
}

// outcomes runs every path of replayPaths attempts times on a fresh server with seed, in
// the order given by interleave, and returns for each path the outcome of each attempt as
// the server recorded it ("429", "500", "200 lost", …).
func outcomes(t *testing.T, seed int64, attempts int, interleave func(s *Server, paths []replayCall, attempts int)) map[string][]string {
	t.Helper()
	s, err := New(DemoFixture(), WithSeed(seed), WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	s.SetFault(AllEndpoints, Fault{Rate429: 0.25, Rate500: 0.15, LostResponse: 0.3})
	interleave(s, replayPaths(), attempts)
	got := map[string][]string{}
	for _, r := range s.Requests() {
		key := r.Method + " " + r.Path
		if r.Endpoint == EndpointPushMessage {
			key += " to " + r.Header.Get("X-Test-To")
		}
		outcome := fmt.Sprintf("attempt %d: %d", r.Attempt, r.Status)
		if r.Lost {
			outcome += " lost"
		}
		got[key] = append(got[key], outcome)
	}
	return got
}

// inTurn asks each path once, then each again, and so on, from the first path to the last.
func inTurn(s *Server, paths []replayCall, attempts int) {
	for range attempts {
		for _, c := range paths {
			c.serve(s)
		}
	}
}

// concurrently asks every path from its own goroutine, the paths in reverse order of start:
// the arrival order across paths is whatever the scheduler makes it.
func concurrently(s *Server, paths []replayCall, attempts int) {
	var wg sync.WaitGroup
	for _, c := range slices.Backward(paths) {
		wg.Go(func() {
			for range attempts {
				c.serve(s)
			}
		})
	}
	wg.Wait()
}

// A seed replays the same faults for the same requests whatever the order they arrive in:
// one run asks the paths in turn, another from concurrent goroutines in reverse order, and
// every path gets the same outcome at every attempt. A third run with another seed differs,
// so the comparison can fail.
func TestFaultsReplayInAnyOrder(t *testing.T) {
	const seed, attempts = 20261125, 12
	a := outcomes(t, seed, attempts, inTurn)
	b := outcomes(t, seed, attempts, concurrently)
	if len(a) != len(replayPaths()) {
		t.Fatalf("%d paths recorded, want %d: %v", len(a), len(replayPaths()), a)
	}
	statuses := map[string]int{}
	for key, want := range a {
		if got := b[key]; !slices.Equal(got, want) {
			t.Errorf("%s: in turn %v, concurrently %v", key, want, got)
		}
		for _, o := range want {
			statuses[o[strings.Index(o, ": ")+2:]]++
		}
	}
	// The run met every kind of fault, and each path drew its own (fixed seed: these are facts
	// about seed 20261125, which a hash that ignored the path would not give).
	for _, kind := range []string{"429", "500", "500 lost"} {
		if statuses[kind] == 0 {
			t.Errorf("seed %d drew no %q: %v", seed, kind, statuses)
		}
	}
	patterns := map[string]bool{}
	for _, outcomes := range a {
		var p strings.Builder
		for _, o := range outcomes {
			switch {
			case strings.HasSuffix(o, " lost"):
				p.WriteByte('L')
			case strings.HasSuffix(o, ": 429"), strings.HasSuffix(o, ": 500"):
				p.WriteString(o[len(o)-3:])
			default:
				p.WriteByte('-')
			}
		}
		patterns[p.String()] = true
	}
	if len(patterns) < len(a) {
		t.Errorf("%d paths drew only %d fault patterns: every path should draw its own", len(a), len(patterns))
	}
	if c := outcomes(t, seed+1, attempts, inTurn); fmt.Sprint(c) == fmt.Sprint(a) {
		t.Errorf("seeds %d and %d drew the same faults", seed, seed+1)
	}
}

// statuses sends c n times and lists the answers' statuses.
func statusesOf(s *Server, c replayCall, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = c.serve(s)
	}
	return out
}

// First and Every choose the attempts a fault applies to, at each path on its own, counted
// from the SetFault that set it.
func TestFaultFirstAndEvery(t *testing.T) {
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	ops := replayCall{"GET", "/v2/bot/group/" + DemoGroupOps + "/summary", ""}
	release := replayCall{"GET", "/v2/bot/group/" + DemoGroupRelease + "/summary", ""}
	info := replayCall{"GET", "/v2/bot/info", ""}

	s.SetFault(EndpointGroupSummary, Fault{Rate429: 1, First: 2})
	if got := statusesOf(s, ops, 4); !slices.Equal(got, []int{429, 429, 200, 200}) {
		t.Errorf("First 2, ops: %v", got)
	}
	// Another path counts its own attempts, whatever came before it.
	if got := statusesOf(s, release, 3); !slices.Equal(got, []int{429, 429, 200}) {
		t.Errorf("First 2, release: %v", got)
	}
	// An endpoint without a fault is not touched, and does not count.
	if got := statusesOf(s, info, 2); !slices.Equal(got, []int{200, 200}) {
		t.Errorf("bot info: %v", got)
	}
	// Setting the fault again counts from the start.
	s.SetFault(EndpointGroupSummary, Fault{Rate429: 1, First: 2})
	if got := statusesOf(s, ops, 3); !slices.Equal(got, []int{429, 429, 200}) {
		t.Errorf("First 2 set again: %v", got)
	}

	s.SetFault(AllEndpoints, Fault{Rate500: 1, Every: 3})
	s.SetFault(EndpointGroupSummary, Fault{})
	if got := statusesOf(s, ops, 7); !slices.Equal(got, []int{200, 200, 500, 200, 200, 500, 200}) {
		t.Errorf("Every 3: %v", got)
	}
	// Both: every second among the first five.
	s.SetFault(EndpointBotInfo, Fault{Rate429: 1, First: 5, Every: 2})
	if got := statusesOf(s, info, 7); !slices.Equal(got, []int{200, 429, 200, 429, 200, 200, 200}) {
		t.Errorf("First 5, Every 2: %v", got)
	}
	// Requests record their attempt numbers; 0 where no fault is set.
	s.ClearFaults()
	s.ResetRequests()
	s.SetFault(EndpointBotInfo, Fault{Rate429: 1, First: 1})
	info.serve(s)
	info.serve(s)
	ops.serve(s)
	var attempts []int
	for _, r := range s.Requests() {
		attempts = append(attempts, r.Attempt)
	}
	if !slices.Equal(attempts, []int{1, 2, 0}) {
		t.Errorf("recorded attempts %v, want [1 2 0]", attempts)
	}
}

// A certain fault stays certain at any seed: Rate429 1 on the first attempt, then nothing.
func TestFaultFirstHoldsForEverySeed(t *testing.T) {
	for seed := range int64(50) {
		s, err := New(DemoFixture(), WithSeed(seed), WithRateLimit(0))
		if err != nil {
			t.Fatal(err)
		}
		s.SetFault(AllEndpoints, Fault{Rate429: 1, First: 1})
		for _, c := range replayPaths()[:5] {
			if got := statusesOf(s, c, 3); !slices.Equal(got, []int{429, 200, 200}) {
				t.Fatalf("seed %d, %s %s: %v", seed, c.method, c.path, got)
			}
		}
	}
}

// LostResponse on the first attempt: each chat's first push is sent and its answer lost,
// however pushes to several chats interleave; the retry with the same key is LINE's 409.
func TestFaultFirstLostPushPerChat(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointPushMessage, Fault{LostResponse: 1, First: 1})
	keys := map[string]string{
		DemoGroupOps: "a0a0a0a0-1111-4222-8333-444444444441",
		DemoRoom:     "a0a0a0a0-1111-4222-8333-444444444442",
	}
	push := func(to string) answer {
		t.Helper()
		return callBody(t, ts, "POST", pushPath, withKey(keys[to]), pushBody(to, "once"))
	}
	wantError(t, push(DemoGroupOps), 500, msgInternal)
	wantError(t, push(DemoRoom), 500, msgInternal) // its own first attempt, though the endpoint's second
	for _, to := range []string{DemoRoom, DemoGroupOps} {
		if a := push(to); a.status != 409 {
			t.Errorf("retry to %s: %d %s, want 409", to, a.status, a.body)
		}
	}
	if got := len(s.PushedMessages()); got != 2 {
		t.Errorf("%d pushes sent, want 2 (one per chat)", got)
	}
	// A body that is not JSON still reaches the handler, which refuses it as LINE does.
	s.SetFault(EndpointPushMessage, Fault{Latency: time.Millisecond, First: 1})
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, "not json"); a.status != 400 {
		t.Errorf("a push that is not JSON, under a fault: %d %s", a.status, a.body)
	}
}

// A leave whose first answer is lost: the bot leaves; the retry gets LINE's real 404.
func TestFaultFirstLostLeave(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointGroupLeave, Fault{LostResponse: 1, First: 1})
	wantError(t, post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"), 500, msgInternal)
	if joined, _ := s.BotJoined(DemoGroupOps); joined {
		t.Error("the lost leave did not leave")
	}
	wantError(t, post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"), 404, msgNotFound)
}

// Hang on the first attempt only: the client gives up on it, and the retry is answered.
func TestFaultFirstHang(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointBotInfo, Fault{Hang: true, First: 1})
	req, _ := http.NewRequest("GET", ts.URL+"/v2/bot/info", nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	if status := abandonHung(t, s, ts, EndpointBotInfo, req); status != 0 {
		t.Fatalf("the first attempt answered %d, want a hang", status)
	}
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("second attempt: %d", a.status)
	}
}

func TestSeedFromEnv(t *testing.T) {
	t.Setenv(SeedEnv, "")
	if _, ok, err := SeedFromEnv(); ok || err != nil {
		t.Errorf("empty: ok %v, err %v", ok, err)
	}
	t.Setenv(SeedEnv, " 1234 ")
	if seed, ok, err := SeedFromEnv(); seed != 1234 || !ok || err != nil {
		t.Errorf("1234: %d %v %v", seed, ok, err)
	}
	// The helpers pass it on.
	if s, _, _ := newTestServer(t, nil); s.Seed() != 1234 {
		t.Errorf("newTestServer under LINEMOCK_SEED=1234: seed %d", s.Seed())
	}
	// …unless the test fixes its own.
	if s, _, _ := newTestServer(t, nil, WithSeed(7)); s.Seed() != 7 {
		t.Errorf("WithSeed(7) under LINEMOCK_SEED=1234: seed %d", s.Seed())
	}
	t.Setenv(SeedEnv, "12ab")
	if _, ok, err := SeedFromEnv(); ok || err == nil || !strings.Contains(err.Error(), `LINEMOCK_SEED="12ab"`) {
		t.Errorf("12ab: ok %v, err %v", ok, err)
	}
}

// First and Every over HTTP: stored, shown, applied, and refused when negative.
func TestControlsFaultFirstAndEvery(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	ctl := func(method, path, body string) answer {
		t.Helper()
		return callBody(t, ts, method, path, map[string]string{"Authorization": "", "Content-Type": "application/json"}, body)
	}
	summary := "/_mock/faults/" + url.PathEscape(EndpointGroupSummary)
	if a := ctl("PUT", summary, `{"rate429":1,"first":2,"every":1}`); a.status != 200 || string(a.body) != `{"rate429":1,"first":2,"every":1}` {
		t.Errorf("PUT: %d %s", a.status, a.body)
	}
	if f := s.faultsSnapshot()[EndpointGroupSummary]; f != (Fault{Rate429: 1, First: 2, Every: 1}) {
		t.Errorf("stored %+v", f)
	}
	want := fmt.Sprintf(`{"seed":%d,"faults":{"%s":{"rate429":1,"first":2,"every":1}}}`, s.Seed(), EndpointGroupSummary)
	if a := ctl("GET", "/_mock/faults", ""); string(a.body) != want {
		t.Errorf("GET: %s, want %s", a.body, want)
	}
	path := "/v2/bot/group/" + DemoGroupOps + "/summary"
	for i, want := range []int{429, 429, 200} {
		if a := get(t, ts, path); a.status != want {
			t.Errorf("attempt %d: %d, want %d", i+1, a.status, want)
		}
	}
	if a := ctl("PUT", "/_mock/faults/*", `{"rate500":1,"every":2}`); a.status != 200 {
		t.Fatalf("PUT every: %d %s", a.status, a.body)
	}
	for i, want := range []int{200, 500, 200, 500} {
		if a := get(t, ts, "/v2/bot/info"); a.status != want {
			t.Errorf("every 2, attempt %d: %d, want %d", i+1, a.status, want)
		}
	}
	// Over HTTP too, a seed's attempts show in GET /_mock/requests.
	var body struct{ Requests []Request }
	if err := json.Unmarshal(ctl("GET", "/_mock/requests", "").body, &body); err != nil {
		t.Fatal(err)
	}
	if n := len(body.Requests); n != 7 || body.Requests[2].Attempt != 3 || body.Requests[6].Attempt != 4 {
		t.Errorf("recorded %+v; want attempts 1-3 then 1-4", body.Requests)
	}
	// A latency of 0 is no latency, not an error.
	if a := ctl("PUT", "/_mock/faults/*", `{"latency":"0s","rate500":1}`); a.status != 200 || string(a.body) != `{"rate500":1}` {
		t.Errorf("PUT latency 0s: %d %s", a.status, a.body)
	}
	for _, c := range []struct{ body, want string }{
		{`{"rate429":1,"first":-1}`, "first -1: want a count of attempts"},
		{`{"rate429":1,"every":-2}`, "every -2: want a count of attempts"},
		{`{"rate429":1,"first":1.5}`, "first"},
	} {
		if a := ctl("PUT", "/_mock/faults/*", c.body); a.status != 400 || !strings.Contains(a.message(t), c.want) {
			t.Errorf("PUT %s: %d %s; want 400 and %q", c.body, a.status, a.body, c.want)
		}
	}
	// SetFault clamps what Go callers give.
	s.SetFault(EndpointBotInfo, Fault{Rate429: 1, First: -3, Every: -1})
	if f := s.faultsSnapshot()[EndpointBotInfo]; f != (Fault{Rate429: 1}) {
		t.Errorf("negative First and Every stored as %+v, want 0", f)
	}
}

// Validations of different messages count their attempts apart, as the plans of several
// actions do, checked at once: each body's first attempt meets the fault, and each retry
// passes, in whatever order they come.
func TestFaultFirstValidatePerMessage(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointValidatePush, Fault{Rate500: 1, First: 1})
	validate := func(text string) answer {
		t.Helper()
		return callBody(t, ts, "POST", "/v2/bot/message/validate/push", jsonHeader, `{"messages":[{"type":"text","text":"`+text+`"}]}`)
	}
	wantError(t, validate("deploy done"), 500, msgInternal)
	wantError(t, validate("deploy failed"), 500, msgInternal) // its own first attempt, though the endpoint's second
	for _, text := range []string{"deploy failed", "deploy done"} {
		if a := validate(text); a.status != 200 {
			t.Errorf("retry of %q: %d %s, want 200", text, a.status, a.body)
		}
	}
}
