package lineclient

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacers for tests and benchmarks, built into clients with newClient.

// fixedPacer paces every attempt at one rate whatever LINE answers (the client before issue
// 10), and honours pauses. With a high rate it keeps the rate controller out of tests of the
// retries: after a 429 with nothing passed, the adaptive limiter paces a request per second.
type fixedPacer struct {
	tokens *rate.Limiter

	mu          sync.Mutex
	pausedUntil time.Time
}

func newFixedPacer(perSecond float64) *fixedPacer {
	return &fixedPacer{tokens: rate.NewLimiter(rate.Limit(perSecond), burstFor(perSecond))}
}

func (p *fixedPacer) wait(ctx context.Context, sc scope) (ticket, error) {
	queued := time.Now()
	p.mu.Lock()
	until := p.pausedUntil
	p.mu.Unlock()
	if err := sleepUntil(ctx, until); err != nil {
		return ticket{}, err
	}
	if err := p.tokens.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ticket{}, ctx.Err()
		}
		return ticket{}, context.DeadlineExceeded
	}
	return ticket{scope: sc, queued: queued, sent: time.Now()}, nil
}

func (p *fixedPacer) done(context.Context, ticket, outcome) {}

func (p *fixedPacer) pause(_ context.Context, _ scope, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
}

// sleepUntil waits until t, failing at once when ctx's deadline comes first.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(t) {
		return context.DeadlineExceeded
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
