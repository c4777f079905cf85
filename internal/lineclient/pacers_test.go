package lineclient

import (
	"context"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacers for tests and benchmarks, built into clients with newClient.

// fixedPacer paces every attempt at one high rate (fixedPacerRate) whatever LINE answers, and
// honours pauses: it keeps the rate controller out of tests of the retries, where a 429 with
// nothing passed would otherwise slow the endpoint down.
type fixedPacer struct {
	tokens *rate.Limiter

	mu          sync.Mutex
	pausedUntil time.Time
}

const fixedPacerRate = 10000 // requests per second

func newFixedPacer() *fixedPacer {
	return &fixedPacer{tokens: rate.NewLimiter(rate.Limit(fixedPacerRate), burstFor(fixedPacerRate))}
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

// hookPacer lets every attempt go at once, unless onWait holds it, and records what the loop
// tells it. Its hooks run inside wait (before the attempt goes) and done (after its answer):
// tests change the world there, between attempts, without sleeping.
type hookPacer struct {
	onWait func(ctx context.Context, sc scope) error // may hold the attempt, or refuse it
	onDone func(sc scope, o outcome)

	mu       sync.Mutex
	waits    []scope
	outcomes []outcome
	pauses   []pauseCall
}

// pauseCall is one call of pause: when it came, and until when it holds the scope.
type pauseCall struct {
	scope     scope
	at, until time.Time
}

func (p *hookPacer) wait(ctx context.Context, sc scope) (ticket, error) {
	queued := time.Now()
	p.mu.Lock()
	p.waits = append(p.waits, sc)
	p.mu.Unlock()
	if p.onWait != nil {
		if err := p.onWait(ctx, sc); err != nil {
			return ticket{}, err
		}
	}
	return ticket{scope: sc, queued: queued, sent: time.Now()}, nil
}

func (p *hookPacer) done(_ context.Context, t ticket, o outcome) {
	p.mu.Lock()
	p.outcomes = append(p.outcomes, o)
	p.mu.Unlock()
	if p.onDone != nil {
		p.onDone(t.scope, o)
	}
}

func (p *hookPacer) pause(_ context.Context, sc scope, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pauses = append(p.pauses, pauseCall{scope: sc, at: time.Now(), until: until})
}

func (p *hookPacer) recorded() ([]scope, []outcome, []pauseCall) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.waits), slices.Clone(p.outcomes), slices.Clone(p.pauses)
}

// hold waits d, or until ctx ends: a queue in the pacer.
func hold(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
