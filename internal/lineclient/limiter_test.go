package lineclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The limiter's tests run in synctest bubbles: time there is a fake clock that moves only when
// every goroutine of the test is blocked, so each figure below is exact and the tests take no
// real time. time.Sleep in a bubble moves that clock; it decides nothing by luck.

// bubbleLimit is the real time a bubble may run: they take well under a second, even with
// -race on a busy machine.
const bubbleLimit = 30 * time.Second

// bubble runs f in a synctest bubble (synctest.Test), and ends the test binary if f still runs
// after bubbleLimit of real time. The fake clock moves only while every goroutine in the
// bubble is blocked, so code that loops without ever blocking (a pacer that lets everything
// go at once, a timer re-armed at no delay) would hang the test until go test's own timeout;
// the watchdog makes it fail in a minute instead. It panics, since nothing else stops a
// goroutine that never blocks.
func bubble(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	watchdog := time.AfterFunc(bubbleLimit, func() {
		panic(fmt.Sprintf("%s: still running after %s of real time: a goroutine in its synctest bubble never blocks", t.Name(), bubbleLimit))
	})
	defer watchdog.Stop()
	synctest.Test(t, f)
}

const (
	scopeA scope = "GET /v2/bot/group/{groupId}/members/count"
	scopeB scope = "GET /v2/bot/group/{groupId}/summary"
)

func mustWait(t *testing.T, l *limiter, sc scope) ticket {
	t.Helper()
	tk, err := l.wait(context.Background(), sc)
	if err != nil {
		t.Fatalf("wait(%s): %v", sc, err)
	}
	return tk
}

// accept has LINE accept n attempts on sc, one every gap: n answers within the last n·gap.
func accept(t *testing.T, l *limiter, sc scope, n int, gap time.Duration) {
	t.Helper()
	for range n {
		time.Sleep(gap)
		l.done(context.Background(), mustWait(t, l, sc), outcomePassed)
	}
}

// throttle answers 429 to one attempt of scopeA's current episode.
func throttle(t *testing.T, l *limiter) {
	t.Helper()
	l.done(context.Background(), mustWait(t, l, scopeA), outcomeRateLimited)
}

// current is a ticket of sc's current episode, as if just sent (no time passes, nothing waits).
func current(l *limiter, sc scope) ticket {
	p := l.partition(sc)
	p.mu.Lock()
	defer p.mu.Unlock()
	return ticket{scope: sc, episode: p.episode, queued: time.Now(), sent: time.Now()}
}

// current reports a scope's rate now, brought up to date as the limiter itself does.
func (l *limiter) current(sc scope) float64 {
	p := l.partition(sc)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.advance(time.Now())
	return p.rate
}

// near allows for the rounding of float64 arithmetic.
func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9 }

// cubic is the law's growth curve after a decrease to r0: back at r0/β after K seconds.
func cubic(r0, seconds float64) float64 {
	wmax := r0 / decreaseFactor
	k := math.Cbrt(wmax * (1 - decreaseFactor) / cubicC)
	d := seconds - k
	return wmax + cubicC*d*d*d
}

// workers keeps n requests on scopeA waiting for the limiter until stop is closed, each reporting
// its answer with o(ticket), and counts what was sent.
type workers struct {
	wg    sync.WaitGroup
	stop  chan struct{}
	mu    sync.Mutex
	sends []time.Time
}

func startWorkers(l *limiter, n int, o func(ticket) outcome) *workers {
	w := &workers{stop: make(chan struct{})}
	for range n {
		w.wg.Go(func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				<-w.stop
				cancel()
			}()
			for {
				tk, err := l.wait(ctx, scopeA)
				if err != nil {
					return
				}
				w.mu.Lock()
				w.sends = append(w.sends, tk.sent)
				w.mu.Unlock()
				l.done(ctx, tk, o(tk))
			}
		})
	}
	return w
}

func (w *workers) halt() {
	close(w.stop)
	w.wg.Wait()
}

