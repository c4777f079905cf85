package lineclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// retryAfterLINE answers its first request 429 with a Retry-After (LINE's rate-limit answer,
// or a proxy's HTML page), then 200.
func retryAfterLINE(t *testing.T, value string, proxy bool) *fakeLINE {
	var n atomic.Int32
	return newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			writeJSON(w, 200, map[string]int{"count": 1})
			return
		}
		w.Header().Set("Retry-After", value)
		if proxy {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(429)
			_, _ = w.Write([]byte("<html>slow down</html>"))
			return
		}
		writeJSON(w, 429, map[string]string{"message": msgRateLimited})
	})
}

// A Retry-After is honoured in full while it ends before the deadline: the loop pauses the
// scope in the pacer until then (the pacer holds every attempt on it, this one's next
// included), with no cap, and sleeps no backoff of its own on top.
func TestRetryAfterIsHonouredInFullThroughThePacer(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name, value string
		proxy       bool
		want        time.Duration
		slack       time.Duration
	}{
		{"35 seconds", "35", false, 35 * time.Second, time.Second},
		{"four minutes", "240", false, 4 * time.Minute, time.Second},
		{"a proxy's 40 seconds", "40", true, 40 * time.Second, time.Second},
		{"an HTTP date", now.Add(3 * time.Minute).UTC().Format(http.TimeFormat), false, 3 * time.Minute, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := retryAfterLINE(t, tc.value, tc.proxy)
			p := &hookPacer{}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			start := time.Now()
			if _, err := f.client(t, p).MemberCount(ctx, GroupChat(groupID)); err != nil {
				t.Fatal(err)
			}
			waits, _, pauses := p.recorded()
			if len(pauses) != 1 || len(waits) != 2 || f.requests.Load() != 2 {
				t.Fatalf("%d pauses, %d waits, %d requests; want one pause between two attempts", len(pauses), len(waits), f.requests.Load())
			}
			pause := pauses[0]
			if pause.scope != "GET /v2/bot/group/{groupId}/members/count" {
				t.Errorf("paused %q", pause.scope)
			}
			if got := pause.until.Sub(pause.at); got < tc.want-tc.slack || got > tc.want+tc.slack {
				t.Errorf("paused for %s, want %s in full", got, tc.want)
			}
			// The wait is the pacer's, which this one lets go at once: the loop does not wait
			// the Retry-After itself as well.
			if elapsed := time.Since(start); elapsed > 20*time.Second {
				t.Errorf("the loop itself waited %s", elapsed)
			}
		})
	}
}

// With the production pacer, the retry comes no sooner than the Retry-After says.
func TestRetryAfterHoldsTheRetry(t *testing.T) {
	var first, second atomic.Int64
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if first.CompareAndSwap(0, time.Now().UnixNano()) {
			w.Header().Set("Retry-After", "2")
			writeJSON(w, 429, map[string]string{"message": msgRateLimited})
			return
		}
		second.CompareAndSwap(0, time.Now().UnixNano())
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	if _, err := f.client(t).MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	// A timer never fires early; the upper bound only catches a hang.
	if gap := time.Duration(second.Load() - first.Load()); gap < 2*time.Second-50*time.Millisecond || gap > 30*time.Second {
		t.Fatalf("retried %s after Retry-After: 2", gap)
	}
}

// A Retry-After that would end after the deadline fails the call at once, naming Retry-After
// and its value, carrying the answer, and pausing nobody. A value too large for a
// time.Duration is the longest wait, not none.
func TestRetryAfterPastTheDeadlineFailsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		proxy       bool
		deadline    time.Duration
		says        string
	}{
		{"overflowing", "10000000000", false, 5 * time.Minute, "Retry-After: 10000000000, about 292 years"},
		{"beyond uint64", "99999999999999999999999", false, 5 * time.Minute, "Retry-After: 99999999999999999999999, about 292 years"},
		{"a proxy's", "10000000000", true, 5 * time.Minute, "Retry-After: 10000000000"},
		{"just past the deadline", "31", false, 30 * time.Second, "Retry-After: 31, 31s"},
		{"an HTTP date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), false, 5 * time.Minute, "Retry-After: " + time.Now().Add(time.Hour).UTC().Format("Mon, 02 Jan 2006")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := retryAfterLINE(t, tc.value, tc.proxy)
			p := &hookPacer{}
			ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
			defer cancel()
			start := time.Now()
			_, err := f.client(t, p).MemberCount(ctx, GroupChat(groupID))
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("failed after %s, want at once", elapsed)
			}
			var reqErr *RequestError
			var apiErr *APIError
			if !errors.As(err, &reqErr) || reqErr.RetryAfter != tc.value || !reqErr.Cancelled || reqErr.Attempts != 1 ||
				!errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
				t.Fatalf("err = %#v, want a *RequestError naming the Retry-After, the deadline and the 429", err)
			}
			if !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "would end after the deadline") {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if tc.proxy != (apiErr.NotLINE != "") || IsRateLimited(err) == tc.proxy {
				t.Errorf("error %q: whose 429 it was is lost", err)
			}
			if _, _, pauses := p.recorded(); len(pauses) != 0 || f.requests.Load() != 1 {
				t.Errorf("%d pauses and %d requests, want none and 1", len(pauses), f.requests.Load())
			}
		})
	}
}

// A write keeps min(request_timeout, 2s) before the deadline free: a Retry-After that ends
// inside it stops the call too.
func TestRetryAfterIntoTheMarginOfAWrite(t *testing.T) {
	f := retryAfterLINE(t, "9", false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := f.client(t, &hookPacer{}).Leave(ctx, GroupChat(groupID))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.RetryAfter != "9" || f.requests.Load() != 1 {
		t.Fatalf("err = %v after %d requests, want the Retry-After of 9s refused 10s before the deadline", err, f.requests.Load())
	}
	if MayHaveTakenEffect(err) {
		t.Error("a 429 is said to have maybe taken effect")
	}
}

// A Retry-After shorter than the backoff (here 0) does not make the retries a busy loop: the
// backoff is the least wait, and no pause is needed.
func TestShortRetryAfterKeepsTheBackoff(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 429, map[string]string{"message": msgRateLimited})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	p := &hookPacer{}
	c := f.client(t, p, backoffBounds{200 * time.Millisecond, 200 * time.Millisecond})
	start := time.Now()
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	// Two backoffs of 100 to 200ms each; a timer never fires early.
	if elapsed := time.Since(start); elapsed < 200*time.Millisecond || elapsed > 20*time.Second {
		t.Fatalf("three attempts took %s, want two backoffs", elapsed)
	}
	if _, _, pauses := p.recorded(); len(pauses) != 0 {
		t.Fatalf("%d pauses for Retry-After: 0", len(pauses))
	}
}
