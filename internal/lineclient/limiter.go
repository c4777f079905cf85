package lineclient

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// LINE limits each endpoint of a channel with a token bucket and answers 429 beyond it. Other
// tools on the same channel draw from the same buckets, so how much room is left for this
// client is unknown until LINE says "too many". The client's one limiter therefore adapts, as
// TCP does: it halves its rate when LINE throttles, climbs back one request per second per
// answer that was not throttled, and never goes above the configured rate.
const (
	minRate        = 1.0 // requests per second: slower than this, a plan would outlive its deadline
	decreaseFactor = 0.5
	increaseStep   = 1.0 // requests per second, per answer that was not throttled
)

// limiter is the client's shared rate limiter: every attempt, retries and token requests
// included, waits for it.
type limiter struct {
	tokens   *rate.Limiter
	ceiling  float64 // the configured rate
	adaptive bool    // false keeps the rate fixed (benchmarks compare the two)

	mu sync.Mutex
	// rate is the current rate, at most ceiling.
	rate float64
	// generation counts the slow-downs. An attempt remembers the generation it went out in, and
	// only a 429 to an attempt of the current generation slows down again: attempts sent before
	// the last slow-down were sent too fast already, and one episode of throttling must halve
	// the rate once, not once per request in flight.
	generation  uint64
	pausedUntil time.Time // a Retry-After holds every request until then
	throttles   int       // slow-downs in the client's life
}

func newLimiter(ceiling float64, adaptive bool) *limiter {
	return &limiter{
		// A burst of one second's worth lets a plan's first requests start together without
		// ever going past twice the rate in any second.
		tokens:   rate.NewLimiter(rate.Limit(ceiling), burstFor(ceiling)),
		ceiling:  ceiling,
		adaptive: adaptive,
		rate:     ceiling,
	}
}

// burstFor keeps the burst at one second's worth of the current rate, so that it never
// exceeds the rate, and at least 1, without which no request could go.
func burstFor(perSecond float64) int {
	return max(1, int(math.Floor(perSecond)))
}

// wait blocks until a request may go and returns the generation it goes out in. It fails at
// once with context.DeadlineExceeded when the wait would outlast ctx's deadline, and with
// ctx's error when ctx ends while waiting.
func (l *limiter) wait(ctx context.Context) (uint64, error) {
	l.mu.Lock()
	until := l.pausedUntil
	l.mu.Unlock()
	if pause := time.Until(until); pause > 0 {
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(until) {
			return 0, context.DeadlineExceeded
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return 0, ctx.Err()
		case <-timer.C:
		}
	}
	if err := l.tokens.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		// rate.Limiter refuses a wait that would outlast the deadline without waiting.
		return 0, context.DeadlineExceeded
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.generation, nil
}

// throttled takes LINE's rate-limit 429 to an attempt sent in generation gen: it halves the
// rate (once per episode, see generation) and pauses everyone for retryAfter, if LINE said.
func (l *limiter) throttled(ctx context.Context, gen uint64, retryAfter time.Duration) {
	l.mu.Lock()
	if until := time.Now().Add(retryAfter); retryAfter > 0 && until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	if !l.adaptive || gen != l.generation {
		l.mu.Unlock()
		return
	}
	l.generation++
	l.throttles++
	l.setRate(max(minRate, l.rate*decreaseFactor))
	perSecond, throttles := l.rate, l.throttles
	l.mu.Unlock()

	fields := map[string]any{"requests_per_second": perSecond, "configured_requests_per_second": l.ceiling, "slow_downs": throttles}
	if throttles == 1 {
		tflog.Warn(ctx, "LINE is throttling requests (429): the provider slows down for the rest of the run and speeds up again as LINE allows", fields)
	}
	tflog.Debug(ctx, "Rate limiter slowed down after LINE's 429", fields)
}

// succeeded takes an answer that LINE's rate limit let through and raises the rate a step.
func (l *limiter) succeeded(ctx context.Context) {
	if !l.adaptive {
		return
	}
	l.mu.Lock()
	if l.rate >= l.ceiling {
		l.mu.Unlock()
		return
	}
	l.setRate(min(l.ceiling, l.rate+increaseStep))
	restored, throttles := l.rate >= l.ceiling, l.throttles
	l.mu.Unlock()
	if restored {
		tflog.Debug(ctx, "Rate limiter back at the configured rate", map[string]any{
			"requests_per_second": l.ceiling, "slow_downs": throttles,
		})
	}
}

// setRate must be called with mu held.
func (l *limiter) setRate(perSecond float64) {
	l.rate = perSecond
	l.tokens.SetLimit(rate.Limit(perSecond))
	l.tokens.SetBurst(burstFor(perSecond))
}

// current reports the rate now, for tests and benchmarks.
func (l *limiter) current() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}