// sentSince counts the sends after from.
func (w *workers) sentSince(from time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, at := range w.sends {
		if at.After(from) {
			n++
		}
	}
	return n
}

func passed(ticket) outcome { return outcomePassed }

func TestRateLimitCapsEveryEndpointButTheTokens(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(10) // a burst of 10, then one every 100ms across all endpoints
		start := time.Now()
		var wg sync.WaitGroup
		for _, sc := range []scope{scopeA, scopeB, "POST /v2/bot/message/push"} {
			wg.Go(func() {
				for range 10 {
					mustWait(t, l, sc)
				}
			})
		}
		wg.Wait()
		if took := time.Since(start); took != 2*time.Second {
			t.Fatalf("30 requests over three endpoints under rate_limit 10 took %s, want 2s (10 at once, then 10 per second)", took)
		}
		// The cap is empty now; token requests neither wait for it nor draw from it.
		for range 50 {
			mustWait(t, l, scopeToken)
		}
		if took := time.Since(start); took != 2*time.Second {
			t.Fatalf("token requests waited %s for the cap", took-2*time.Second)
		}
		mustWait(t, l, scopeA)
		if took := time.Since(start); took != 2100*time.Millisecond {
			t.Fatalf("the next request went after %s, want 2.1s: token requests took from the cap", took)
		}
	})
}

func TestDecreaseIsAFractionOfWhatLINEAcceptedOncePerEpisode(t *testing.T) {
	bubble(t, func(t *testing.T) {
		ctx := context.Background()
		l := newLimiter(500)
		accept(t, l, scopeA, 40, 25*time.Millisecond) // LINE accepted 40 in the last second
		before := current(l, scopeA)
		throttle(t, l)
		if got := l.current(scopeA); !near(got, 0.7*40) {
			t.Fatalf("rate %v after a 429, want 0.7 × the 40 accepted in the last second", got)
		}
		// 429s to attempts queued before the decrease change nothing: one episode, one decrease.
		for range 5 {
			l.done(ctx, before, outcomeRateLimited)
		}
		if got := l.current(scopeA); !near(got, 28) {
			t.Fatalf("rate %v after 429s of an earlier episode, want 28 still", got)
		}
		// Unknown outcomes (a proxy's 429, no answer) say nothing about LINE's bucket.
		for range 5 {
			l.done(ctx, current(l, scopeA), outcomeUnknown)
		}
		if got := l.current(scopeA); !near(got, 28) {
			t.Fatalf("rate %v after unknown outcomes, want 28 still", got)
		}
		// A 429 in the new episode decreases again, from the current rate when that is lower
		// than what was accepted.
		l.done(ctx, current(l, scopeA), outcomeRateLimited)
		if got := l.current(scopeA); !near(got, 0.7*28) {
			t.Fatalf("rate %v after a 429 of the new episode, want 0.7 × 28", got)
		}
	})
}

func TestGrowthFollowsTheClockNotTheAnswers(t *testing.T) {
	bubble(t, func(t *testing.T) {
		ctx := context.Background()
		l := newLimiter(500)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		throttle(t, l)
		r0 := l.current(scopeA) // 14
		// A thousand answers of the current episode at one instant earn nothing.
		for range 1000 {
			l.done(ctx, current(l, scopeA), outcomePassed)
		}
		if got := l.current(scopeA); got != r0 {
			t.Fatalf("rate %v after 1000 answers and no time, want %v: growth is by time", got, r0)
		}
		// Growth started with the first of those answers; keep the partition the bottleneck
		// and read the rate along CUBIC's curve: below Wmax at first, at Wmax after K, beyond
		// it later.
		start := time.Now()
		w := startWorkers(l, 4, passed)
		defer w.halt()
		for _, at := range []float64{1, cubicK(r0), 4, 5.5} {
			time.Sleep(time.Until(start.Add(time.Duration(at * float64(time.Second)))))
			want := cubic(r0, at)
			// One gap of the pacing (1/r) is the most by which the bottleneck's time can lag.
			if got := l.current(scopeA); got > want+1e-9 || got < cubic(r0, at-1/r0) {
				t.Errorf("rate %.3f after %.2fs of growth, want %.3f (CUBIC)", got, at, want)
			}
		}
	})
}

