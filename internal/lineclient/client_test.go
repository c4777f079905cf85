package lineclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	testToken = "test-token-b7f3c9"
	groupID   = "C0123456789abcdef0123456789abcdef"
	roomID    = "R0123456789abcdef0123456789abcdef"
	userID    = "U0123456789abcdef0123456789abcdef"
)

// fakeLINE is a tiny stand-in for LINE whose every answer the test chooses. The full mock
// lives in internal/linemock; these tests pin the client's own mechanics.
type fakeLINE struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	paths    []string
}

func newFakeLINE(t *testing.T, handler http.HandlerFunc) *fakeLINE {
	t.Helper()
	f := &fakeLINE{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		f.mu.Lock()
		f.paths = append(f.paths, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		w.Header().Set("X-Line-Request-Id", "req-"+r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		handler(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// client builds a client of f. Each option is a func(*Config) that changes the configuration,
// a pacer to use instead of the production one, or backoffBounds.
func (f *fakeLINE) client(t *testing.T, options ...any) *Client {
	t.Helper()
	return testClient(t, Config{Endpoint: f.URL, AccessToken: testToken, MaxRetries: 3, RateLimit: 10000}, options...)
}

func testClient(t *testing.T, cfg Config, options ...any) *Client {
	t.Helper()
	var p pacer
	var backoff *backoffBounds
	for _, o := range options {
		switch o := o.(type) {
		case func(*Config):
			o(&cfg)
		case pacer:
			p = o
		case backoffBounds:
			backoff = &o
		default:
			t.Fatalf("client option %T", o)
		}
	}
	if p == nil {
		p = newLimiter(cfg.RateLimit)
	}
	c, err := newClient(cfg, p)
	if err != nil {
		t.Fatal(err)
	}
	if backoff != nil {
		backoff.set(t, c)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func TestGroupSummarySendsTokenAndMapsFields(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("Authorization = %q", got)
		}
		writeJSON(w, 200, map[string]string{"groupId": groupID, "groupName": "Ops"})
	})
	got, err := f.client(t).GroupSummary(context.Background(), groupID)
	if err != nil {
		t.Fatal(err)
	}
	if got != (GroupSummary{GroupID: groupID, GroupName: "Ops"}) {
		t.Fatalf("summary = %+v", got)
	}
	if f.paths[0] != "GET /v2/bot/group/"+groupID+"/summary" {
		t.Fatalf("path = %s", f.paths[0])
	}
}

func TestAPIErrorCarriesStatusMessageAndRequestID(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]string{"message": "Not found"})
	})
	_, err := f.client(t).GroupSummary(context.Background(), groupID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if apiErr.StatusCode != 404 || apiErr.Message != "Not found" || apiErr.RequestID != "req-/v2/bot/group/"+groupID+"/summary" || apiErr.Attempts != 1 {
		t.Fatalf("APIError = %+v", apiErr)
	}
	if !IsNotFound(err) || IsForbidden(err) || hasStatus(err, http.StatusUnauthorized) {
		t.Fatal("status predicates disagree with 404")
	}
	for _, want := range []string{"get group chat summary", "404", "Not found", "X-Line-Request-Id: req-", "1 attempt"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, status, map[string]string{"message": "no"})
		})
		_, err := f.client(t).MemberIDs(context.Background(), GroupChat(groupID))
		if err == nil || f.requests.Load() != 1 {
			t.Errorf("status %d: err=%v requests=%d, want an error after exactly 1 request", status, err, f.requests.Load())
		}
	}
}

func TestRetriesTransientAnswersThenSucceeds(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		var n atomic.Int32
		f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				writeJSON(w, status, map[string]string{"message": msgRateLimited})
				return
			}
			writeJSON(w, 200, map[string]int{"count": 7})
		})
		count, err := f.client(t, newFixedPacer(), fastBackoff).MemberCount(context.Background(), RoomChat(roomID))
		if err != nil || count != 7 || f.requests.Load() != 3 {
			t.Errorf("status %d: count=%d err=%v requests=%d, want 7 after 3 requests", status, count, err, f.requests.Load())
		}
	}
}

