package lineclient

// The rate limiter of issues 10 to 18, moved here from limiter.go as the baseline that
// BenchmarkRateControllers compares the per-endpoint controller with. Its code is as it was
// (names prefixed with "previous"), behind the pacer interface as the client helper's adapter
// put it there.

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// LINE limits each endpoint of a channel with a token bucket and answers 429 beyond it. Other
// tools on the same channel draw from the same buckets, so how much room is left for this
// client is unknown until LINE says "too many". The client's one limiter therefore adapts, as
// TCP does: when LINE throttles, it halves the rate that LINE let through in the last second
// (not the configured one, which is what went wrong: RFC 5681 halves the data in flight, not
// the window, for the same reason); it climbs back one request per second per answer that was
// not throttled, and never goes above the configured rate.
const (
	previousMinRate        = 1.0 // requests per second: slower than this, a plan would outlive its deadline
	previousDecreaseFactor = 0.5
	previousIncreaseStep   = 1.0 // requests per second, per answer that was not throttled
)

// previousLimiter was the client's shared rate limiter: every attempt, retries and token requests
// included, waited for it. It is the pacer of issue 10, one for every scope (it ignores the
// scope).
type previousLimiter struct {
	tokens  *rate.Limiter
	ceiling float64 // the configured rate

	mu sync.Mutex
	// rate is the current rate, at most ceiling.
	rate float64
	// generation counts the slow-downs. An attempt remembers the generation it was queued in,
	// and only a 429 to an attempt of the current generation slows down again: attempts queued
	// before the last slow-down were paced too fast already, and one episode of throttling
	// must halve the rate once, not once per request in flight.
	generation  uint64
	pausedUntil time.Time // a Retry-After holds every request until then
	throttles   int       // slow-downs in the client's life
	passed      previousPassCounter
}

// previousPassCounter counts the answers LINE's rate limit let through, in one-second windows, to
// estimate how many passed in the last second.
type previousPassCounter struct {
	window         time.Time // the start of the current window
	current, prior int
}

func (p *previousPassCounter) add(now time.Time) {
	p.roll(now)
	p.current++
}

// lastSecond estimates the answers of the second before now: the current window's, and the
// part of the prior window's that falls within the second.
func (p *previousPassCounter) lastSecond(now time.Time) float64 {
	p.roll(now)
	elapsed := now.Sub(p.window).Seconds()
	return float64(p.current) + float64(p.prior)*max(0, 1-elapsed)
}

func (p *previousPassCounter) roll(now time.Time) {
	switch elapsed := now.Sub(p.window); {
	case elapsed >= 2*time.Second:
		p.window, p.current, p.prior = now, 0, 0
	case elapsed >= time.Second:
		p.window, p.current, p.prior = p.window.Add(time.Second), 0, p.current
	}
}

func newPreviousLimiter(ceiling float64) *previousLimiter {
	return &previousLimiter{
		// A burst of one second's worth lets a plan's first requests start together without
		// ever going past twice the rate in any second.
		tokens:  rate.NewLimiter(rate.Limit(ceiling), burstFor(ceiling)),
		ceiling: ceiling,
		rate:    ceiling,
	}
}

// wait, done and pause make the limiter a pacer. It has one bucket for every scope.
func (l *previousLimiter) wait(ctx context.Context, sc scope) (ticket, error) {
	queued := time.Now()
	gen, err := l.waitGeneration(ctx)
	if err != nil {
		return ticket{}, err
	}
	return ticket{scope: sc, episode: gen, queued: queued, sent: time.Now()}, nil
}

func (l *previousLimiter) done(ctx context.Context, t ticket, o outcome) {
	switch o {
	case outcomePassed:
		l.succeeded(ctx)
	case outcomeRateLimited:
		l.throttled(ctx, t.episode)
	case outcomeUnknown:
	}
}

func (l *previousLimiter) pause(_ context.Context, _ scope, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
}

// waitGeneration blocks until a request may go and returns the generation it was queued in: a
// request queued at the rate before a slow-down goes out at that rate, however late. It fails
// at once with context.DeadlineExceeded when the wait would outlast ctx's deadline, and with
// ctx's error when ctx ends while waiting.
func (l *previousLimiter) waitGeneration(ctx context.Context) (uint64, error) {
	l.mu.Lock()
	gen, until := l.generation, l.pausedUntil
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
	return gen, nil
}

// throttled takes LINE's rate-limit 429 to an attempt sent in generation gen: it halves the
// rate, once per episode (see generation).
func (l *previousLimiter) throttled(ctx context.Context, gen uint64) {
	l.mu.Lock()
	if gen != l.generation {
		l.mu.Unlock()
		return
	}
	l.generation++
	l.throttles++
	l.setRate(max(previousMinRate, previousDecreaseFactor*min(l.rate, l.passed.lastSecond(time.Now()))))
	perSecond, throttles := l.rate, l.throttles
	l.mu.Unlock()

	fields := map[string]any{"requests_per_second": perSecond, "configured_requests_per_second": l.ceiling, "slow_downs": throttles}
	if throttles == 1 {
		tflog.Warn(ctx, "LINE is throttling requests (429): the provider slows down for the rest of the run and speeds up again as LINE allows", fields)
	}
	tflog.Debug(ctx, "Rate limiter slowed down after LINE's 429", fields)
}

// succeeded takes an answer that LINE's rate limit let through and raises the rate a step.
func (l *previousLimiter) succeeded(ctx context.Context) {
	l.mu.Lock()
	l.passed.add(time.Now())
	if l.rate >= l.ceiling {
		l.mu.Unlock()
		return
	}
	l.setRate(min(l.ceiling, l.rate+previousIncreaseStep))
	restored, throttles := l.rate >= l.ceiling, l.throttles
	l.mu.Unlock()
	if restored {
		tflog.Debug(ctx, "Rate limiter back at the configured rate", map[string]any{
			"requests_per_second": l.ceiling, "slow_downs": throttles,
		})
	}
}

// setRate must be called with mu held. Below the configured rate the burst is 1: requests are
// paced evenly, since a burst is what an empty bucket at LINE refuses first.
func (l *previousLimiter) setRate(perSecond float64) {
	l.rate = perSecond
	l.tokens.SetLimit(rate.Limit(perSecond))
	if perSecond < l.ceiling {
		l.tokens.SetBurst(1)
	} else {
		l.tokens.SetBurst(burstFor(perSecond))
	}
}