func cubicK(r0 float64) float64 {
	return math.Cbrt(r0 / decreaseFactor * (1 - decreaseFactor) / cubicC)
}

func TestAnswersToEarlierEpisodesEarnNothing(t *testing.T) {
	bubble(t, func(t *testing.T) {
		ctx := context.Background()
		l := newLimiter(500)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		stale := current(l, scopeA)
		throttle(t, l)
		r0 := l.current(scopeA)
		// Requests keep waiting (the partition is the bottleneck) but their own answers are
		// unknown; only attempts of the episode before the decrease pass.
		w := startWorkers(l, 4, func(ticket) outcome { return outcomeUnknown })
		for range 100 {
			time.Sleep(100 * time.Millisecond)
			l.done(ctx, stale, outcomePassed)
		}
		if got := l.current(scopeA); got != r0 {
			t.Fatalf("rate %v after 10s of answers to attempts queued before the decrease, want %v", got, r0)
		}
		// One answer of the current episode starts growth.
		l.done(ctx, current(l, scopeA), outcomePassed)
		time.Sleep(3 * time.Second)
		if got := l.current(scopeA); got <= r0 {
			t.Fatalf("rate %v 3s after an answer of the current episode, want above %v", got, r0)
		}
		w.halt()
	})
}

func TestNoGrowthWhileNotTheBottleneck(t *testing.T) {
	bubble(t, func(t *testing.T) {
		ctx := context.Background()
		l := newLimiter(500)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		throttle(t, l)
		r0 := l.current(scopeA) // 14 per second
		// Demand of 5 per second: nobody waits for the limiter, so nothing grows.
		for range 150 {
			time.Sleep(200 * time.Millisecond)
			start := time.Now()
			l.done(ctx, mustWait(t, l, scopeA), outcomePassed)
			if waited := time.Since(start); waited != 0 {
				t.Fatalf("a request at 5 per second waited %s at %v per second", waited, r0)
			}
		}
		if got := l.current(scopeA); got != r0 {
			t.Fatalf("rate %v after 30s below the rate, want %v", got, r0)
		}
		// Demand above the rate: it grows.
		w := startWorkers(l, 4, passed)
		time.Sleep(2 * time.Second)
		w.halt()
		if got := l.current(scopeA); got <= r0 {
			t.Fatalf("rate %v after 2s as the bottleneck, want above %v", got, r0)
		}
	})
}

func TestGrowthIsCappedAtTwiceTheSendRate(t *testing.T) {
	bubble(t, func(t *testing.T) {
		// rate_limit 50: the floor is 0.5 per second; 429s with nothing accepted reach it.
		l := newLimiter(50)
		for range 10 {
			l.done(context.Background(), current(l, scopeA), outcomeRateLimited)
		}
		if got := l.current(scopeA); got != 0.5 {
			t.Fatalf("rate %v, want the floor 0.5", got)
		}
		// One request always waiting: the gaps are long, so CUBIC's clock runs for seconds
		// between sends and its curve alone would reach rate_limit within 8s.
		start := time.Now()
		w := startWorkers(l, 1, passed)
		before := 0.5
		for range 80 {
			time.Sleep(100 * time.Millisecond)
			got := l.current(scopeA)
			sent := w.sentSince(time.Now().Add(-measureWindow))
			if got > before && got > 2*float64(sent)+1e-9 {
				t.Fatalf("rate %v (from %v) with %d sent in the last second (at %s): grew above twice the send rate", got, before, sent, time.Since(start))
			}
			before = got
		}
		w.halt()
		if got := l.current(scopeA); got <= 0.5 {
			t.Fatalf("rate %v after 8s, want above the floor", got)
		}
	})
}

