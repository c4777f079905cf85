package lineclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBackoffGrowsWithJitterAndStaysCapped(t *testing.T) {
	for attempt := range 40 {
		want := retryWaitMax
		if attempt < 10 && retryWaitMin<<attempt < retryWaitMax {
			want = retryWaitMin << attempt
		}
		for range 50 {
			got := backoff(retryWaitMin, retryWaitMax, attempt, nil)
			if got < want/2 || got > want {
				t.Fatalf("attempt %d: wait %s outside [%s, %s]", attempt, got, want/2, want)
			}
		}
	}
}

func TestBackoffHonoursRetryAfterUpToItsCap(t *testing.T) {
	resp := func(v string) *http.Response {
		return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}}
	}
	cases := map[string]time.Duration{
		"3":    3 * time.Second,
		"0":    0,
		"3600": retryAfterMax,
		time.Now().Add(time.Hour).UTC().Format(http.TimeFormat): retryAfterMax,
	}
	for header, want := range cases {
		if got := backoff(retryWaitMin, retryWaitMax, 0, resp(header)); got != want {
			t.Errorf("Retry-After %q: wait %s, want %s", header, got, want)
		}
	}
	// An unreadable Retry-After falls back to the exponential wait.
	if got := backoff(retryWaitMin, retryWaitMax, 0, resp("soon")); got > retryWaitMin {
		t.Errorf("Retry-After soon: wait %s", got)
	}
}

func TestRateLimiterIsSharedByEveryCall(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	// One request per 100 seconds, burst one: the first call spends the only token.
	c := f.client(t, func(c *Config) { c.RateLimit = 0.01 })
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Another endpoint, another chat: the same limiter refuses at once, since the wait
	// would outlast the deadline.
	_, err := c.MemberCount(ctx, RoomChat(roomID))
	if err == nil || !strings.Contains(err.Error(), "rate") {
		t.Fatalf("err = %v, want the limiter to refuse", err)
	}
	if f.requests.Load() != 1 {
		t.Fatalf("%d requests reached LINE, want 1", f.requests.Load())
	}
}
