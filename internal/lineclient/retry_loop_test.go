package lineclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Cancelling one operation during its backoff leaves the connections of the others alone:
// the next call reuses the idle connection the cancelled one left, and opens none.
func TestCancellingOneOperationLeavesOthersConnectionsAlone(t *testing.T) {
	var conns atomic.Int32
	f := &fakeLINE{}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/summary") {
			writeJSON(w, 503, map[string]string{"message": "busy"})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 2})
	}))
	f.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	f.Start()
	t.Cleanup(f.Close)
	c := f.client(t, &hookPacer{}, backoffBounds{time.Minute, time.Minute})
	count := func() {
		t.Helper()
		if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
			t.Fatal(err)
		}
	}
	count() // one connection, idle in the pool afterwards

	// Cancelled once its connection, done with the 503, is back in the idle pool, and the call
	// is in its minute-long backoff. Whenever the cancel comes, the call must end and nothing
	// be closed; the pause only makes sure that a loop that closes idle connections when
	// cancelled in a backoff (as go-retryablehttp's does) is caught.
	ctx, cancel := context.WithCancel(context.Background())
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{PutIdleConn: func(error) {
		time.AfterFunc(100*time.Millisecond, cancel)
	}})
	if _, err := c.GroupSummary(ctx, groupID); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the cancellation", err)
	}
	count()
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections for three calls in sequence, want 1: the cancellation closed the idle ones", n)
	}
}

// recordingWire stands for the network: it keeps what each attempt sent and answers from a
// script, one answer per attempt.
type recordingWire struct {
	mu       sync.Mutex
	statuses []int
	headers  []http.Header
	bodies   []string
}

func (w *recordingWire) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.headers = append(w.headers, req.Header.Clone())
	w.bodies = append(w.bodies, string(body))
	status := w.statuses[min(len(w.headers), len(w.statuses))-1]
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"message":"busy"}`)), Request: req}, nil
}

// renewedTokens is a token source whose token changes after each attempt, as if renewed
// between them: t1 until the first attempt went, then t2, …
type renewedTokens struct{ wire *recordingWire }

func (r *renewedTokens) token(context.Context) (string, error) {
	r.wire.mu.Lock()
	defer r.wire.mu.Unlock()
	return "t" + string(rune('1'+len(r.wire.headers))), nil
}
func (r *renewedTokens) rejected(string) bool { return false }

// The request handed to RoundTrip is never modified: each attempt gets a copy with the whole
// body (from GetBody, or from a copy when there is none) and its own token.
func TestTheRequestHandedToRoundTripIsNotModified(t *testing.T) {
	for name, getBody := range map[string]bool{"with GetBody": true, "without GetBody": false} {
		t.Run(name, func(t *testing.T) {
			w := &recordingWire{statuses: []int{503, 500, 200}}
			r := &retrier{wire: w, pacer: &hookPacer{}, tokens: &renewedTokens{wire: w}, maxRetries: 3,
				waitMin: time.Millisecond, waitMax: time.Millisecond, attemptTimeout: time.Second}
			const payload = `{"to":"C1","messages":[{"type":"text","text":"hi"}]}`
			req, err := http.NewRequest(http.MethodPost, "https://api.line.me/v2/bot/message/push", bytes.NewBufferString(payload))
			if err != nil {
				t.Fatal(err)
			}
			if !getBody {
				req.Body, req.GetBody = io.NopCloser(strings.NewReader(payload)), nil
			}
			req.Header.Set("X-Line-Retry-Key", "123e4567-e89b-12d3-a456-426655440001")
			req.Header.Set("Authorization", "Bearer "+placeholderToken)
			before := req.Header.Clone()
			ctx := req.Context()

			resp, err := r.RoundTrip(req)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("resp %v, err %v; want the third attempt's 200", resp, err)
			}
			defer resp.Body.Close()
			if !equalHeaders(req.Header, before) || req.Context() != ctx || req.URL.String() != "https://api.line.me/v2/bot/message/push" {
				t.Fatalf("the request was modified: headers %v, want %v", req.Header, before)
			}
			if !slices.Equal(w.bodies, []string{payload, payload, payload}) {
				t.Fatalf("bodies sent %q, want the whole body on every attempt", w.bodies)
			}
			for i, h := range w.headers {
				if got, want := h.Get("Authorization"), "Bearer t"+string(rune('1'+i)); got != want {
					t.Errorf("attempt %d: Authorization %q, want %q: the token current when it went", i+1, got, want)
				}
				if h.Get("X-Line-Retry-Key") != before.Get("X-Line-Retry-Key") {
					t.Errorf("attempt %d lost the retry key", i+1)
				}
			}
		})
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// The retry loop needs no record in the context: its policy is its own fields.
func TestRetrierWorksWithoutACallRecord(t *testing.T) {
	w := &recordingWire{statuses: []int{503, 503, 503, 503}}
	r := &retrier{wire: w, pacer: &hookPacer{}, maxRetries: 2, waitMin: time.Millisecond, waitMax: time.Millisecond, attemptTimeout: time.Second}
	req, _ := http.NewRequest(http.MethodGet, "https://api.line.me/v2/bot/info", nil)
	resp, err := r.RoundTrip(req)
	if err != nil || resp.StatusCode != 503 || len(w.headers) != 3 {
		t.Fatalf("resp %v, err %v after %d attempts; want the 503 after max_retries + 1 = 3", resp, err, len(w.headers))
	}
	defer resp.Body.Close()
	if w.headers[0].Get("Authorization") != "" {
		t.Error("a retrier without a token source set a token")
	}
}

// Scopes leave out the endpoint's own path (a proxy's prefix), and every token request is of
// the token endpoint's scope.
func TestScopesOfAnEndpointWithAPath(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/oauth2/v3/token") {
			writeJSON(w, 200, map[string]any{"access_token": "issued-1", "expires_in": 900})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	p := &hookPacer{}
	c := testClient(t, Config{Endpoint: f.URL + "/line/", ChannelID: testChannelID, ChannelSecret: testChannelSecret}, p)
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	waits, _, _ := p.recorded()
	if !slices.Equal(waits, []scope{scopeToken, "GET /v2/bot/group/{groupId}/members/count"}) {
		t.Fatalf("scopes %q", waits)
	}
	if !slices.Equal(f.paths, []string{"POST /line/oauth2/v3/token", "GET /line/v2/bot/group/" + groupID + "/members/count"}) {
		t.Fatalf("requests %v", f.paths)
	}
}