func TestFloorIsPerPartitionAndAShareOfRateLimit(t *testing.T) {
	for _, rateLimit := range []float64{500, 20} {
		bubble(t, func(t *testing.T) {
			l := newLimiter(rateLimit)
			// After an idle spell, another tool has emptied the bucket: 429s, nothing accepted.
			accept(t, l, scopeB, 3, time.Millisecond)
			time.Sleep(time.Minute)
			for range 20 {
				throttle(t, l)
			}
			if got, want := l.current(scopeA), rateLimit*floorShare; !near(got, want) {
				t.Fatalf("rate_limit %v: rate %v, want the floor %v", rateLimit, got, want)
			}
			if got := l.current(scopeB); got != rateLimit {
				t.Fatalf("rate_limit %v: the other endpoint's rate is %v, want %v", rateLimit, got, rateLimit)
			}
		})
	}
}

func TestPartitionsAreIndependent(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(500)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		throttle(t, l)
		// Ten requests queue on A, paced at 14 per second.
		w := startWorkers(l, 10, passed)
		defer w.halt()
		synctest.Wait()
		// B and the token endpoint go at once, at full rate.
		for _, sc := range []scope{scopeB, scopeToken} {
			start := time.Now()
			for range 100 {
				tk := mustWait(t, l, sc)
				l.done(context.Background(), tk, outcomePassed)
			}
			if waited := time.Since(start); waited != 0 {
				t.Errorf("100 requests to %s waited %s behind a throttled endpoint", sc, waited)
			}
			if got := l.current(sc); got != 500 {
				t.Errorf("%s's rate is %v, want rate_limit", sc, got)
			}
		}
	})
}

// releases starts n requests on scopeA, one after another in queue order, and returns when each
// went (filled in once they have all gone: call synctest.Wait or wg.Wait first).
func releases(l *limiter, n int, wg *sync.WaitGroup) []time.Time {
	at := make([]time.Time, n)
	for i := range n {
		wg.Go(func() {
			tk, err := l.wait(context.Background(), scopeA)
			if err == nil {
				at[i] = tk.sent
			}
		})
		synctest.Wait() // queued in order
	}
	return at
}

func TestQueuedRequestsObeyADecrease(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(500)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		throttle(t, l) // 14 per second, one every 71.4ms
		var wg sync.WaitGroup
		at := releases(l, 8, &wg)
		time.Sleep(150 * time.Millisecond) // three have gone (at 0, 71 and 143ms)
		l.done(context.Background(), current(l, scopeA), outcomeRateLimited)
		slow := l.current(scopeA)
		wg.Wait()
		gap := time.Duration(float64(time.Second) / slow)
		for i := 3; i < len(at); i++ {
			if d := at[i].Sub(at[i-1]); d < gap-time.Microsecond {
				t.Errorf("request %d went %s after the one before, want the decreased gap %s", i, d, gap)
			}
		}
		if d := at[2].Sub(at[0]); d >= 2*gap {
			t.Errorf("requests before the decrease took %s, want the earlier pace", d)
		}
	})
}

