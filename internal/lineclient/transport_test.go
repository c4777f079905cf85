package lineclient

import (
	"net/http"
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