func TestGivesUpAfterMaxRetriesWithLINEsMessage(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 500, map[string]string{"message": "Internal server error"})
	})
	_, err := f.client(t, func(c *Config) { c.MaxRetries = 2 }).BotInfo(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Attempts != 3 || f.requests.Load() != 3 {
		t.Fatalf("err = %v (requests %d), want 500 after 3 attempts", err, f.requests.Load())
	}
	if !strings.Contains(err.Error(), "Internal server error") || !strings.Contains(err.Error(), "3 attempts") {
		t.Fatalf("error %q lacks LINE's message or the attempt count", err)
	}
}

func TestLeaveIsRetriedLikeReads(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 500, map[string]string{"message": "oops"})
			return
		}
		writeJSON(w, 200, map[string]string{})
	})
	if err := f.client(t).Leave(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	if f.requests.Load() != 2 || f.paths[1] != "POST /v2/bot/group/"+groupID+"/leave" {
		t.Fatalf("requests = %v", f.paths)
	}
}

func TestCancelStopsWaitingAtOnce(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, map[string]string{"message": "busy"})
	})
	// Every backoff lasts at least a minute: only the cancellation can end the call early.
	c := f.client(t, backoffBounds{2 * time.Minute, 2 * time.Minute}, func(c *Config) { c.MaxRetries = 10 })
	// Cancel once the client has LINE's answer (its log line says so): during the first backoff.
	answered := &logSignal{match: `"status":503`, seen: make(chan struct{})}
	ctx, cancel := context.WithCancel(tflogtest.RootLogger(context.Background(), answered))
	go func() {
		<-answered.seen
		cancel()
	}()
	start := time.Now()
	_, err := c.BotInfo(ctx)
	elapsed := time.Since(start)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Cancelled || !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a cancelled *RequestError that is context.Canceled", err)
	}
	if elapsed > 30*time.Second {
		t.Fatalf("the call returned %s after its start, want at once after the cancel, not after the backoff", elapsed)
	}
	if got := f.requests.Load(); got != 1 {
		t.Fatalf("%d requests, want the retries to stop at the cancel", got)
	}
	if !strings.Contains(err.Error(), "LINE last answered 503: busy") {
		t.Fatalf("error %q does not give LINE's last answer", err)
	}
}

func TestHungEndpointTimesOutPerAttempt(t *testing.T) {
	release := make(chan struct{})
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := f.client(t, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c.GroupSummary(context.Background(), groupID)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.TimedOut || reqErr.Attempts != 2 {
		t.Fatalf("err = %#v, want a timed-out *RequestError after 2 attempts", err)
	}
	if !strings.Contains(err.Error(), "timed out") || !strings.Contains(err.Error(), "50ms") {
		t.Fatalf("error %q does not say it timed out after 50ms", err)
	}
}

func TestMalformedIDsNeverReachTheNetwork(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s", r.URL.Path)
	})
	c := f.client(t)
	ctx := context.Background()
	bad := []string{"", "C1/../x", "c0123456789abcdef0123456789abcdef", groupID + "0", "C0123456789ABCDEF0123456789abcdef", "C0123456789abcdef0123456789abcde%"}
	for _, id := range bad {
		var idErr *InvalidIDError
		if _, err := c.GroupSummary(ctx, id); !errors.As(err, &idErr) {
			t.Errorf("GroupSummary(%q) err = %v", id, err)
		}
		if _, err := c.MemberCount(ctx, RoomChat(id)); !errors.As(err, &idErr) {
			t.Errorf("MemberCount(room %q) err = %v", id, err)
		}
		if _, err := c.MemberProfile(ctx, GroupChat(groupID), id); !errors.As(err, &idErr) {
			t.Errorf("MemberProfile(user %q) err = %v", id, err)
		}
		if err := c.Leave(ctx, GroupChat(id)); !errors.As(err, &idErr) {
			t.Errorf("Leave(%q) err = %v", id, err)
		}
	}
	if _, err := ParseChat("U0123456789abcdef0123456789abcdef"); err == nil || !strings.Contains(err.Error(), `"C" followed by 32`) {
		t.Errorf("ParseChat(user ID) err = %v", err)
	}
}

func TestMemberIDsFollowsEveryPage(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("start") {
		case "":
			writeJSON(w, 200, map[string]any{"memberIds": []string{"U1", "U2"}, "next": "p2"})
		case "p2":
			writeJSON(w, 200, map[string]any{"memberIds": []string{"U3"}, "next": "p 3/+"})
		case "p 3/+":
			writeJSON(w, 200, map[string]any{"memberIds": []string{"U4"}})
		default:
			writeJSON(w, 400, map[string]string{"message": "Invalid start param"})
		}
	})
	ids, err := f.client(t).MemberIDs(context.Background(), RoomChat(roomID))
	if err != nil || strings.Join(ids, ",") != "U1,U2,U3,U4" {
		t.Fatalf("ids = %v, err = %v", ids, err)
	}
}