func TestQueuedRequestsObeyAPauseAndLeaveItSpreadOut(t *testing.T) {
	for _, throttled := range []bool{true, false} {
		bubble(t, func(t *testing.T) {
			l := newLimiter(500)
			if throttled {
				accept(t, l, scopeA, 20, 50*time.Millisecond)
				throttle(t, l)
			}
			gap := time.Duration(float64(time.Second) / l.current(scopeA))
			var wg sync.WaitGroup
			var until time.Time
			first := 0
			if !throttled {
				// At rate_limit nothing would hold these: the pause comes first.
				until = time.Now().Add(2 * time.Second)
				l.pause(context.Background(), scopeA, until)
			}
			at := releases(l, 6, &wg)
			if throttled {
				time.Sleep(gap + gap/2) // one gap after the 429's attempt the first has gone; five wait
				first = 1
				until = time.Now().Add(2 * time.Second)
				l.pause(context.Background(), scopeA, until)
			}
			wg.Wait()
			for i := first; i < len(at); i++ {
				if at[i].Before(until) {
					t.Fatalf("throttled %t: request %d went %s before the pause ended", throttled, i, until.Sub(at[i]))
				}
				if i > first && at[i].Sub(at[i-1]) < gap-time.Microsecond {
					t.Fatalf("throttled %t: requests %d and %d went %s apart after the pause, want at least %s", throttled, i-1, i, at[i].Sub(at[i-1]), gap)
				}
			}
			if late := at[first].Sub(until); late >= gap {
				t.Fatalf("throttled %t: the first request went %s after the pause, want within one gap (%s)", throttled, late, gap)
			}
		})
	}
}

func TestWaitFailsAtOnceWhenItCannotGoBeforeTheDeadline(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(500)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		throttle(t, l) // one every 71.4ms
		var wg sync.WaitGroup
		releases(l, 5, &wg) // one gap after the 429's attempt, then one every gap
		// Sixth in the queue, it would go after six gaps, at about 429ms.
		for _, tc := range []struct {
			deadline time.Duration
			fails    bool
		}{{420 * time.Millisecond, true}, {time.Second, false}} {
			ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
			start := time.Now()
			_, err := l.wait(ctx, scopeA)
			cancel()
			took := time.Since(start)
			switch {
			case tc.fails && (!errors.Is(err, context.DeadlineExceeded) || took != 0):
				t.Fatalf("deadline %s: err %v after %s, want context.DeadlineExceeded at once", tc.deadline, err, took)
			case !tc.fails && (err != nil || took < 420*time.Millisecond || took > 440*time.Millisecond):
				t.Fatalf("deadline %s: err %v after %s, want to go between 420 and 440ms", tc.deadline, err, took)
			}
		}
		wg.Wait()
		// A decrease while it waits that puts its turn past the deadline fails it then, not at
		// the deadline.
		releases(l, 5, &wg)
		ctx, cancel := context.WithTimeout(context.Background(), 450*time.Millisecond)
		defer cancel()
		start := time.Now()
		errc := make(chan error, 1)
		go func() {
			_, err := l.wait(ctx, scopeA)
			errc <- err
		}()
		time.Sleep(100 * time.Millisecond)
		l.done(context.Background(), current(l, scopeA), outcomeRateLimited)
		if err := <-errc; !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 100*time.Millisecond {
			t.Fatalf("err %v after %s, want context.DeadlineExceeded at the decrease (100ms)", err, time.Since(start))
		}
		// Cancelled while waiting: ctx's error, and the queue moves on.
		cctx, ccancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(50 * time.Millisecond)
			ccancel()
		}()
		if _, err := l.wait(cctx, scopeA); !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
		wg.Wait()
		// Cancelled before it asks, where nothing waits: no attempt.
		if _, err := l.wait(cctx, scopeB); !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v on an idle endpoint with a cancelled context, want context.Canceled", err)
		}
	})
}

func TestFirstDecreaseOfEachEndpointWarnsOnce(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var out bytes.Buffer
		ctx := tflogtest.RootLogger(context.Background(), &out)
		l := newLimiter(100)
		for _, sc := range []scope{scopeA, scopeA, scopeA, scopeB} {
			l.done(ctx, current(l, sc), outcomeRateLimited)
		}
		entries, err := tflogtest.MultilineJSONDecode(&out)
		if err != nil {
			t.Fatal(err)
		}
		warned := map[string]int{}
		debugs := 0
		for _, e := range entries {
			switch {
			case e["@level"] == "warn":
				warned[e["endpoint"].(string)]++
				if e["requests_per_second"] != 1.0 || !strings.Contains(e["@message"].(string), "throttling") {
					t.Errorf("warning %v", e)
				}
			case e["@level"] == "debug" && strings.Contains(e["@message"].(string), "slowed down"):
				debugs++
			}
		}
		if warned[string(scopeA)] != 1 || warned[string(scopeB)] != 1 || debugs != 4 {
			t.Fatalf("warnings %v and %d debug lines for 4 decreases on two endpoints, want one each and 4:\n%s", warned, debugs, out.String())
		}
	})
}

