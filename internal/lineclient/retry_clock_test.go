package lineclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The retry loop on synctest's fake clock: the wire below answers at once, so every wait the
// loop makes is exact, and the tests take no real time.

// scriptWire answers each attempt from a script, in order (the last answer repeats), and
// records when each attempt was sent.
type scriptWire struct {
	mu      sync.Mutex
	answers []scripted
	sent    []time.Time
}

// scripted is one answer: a status, with LINE's rate-limit message for a 429, and a
// Retry-After when set.
type scripted struct {
	status     int
	retryAfter string
}

func (w *scriptWire) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sent = append(w.sent, time.Now())
	a := w.answers[min(len(w.sent), len(w.answers))-1]
	body := `{"message":"busy"}`
	if a.status == http.StatusTooManyRequests {
		body = `{"message":"` + msgRateLimited + `"}`
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func (w *scriptWire) times() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.sent...)
}

// roundTrip sends one GET through r under ctx and closes the answer.
func roundTrip(t *testing.T, ctx context.Context, r *retrier) (int, *callStats, error) {
	t.Helper()
	ctx, stats := withCallStats(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.line.me/v2/bot/group/"+groupID+"/summary", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := r.RoundTrip(req)
	if err != nil {
		return 0, stats, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, stats, nil
}

// A Retry-After that ends exactly when the last attempt may start could buy no attempt: the
// call fails at once, naming it, and holds nobody back. One that ends a second earlier is
// waited for, through the pacer.
func TestRetryAfterEndingAtTheLastStartFailsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		fails      bool
	}{{"at the deadline", "30", true}, {"a second before it", "29", false}} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := &scriptWire{answers: []scripted{{status: 429, retryAfter: tc.retryAfter}, {status: 200}}}
				p := &hookPacer{}
				r := &retrier{wire: w, pacer: p, maxRetries: 3, waitMin: time.Millisecond, waitMax: time.Millisecond, attemptTimeout: time.Second}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				status, stats, err := roundTrip(t, ctx, r)
				_, _, pauses := p.recorded()
				switch {
				case err != nil:
					t.Fatal(err)
				case tc.fails && (status != 429 || stats.retryAfter != tc.retryAfter || !errors.Is(stats.stopped, context.DeadlineExceeded) ||
					len(pauses) != 0 || len(w.times()) != 1):
					t.Fatalf("status %d, Retry-After %q, stopped %v, %d pauses, %d attempts; want the 429 at once, naming Retry-After: %s, pausing nobody",
						status, stats.retryAfter, stats.stopped, len(pauses), len(w.times()), tc.retryAfter)
				case !tc.fails && (status != 200 || len(pauses) != 1 || len(w.times()) != 2):
					t.Fatalf("status %d, %d pauses, %d attempts; want the pause, then the 200", status, len(pauses), len(w.times()))
				}
			})
		})
	}
}
