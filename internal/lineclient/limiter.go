package lineclient

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// LINE limits each endpoint of a channel with a token bucket refilled gradually, and answers
// 429 beyond it (line-api.md §1.5, §14). Other tools on the same channel draw from the same
// buckets, so how much room is left for this client is unknown until LINE says "too many".
// The limiter therefore keeps one controller per endpoint (a partition, one per scope), each
// adapting its own rate with the law below, under one run-wide cap, rate_limit.
//
// The law (DESIGN.md, "Rate limiter", says why; BENCHMARKS.md measures it):
//
//   - Decrease: LINE's rate-limit 429 to an attempt queued in the partition's current episode
//     sets the rate to β times the lesser of the current rate and the rate LINE accepted over
//     the last second, and starts a new episode. 429s to attempts of earlier episodes change
//     nothing: they were paced too fast already, and one episode of throttling decreases once.
//   - Growth: with time, not per answer, along CUBIC's curve W(t) = C·(t−K)³ + Wmax (RFC 9438
//     §4.2), in requests per second, where Wmax = rate/β at the decrease, so that the rate comes
//     back to Wmax after K = ∛(Wmax·(1−β)/C) seconds, stays near it, then probes beyond. t
//     counts only the time in which the partition held a request back (with no request waiting
//     for it, a faster rate would change nothing and prove nothing: RFC 9438 §5.8 leaves
//     application-limited time out of t), and starts only when an answer to an attempt of the
//     current episode has passed. Growth never takes the rate above twice the rate sent over
//     the last second, nor above rate_limit, where the partition stops pacing until LINE
//     throttles again.
//   - Floor: floorShare of rate_limit, per partition.
//
// The constants are RFC 9438's (β and C), which aws-sdk-go-v2's adaptive retry mode also uses
// (aws/retry/adaptive_ratelimit.go), there against the measured send rate of the whole client.
const (
	// decreaseFactor is β: RFC 9438 §4.6 (β_cubic = 0.7); aws-sdk-go-v2's beta.
	decreaseFactor = 0.7
	// cubicC is C in requests per second per second³: RFC 9438 §5.1 (0.4); aws-sdk-go-v2's
	// scaleConstant.
	cubicC = 0.4
	// floorShare of rate_limit is the slowest a partition goes: 5 requests per second at the
	// default rate_limit of 500. Without a floor, a 429 after a second in which LINE accepted
	// nothing (another tool emptied the bucket) would stop the partition for good.
	floorShare = 0.01
	// measureWindow is how far back the rates sent and accepted are measured.
	measureWindow = time.Second
	// sendCapFactor bounds growth: never above this many times the rate sent over the last
	// measureWindow, as aws-sdk-go-v2 caps its rate at twice its measured send rate.
	sendCapFactor = 2
)

// limiter is the client's pacer: every attempt, retries and token requests included, waits
// for its scope's partition; all but token requests also draw from the run-wide cap.
type limiter struct {
	ceiling float64       // rate_limit
	cap     *rate.Limiter // rate_limit across every scope but scopeToken

	mu    sync.Mutex
	parts map[scope]*partition
}

// newLimiter builds the limiter for a client whose rate_limit is rateLimit requests per
// second (greater than zero).
func newLimiter(rateLimit float64) *limiter {
	return &limiter{
		ceiling: rateLimit,
		// A burst of one second's worth lets a plan's first requests start together without
		// ever going past twice the rate in any second.
		cap:   rate.NewLimiter(rate.Limit(rateLimit), burstFor(rateLimit)),
		parts: map[scope]*partition{},
	}
}

// burstFor keeps the burst at one second's worth of the rate, and at least 1, without which
// no request could go.
func burstFor(perSecond float64) int {
	return max(1, int(min(math.Floor(perSecond), math.MaxInt32)))
}

func (l *limiter) partition(sc scope) *partition {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.parts[sc]
	if !ok {
		p = &partition{scope: sc, ceiling: l.ceiling, floor: floorShare * l.ceiling, rate: l.ceiling}
		if sc != scopeToken {
			// The token endpoint's partition is not drawn from the cap: a token is what every
			// other request waits for.
			p.cap = l.cap
		}
		l.parts[sc] = p
	}
	return p
}

func (l *limiter) wait(ctx context.Context, sc scope) (ticket, error) {
	return l.partition(sc).wait(ctx)
}