func TestIdenticalReadsInFlightShareOneRequest(t *testing.T) {
	bubble(t, func(t *testing.T) {
		gate := make(chan struct{})
		var requests atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			requests.Add(1)
			<-gate
			return jsonAnswer(req, 200, `{"groupId":"`+groupID+`","groupName":"Ops"}`), nil
		})
		c := testClient(t, Config{AccessToken: testToken, MaxRetries: 3, RateLimit: 10000, Transport: w})
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Go(func() {
				s, err := c.GroupSummary(context.Background(), groupID)
				if err == nil && s.GroupName != "Ops" {
					err = errors.New("wrong summary " + s.GroupName)
				}
				errs <- err
			})
		}
		// LINE answers once every caller waits: for its own request, or in the flight of
		// another's.
		synctest.Wait()
		close(gate)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := requests.Load(); got != 1 {
			t.Fatalf("%d requests for 20 identical concurrent reads, want 1", got)
		}
	})
}

// A read that starts after a leave never joins one that started before it: what was
// remembered about the chat is forgotten.
func TestLeaveInvalidatesReadsInFlight(t *testing.T) {
	gate := make(chan struct{})
	var summaries atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/leave") {
			writeJSON(w, 200, map[string]string{})
			return
		}
		if summaries.Add(1) == 1 {
			<-gate // the read from before the leave is slow
			writeJSON(w, 200, map[string]string{"groupId": groupID, "groupName": "before"})
			return
		}
		writeJSON(w, 404, map[string]string{"message": "Not found"})
	})
	c := f.client(t)
	ctx := context.Background()
	before := make(chan error, 1)
	go func() {
		_, err := c.GroupSummary(ctx, groupID)
		before <- err
	}()
	for summaries.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	if err := c.Leave(ctx, GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	// Made while the read from before the leave is still in flight: LINE is asked again.
	if _, err := c.GroupSummary(ctx, groupID); !IsNotFound(err) {
		t.Fatalf("read after the leave: err = %v, want LINE's fresh 404", err)
	}
	close(gate)
	if err := <-before; err != nil {
		t.Fatal(err)
	}
	if got := summaries.Load(); got != 2 {
		t.Fatalf("%d summary requests, want 2", got)
	}
}

func TestConcurrentCallsThroughOneClient(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/summary"):
			writeJSON(w, 200, map[string]string{"groupId": groupID, "groupName": "Ops"})
		case strings.HasSuffix(r.URL.Path, "/count"):
			writeJSON(w, 200, map[string]int{"count": 3})
		case strings.Contains(r.URL.Path, "/member/"):
			writeJSON(w, 200, map[string]string{"userId": userID, "displayName": "Aiko"})
		default:
			writeJSON(w, 200, map[string]string{})
		}
	})
	c := f.client(t)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			var err error
			switch i % 4 {
			case 0:
				_, err = c.GroupSummary(ctx, groupID)
			case 1:
				_, err = c.MemberCount(ctx, RoomChat(roomID))
			case 2:
				_, err = c.MemberProfile(ctx, GroupChat(groupID), userID)
			case 3:
				err = c.Leave(ctx, RoomChat(roomID))
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func TestMemberProfilesKeepsOrderAndSkipsLeavers(t *testing.T) {
	var ids []string
	gone := map[string]bool{}
	for i := range 30 {
		id := fmt.Sprintf("U%032x", 0xa000+i)
		if i == 7 || i == 21 {
			gone[id] = true
		}
		ids = append(ids, id)
	}
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		if gone[id] {
			writeJSON(w, 404, map[string]string{"message": "Not found"})
			return
		}
		// Later members answer first, so that the order cannot come from the answers'.
		time.Sleep(time.Duration(30-slices.Index(ids, id)) * time.Millisecond / 10)
		writeJSON(w, 200, map[string]string{"userId": id, "displayName": "name-" + id[len(id)-4:]})
	})
	profiles, skipped, err := f.client(t).MemberProfiles(context.Background(), GroupChat(groupID), ids, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, []string{ids[7], ids[21]}) {
		t.Fatalf("skipped %v, want %s and %s", skipped, ids[7], ids[21])
	}
	var want []string
	for _, id := range ids {
		if !gone[id] {
			want = append(want, id)
		}
	}
	var got []string
	for _, p := range profiles {
		got = append(got, p.UserID)
		if p.DisplayName != "name-"+p.UserID[len(p.UserID)-4:] {
			t.Errorf("profile %s has the name %q", p.UserID, p.DisplayName)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("profiles in the order\n%v\nwant LINE's order\n%v", got, want)
	}
}

