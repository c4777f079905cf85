package lineclient

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestLimiterHalvesWhatPassedOncePerEpisodeAndClimbsBack(t *testing.T) {
	ctx := context.Background()
	l := newLimiter(100)
	if l.tokens.Burst() != 100 {
		t.Fatalf("burst %d, want one second's worth", l.tokens.Burst())
	}
	for range 40 {
		l.succeeded(ctx) // 40 answers passed in the last second
	}
	gen, err := l.waitGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l.throttled(ctx, gen)
	if got := l.current(); got != 20 {
		t.Fatalf("rate %v after a 429, want half of the 40 that passed", got)
	}
	// Other requests of the same episode, queued before the slow-down, change nothing.
	l.throttled(ctx, gen)
	l.throttled(ctx, gen)
	if got := l.current(); got != 20 {
		t.Fatalf("rate %v after three 429s of one episode, want 20", got)
	}
	if l.tokens.Burst() != 1 {
		t.Fatalf("burst %d while slowed down, want 1", l.tokens.Burst())
	}
	// A new episode halves again; many bottom out at the floor.
	for range 20 {
		l.throttled(ctx, l.generation)
	}
	if got := l.current(); got != minRate {
		t.Fatalf("rate %v, want the floor %v", got, minRate)
	}
	for range 500 {
		l.succeeded(ctx)
		if got := l.current(); got > 100 {
			t.Fatalf("rate %v above the configured 100", got)
		}
	}
	if got, burst := l.current(), l.tokens.Burst(); got != 100 || burst != 100 {
		t.Fatalf("rate %v, burst %d after 500 answers, want 100 and 100 again", got, burst)
	}
}

func TestBurstNeverExceedsTheRate(t *testing.T) {
	for _, perSecond := range []float64{0.01, 1, 2.5, 20, 500} {
		l := newLimiter(perSecond)
		if burst := l.tokens.Burst(); float64(burst) > max(1, perSecond) || burst < 1 {
			t.Errorf("rate %v: burst %d", perSecond, burst)
		}
	}
}

func TestFirstThrottlingWarnsOnce(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	l := newLimiter(100)
	for range 3 {
		l.throttled(ctx, l.generation)
	}
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var warns, debugs int
	for _, e := range entries {
		switch {
		case e["@level"] == "warn":
			warns++
			if e["requests_per_second"] != float64(minRate) || !strings.Contains(e["@message"].(string), "throttling") {
				t.Errorf("warning %v", e)
			}
		case e["@level"] == "debug" && strings.Contains(e["@message"].(string), "slowed down"):
			debugs++
		}
	}
	if warns != 1 || debugs != 3 {
		t.Fatalf("%d warnings and %d debug lines for 3 slow-downs, want 1 and 3:\n%s", warns, debugs, out.String())
	}
}

func TestRetryAfterPausesEveryone(t *testing.T) {
	l := newLimiter(1000)
	l.pause(context.Background(), "GET /v2/bot/info", time.Now().Add(300*time.Millisecond))
	// A caller whose deadline comes before the pause ends is refused at once.
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := l.waitGeneration(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	start := time.Now()
	if _, err := l.waitGeneration(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A timer never fires early, so this lower bound cannot flake.
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Fatalf("waited %s, want the rest of the 300ms pause", waited)
	}
}

// LINE's Retry-After holds back other calls too, not only the one that got it.
func TestRetryAfterHoldsOtherCalls(t *testing.T) {
	var mu sync.Mutex
	var first429 time.Time
	var arrivals []time.Time
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if first429.IsZero() {
			first429 = time.Now()
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, map[string]string{"message": msgRateLimited})
			return
		}
		arrivals = append(arrivals, time.Now())
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	c := f.client(t)
	throttled := make(chan error, 1)
	go func() {
		_, err := c.MemberCount(context.Background(), GroupChat(groupID))
		throttled <- err
	}()
	// Another call, once the client has read the 429 and its Retry-After.
	for paused := false; !paused; {
		time.Sleep(time.Millisecond)
		l := c.pacer.(*limiter)
		l.mu.Lock()
		paused = !l.pausedUntil.IsZero()
		l.mu.Unlock()
	}
	if _, err := c.MemberCount(context.Background(), RoomChat(roomID)); err != nil {
		t.Fatal(err)
	}
	if err := <-throttled; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(arrivals) != 2 {
		t.Fatalf("%d requests after the 429, want 2", len(arrivals))
	}
	for _, at := range arrivals {
		if at.Sub(first429) < 900*time.Millisecond {
			t.Fatalf("a request came %s after LINE's Retry-After: 1", at.Sub(first429))
		}
	}
}