func (l *limiter) done(ctx context.Context, t ticket, o outcome) {
	l.partition(t.scope).done(ctx, t, o)
}

func (l *limiter) pause(_ context.Context, sc scope, until time.Time) {
	l.partition(sc).pause(until)
}

// partition is one scope's controller and its queue.
type partition struct {
	scope          scope
	ceiling, floor float64
	cap            *rate.Limiter // nil for scopeToken

	mu sync.Mutex
	// rate is the partition's rate in requests per second. While throttled is false it is
	// the ceiling and the partition paces nothing itself: only the cap does.
	rate      float64
	throttled bool
	episode   uint64 // decreases so far
	// CUBIC's state since the last decrease: Wmax, K in seconds, and t (growth), the time
	// spent holding requests back since growing started.
	wmax, k float64
	growth  time.Duration
	growing bool // an answer to an attempt of the current episode has passed
	// held: a request is waiting for the partition's pacing (not for a pause or the cap)
	// since lastAdvance.
	held        bool
	lastAdvance time.Time

	lastSend    time.Time
	pausedUntil time.Time
	phase       time.Duration // random offset of the first release after the pause
	spreading   bool          // pace the waiters released by a pause, even at the ceiling
	capHeld     bool          // the first waiter waits for the run-wide cap

	queue          []*waiter
	sent, accepted window
	decreases      int // in the client's life, for the first WARN line
}

// waiter is one request in a partition's queue. wake is signalled when the request may have
// to look again: it became first, the rate went down, or a pause began.
type waiter struct{ wake chan struct{} }

func (w *waiter) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (p *partition) wait(ctx context.Context) (ticket, error) {
	if err := ctx.Err(); err != nil {
		return ticket{}, err
	}
	w := &waiter{wake: make(chan struct{}, 1)}
	p.mu.Lock()
	now := time.Now()
	p.advance(now)
	t := ticket{scope: p.scope, episode: p.episode, queued: now}
	p.queue = append(p.queue, w)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		first := p.queue[0] == w
		at := p.releaseAt(now, slices.Index(p.queue, w))
		if first {
			p.capHeld = false
		}
		if first && !at.After(now) {
			if p.cap == nil || p.cap.AllowN(now, 1) {
				p.leave(w, now)
				p.lastSend = now
				p.sent.add(now)
				p.mu.Unlock()
				t.sent = now
				return t, nil
			}
			// Wait for the cap's next token.
			p.capHeld = true
			tokens := p.cap.TokensAt(now)
			at = now.Add(time.Duration((1 - tokens) / float64(p.cap.Limit()) * float64(time.Second)))
		}
		if deadline, ok := ctx.Deadline(); ok && !at.Before(deadline) {
			p.leave(w, now)
			p.mu.Unlock()
			return ticket{}, context.DeadlineExceeded
		}
		p.updateHeld(now)
		p.mu.Unlock()

		var fire <-chan time.Time
		if first {
			if timer == nil {
				timer = time.NewTimer(at.Sub(now))
			} else {
				timer.Reset(at.Sub(now))
			}
			fire = timer.C
		}
		select {
		case <-ctx.Done():
			p.mu.Lock()
			p.advance(time.Now())
			p.leave(w, time.Now())
			p.mu.Unlock()
			return ticket{}, ctx.Err()
		case <-w.wake:
		case <-fire:
		}
		p.mu.Lock()
		now = time.Now()
		p.advance(now)
	}
}

// releaseAt is when the waiter at position pos may go, as things stand at now (mu held).
func (p *partition) releaseAt(now time.Time, pos int) time.Time {
	at := now
	if now.Before(p.pausedUntil) {
		at = p.pausedUntil.Add(p.phase)
	}
	if !p.throttled && !p.spreading {
		// Paced by the cap only, whose queue is unknown here: the earliest this could be.
		return at
	}
	gap := time.Duration(float64(time.Second) / p.rate)
	if next := p.lastSend.Add(gap); next.After(at) {
		at = next
	}
	return at.Add(time.Duration(pos) * gap)
}

// leave takes w out of the queue and tells the new first waiter (mu held).
func (p *partition) leave(w *waiter, now time.Time) {
	i := slices.Index(p.queue, w)
	if i < 0 {
		return
	}
	p.queue = slices.Delete(p.queue, i, i+1)
	if i == 0 && len(p.queue) > 0 {
		p.queue[0].signal()
	}
	if len(p.queue) == 0 && !now.Before(p.pausedUntil) {
		p.spreading = false
	}
	p.updateHeld(now)
}