// logSignal is a log sink that closes seen at the first line holding match.
type logSignal struct {
	match string
	seen  chan struct{}
	once  sync.Once
}

func (l *logSignal) Write(p []byte) (int, error) {
	if strings.Contains(string(p), l.match) {
		l.once.Do(func() { close(l.seen) })
	}
	return len(p), nil
}

// A connection LINE's end refuses is a failure to reach it, not a timeout: the attempt's own
// time has not run out, so the error must not say "timed out" (nor ask for a longer
// request_timeout, which would change nothing).
func TestRefusedConnectionIsNotATimeout(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + listener.Addr().String()
	_ = listener.Close() // nothing listens there any more: every connection is refused
	c := testClient(t, Config{Endpoint: endpoint, AccessToken: testToken, MaxRetries: 1, RateLimit: 10000}, fastBackoff)
	_, err = c.BotInfo(context.Background())
	var reqErr *RequestError
	if !errors.As(err, &reqErr) {
		t.Fatalf("error %v (%T), want a *RequestError", err, err)
	}
	if reqErr.TimedOut || strings.Contains(err.Error(), "timed out") || strings.Contains(err.Error(), "no answer within") {
		t.Errorf("a refused connection reads as a timeout: %v", err)
	}
	if !strings.Contains(err.Error(), "refused") || reqErr.Attempts != 2 {
		t.Errorf("error %q after %d attempts, want the refusal after 2 attempts", err, reqErr.Attempts)
	}
}

// A room's member profile is read from the room's endpoint, a group's from the group's; the
// membership of a group comes from its summary, with its name, and a room's from its count.
func TestEachChatTypeIsReadAtItsOwnEndpoints(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/summary"):
			writeJSON(w, 200, map[string]string{"groupId": groupID, "groupName": "Ops", "pictureUrl": "https://example.com/ops.png"})
		case strings.HasSuffix(r.URL.Path, "/members/count"):
			writeJSON(w, 200, map[string]int{"count": 3})
		default:
			writeJSON(w, 200, map[string]string{"userId": userID, "displayName": "Ann"})
		}
	})
	c := f.client(t)
	ctx := context.Background()
	for _, chat := range []Chat{RoomChat(roomID), GroupChat(groupID)} {
		if p, err := c.MemberProfile(ctx, chat, userID); err != nil || p.DisplayName != "Ann" {
			t.Fatalf("MemberProfile(%s) = %+v, %v", chat, p, err)
		}
	}
	group, err := c.Membership(ctx, GroupChat(groupID))
	if err != nil || !group.IsMember || group.GroupName != "Ops" || group.PictureURL != "https://example.com/ops.png" {
		t.Fatalf("Membership(group) = %+v, %v; want the bot in, with the group's name and picture", group, err)
	}
	room, err := c.Membership(ctx, RoomChat(roomID))
	if err != nil || !room.IsMember || room.GroupName != "" {
		t.Fatalf("Membership(room) = %+v, %v", room, err)
	}
	want := []string{
		"GET /v2/bot/room/" + roomID + "/member/" + userID,
		"GET /v2/bot/group/" + groupID + "/member/" + userID,
		"GET /v2/bot/group/" + groupID + "/summary",
		"GET /v2/bot/room/" + roomID + "/members/count",
	}
	if !slices.Equal(f.paths, want) {
		t.Fatalf("requests\n%v\nwant\n%v", f.paths, want)
	}
}