func TestBackAtRateLimitStopsPacing(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(30)
		accept(t, l, scopeA, 20, 50*time.Millisecond)
		throttle(t, l)
		w := startWorkers(l, 4, passed)
		time.Sleep(20 * time.Second)
		w.halt()
		if got := l.current(scopeA); got != 30 {
			t.Fatalf("rate %v after 20s of growth, want rate_limit 30", got)
		}
		// At rate_limit the cap alone paces: its burst goes at once.
		time.Sleep(time.Second)
		start := time.Now()
		for range 30 {
			mustWait(t, l, scopeA)
		}
		if took := time.Since(start); took != 0 {
			t.Fatalf("a burst of 30 took %s", took)
		}
	})
}

// The first request after a pause goes at a random point within one gap of its end, so that
// clients paused alike do not all come back at one instant. The offsets of 20 pauses are all
// within the gap and not all the same (two draws of a float64 in [0, 1) match with odds of about
// 2⁻⁵³).
func TestPauseEndsAtARandomPointWithinOneGap(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(500)
		gap := time.Second / 500
		offsets := map[time.Duration]bool{}
		for range 20 {
			until := time.Now().Add(time.Second)
			l.pause(context.Background(), scopeA, until)
			tk := mustWait(t, l, scopeA)
			offset := tk.sent.Sub(until)
			if offset < 0 || offset >= gap {
				t.Fatalf("went %s after the pause's end, want within one gap (%s)", offset, gap)
			}
			offsets[offset] = true
			time.Sleep(time.Second)
		}
		if len(offsets) < 2 {
			t.Fatalf("20 pauses all ended %v after their end: no jitter", offsets)
		}
	})
}

// A request held by the run-wide cap goes the moment the cap's next token is due, counting
// what the cap refilled while the request was not yet asked: at rate_limit 10, half a token
// has come back 50ms after the burst, and the request goes 50ms later, not 100ms.
func TestCapReleasesARequestWhenItsTokenIsDue(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := newLimiter(10)
		start := time.Now()
		for range 10 {
			mustWait(t, l, scopeA) // the burst
		}
		time.Sleep(50 * time.Millisecond)
		if tk := mustWait(t, l, scopeB); tk.sent.Sub(start) != 100*time.Millisecond {
			t.Fatalf("went %s after the burst, want 100ms: when the cap's next token is due", tk.sent.Sub(start))
		}
		if tk := mustWait(t, l, scopeB); tk.sent.Sub(start) != 200*time.Millisecond {
			t.Fatalf("the next went %s after the burst, want 200ms", tk.sent.Sub(start))
		}
	})
}

// The window measures the rate over the last second, across the wrap of its ring, and over
// its latest events when more than it keeps came within the second.
func TestWindowMeasuresAcrossItsWrap(t *testing.T) {
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		events int
		gap    time.Duration
		want   float64
	}{
		// 520 events 3ms apart: the ring has wrapped 8 events ago; 334 are within the second.
		{"wrapped, slower than it keeps", 520, 3 * time.Millisecond, 334},
		// 2000 events 1ms apart: the 512 kept span 511ms.
		{"faster than it keeps", 2000, time.Millisecond, 512 / 0.511},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w window
			now := start
			for i := range tc.events {
				now = start.Add(time.Duration(i) * tc.gap)
				w.add(now)
			}
			if got := w.rate(now); math.Abs(got-tc.want) > 1e-6 {
				t.Fatalf("rate %v after %d events %s apart, want %v", got, tc.events, tc.gap, tc.want)
			}
		})
	}
}