// updateHeld records whether the partition itself now holds a request back (mu held).
func (p *partition) updateHeld(now time.Time) {
	p.held = p.throttled && len(p.queue) > 0 && !now.Before(p.pausedUntil) && !p.capHeld
}

// advance brings the growth clock and the rate up to now (mu held).
func (p *partition) advance(now time.Time) {
	if p.held && p.growing && now.After(p.lastAdvance) {
		p.growth += now.Sub(p.lastAdvance)
	}
	p.lastAdvance = now
	if !p.throttled || !p.growing {
		return
	}
	t := p.growth.Seconds() - p.k
	target := min(p.ceiling, p.wmax+cubicC*t*t*t)
	// Growth never passes twice what was sent over the last second, and never lowers the rate.
	target = min(target, max(p.rate, sendCapFactor*p.sent.rate(now)))
	if target > p.rate {
		p.rate = target
	}
	if p.rate >= p.ceiling {
		p.rate, p.throttled = p.ceiling, false
		p.updateHeld(now)
	}
}

func (p *partition) done(ctx context.Context, t ticket, o outcome) {
	p.mu.Lock()
	now := time.Now()
	p.advance(now)
	switch o {
	case outcomePassed:
		p.accepted.add(now)
		if t.episode == p.episode && !p.growing {
			p.growing = true
		}
		p.mu.Unlock()
	case outcomeRateLimited:
		if t.episode != p.episode {
			p.mu.Unlock()
			return
		}
		measured := p.accepted.rate(now)
		p.decrease(now, measured)
		perSecond, decreases := p.rate, p.decreases
		p.mu.Unlock()
		fields := map[string]any{"endpoint": string(p.scope), "requests_per_second": perSecond,
			"accepted_per_second": measured, "rate_limit": p.ceiling, "slow_downs": decreases}
		if decreases == 1 {
			tflog.Warn(ctx, "LINE is throttling requests to an endpoint (429): the provider slows down its requests to that endpoint and speeds up again as LINE allows", fields)
		}
		tflog.Debug(ctx, "Rate limiter slowed down after LINE's 429", fields)
	default:
		p.mu.Unlock()
	}
}

// decrease is the law's decrease (mu held): β times the lesser of the current rate and the
// measured rate (what LINE accepted over the last second), at least the floor; a new episode;
// CUBIC restarted.
func (p *partition) decrease(now time.Time, measured float64) {
	p.rate = max(p.floor, decreaseFactor*min(p.rate, measured))
	p.throttled = true
	p.episode++
	p.decreases++
	p.wmax = p.rate / decreaseFactor
	p.k = math.Cbrt(p.wmax * (1 - decreaseFactor) / cubicC)
	p.growth, p.growing = 0, false
	p.updateHeld(now)
	for _, w := range p.queue {
		w.signal()
	}
}

func (p *partition) pause(until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !until.After(now) || !until.After(p.pausedUntil) {
		return
	}
	p.advance(now)
	p.pausedUntil = until
	// The waiters go at the partition's pace after the pause, the first at a random point
	// within one gap, so that neither they nor other clients' come back at one instant.
	p.phase = time.Duration(rand.Float64() * float64(time.Second) / p.rate)
	p.spreading = true
	p.updateHeld(now)
	for _, w := range p.queue {
		w.signal()
	}
}

// window counts events (attempts sent, answers accepted) to measure their rate over the last
// measureWindow. It keeps the latest len(times) events; at a higher rate it measures over
// those.
type window struct {
	times [512]time.Time
	next  int // where the next event goes
	n     int // events kept
}

func (w *window) add(t time.Time) {
	w.times[w.next] = t
	w.next = (w.next + 1) % len(w.times)
	w.n = min(w.n+1, len(w.times))
}

// rate is the events per second over the measureWindow before now.
func (w *window) rate(now time.Time) float64 {
	from := now.Add(-measureWindow)
	count := 0
	for i := range w.n {
		t := w.times[(w.next-1-i+2*len(w.times))%len(w.times)]
		if !t.After(from) {
			return float64(count) / measureWindow.Seconds()
		}
		count++
	}
	if count == len(w.times) {
		oldest := w.times[w.next]
		if span := now.Sub(oldest).Seconds(); span > 0 {
			return float64(count) / span
		}
		return math.Inf(1)
	}
	return float64(count) / measureWindow.Seconds()
}