// Endless continuation tokens stop after maxMemberPages requests, no more, within the
// caller's deadline.
func TestMemberIDsStopsAfterMaxMemberPages(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"memberIds": []string{"U1"}, "next": "again"})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ids, err := f.client(t).MemberIDs(ctx, GroupChat(groupID))
	if err == nil || ids != nil || !strings.Contains(err.Error(), fmt.Sprintf("more than %d pages", maxMemberPages)) {
		t.Fatalf("ids %d, err %v; want the page bound's error", len(ids), err)
	}
	if got := f.requests.Load(); got != maxMemberPages {
		t.Fatalf("%d page requests, want %d", got, maxMemberPages)
	}
}

// No user IDs, no request: not even the check that the bot is still in the chat.
func TestMemberProfilesOfNobodyAsksNothing(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s", r.URL.Path)
		writeJSON(w, 404, map[string]string{"message": "Not found"})
	})
	profiles, skipped, err := f.client(t).MemberProfiles(context.Background(), GroupChat(groupID), nil, 4)
	if err != nil || len(profiles) != 0 || len(skipped) != 0 {
		t.Fatalf("profiles %v, skipped %v, err %v; want none and no error", profiles, skipped, err)
	}
}

// A value is quoted whole in an error up to 64 bytes, and cut short with "…" beyond.
func TestInvalidIDQuotesLongValuesShort(t *testing.T) {
	for _, tc := range []struct {
		value, shown string
	}{
		{strings.Repeat("x", 64), `"` + strings.Repeat("x", 64) + `"`},
		{strings.Repeat("x", 65), `"` + strings.Repeat("x", 64) + `"…`},
	} {
		_, err := ParseChat(tc.value)
		if err == nil || !strings.Contains(err.Error(), "chat ID "+tc.shown+": must") {
			t.Errorf("ParseChat(%d bytes) err = %v, want the value shown as %s", len(tc.value), err, tc.shown)
		}
	}
}

// A read that joined another's request goes on when the caller who made the request gives up:
// it asks LINE itself, rather than take the other caller's cancellation for its own.
func TestAJoinedReadOutlivesTheCallerItJoined(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var summaries atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			if summaries.Add(1) == 1 {
				<-req.Context().Done() // the first request is answered only by its caller's going away
				return nil, req.Context().Err()
			}
			return jsonAnswer(req, 200, `{"groupId":"`+groupID+`","groupName":"Ops"}`), nil
		})
		c := testClient(t, Config{AccessToken: testToken, MaxRetries: 3, RateLimit: 10000, Transport: w})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		leader, leave := context.WithCancel(ctx)
		leaderErr := make(chan error, 1)
		go func() {
			_, err := c.GroupSummary(leader, groupID)
			leaderErr <- err
		}()
		synctest.Wait() // the leader's request is in flight
		joinerErr := make(chan error, 1)
		var summary GroupSummary
		go func() {
			var err error
			summary, err = c.GroupSummary(ctx, groupID)
			joinerErr <- err
		}()
		synctest.Wait() // the joiner waits in the leader's flight
		if got := summaries.Load(); got != 1 {
			t.Fatalf("%d summary requests before the leader gave up, want 1", got)
		}
		leave()
		if err := <-leaderErr; !errors.Is(err, context.Canceled) {
			t.Fatalf("the caller who gave up: err = %v, want its cancellation", err)
		}
		if err := <-joinerErr; err != nil || summary.GroupName != "Ops" {
			t.Fatalf("the joined read: %+v, %v; want LINE's answer to a request of its own", summary, err)
		}
		if got := summaries.Load(); got != 2 {
			t.Fatalf("%d summary requests, want 2", got)
		}
	})
}

// rate_limit unset (or not positive) means DefaultRateLimit, under which calls go; a rate_limit
// given is the one used.
func TestRateLimitDefaultsWhenNotPositive(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]int{"count": 2})
	})
	for _, tc := range []struct{ set, want float64 }{{0, DefaultRateLimit}, {-1, DefaultRateLimit}, {7, 7}} {
		c, err := New(Config{Endpoint: f.URL, AccessToken: testToken, RateLimit: tc.set})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := c.api.Transport.(*retrier)
		if l, ok := r.pacer.(*limiter); !ok || l.ceiling != tc.want {
			t.Fatalf("rate_limit %v: the client paces at %+v, want %v", tc.set, r.pacer, tc.want)
		}
		// More calls than one burst of a zero rate would let through, within a deadline.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		for i := range 3 {
			if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
				t.Fatalf("rate_limit %v: call %d: %v", tc.set, i+1, err)
			}
		}
		cancel()
	}
}
