package lineclient

import (
	"context"
	"math"
	"sync"
	"time"
)

// awsAdaptive is a client-side rate controller in the manner of the AWS SDKs' adaptive retry
// mode, written here from its published description for BenchmarkRateControllers: the AWS SDKs
// and Tools Reference Guide, "Retry behavior" (adaptive mode: a token bucket that limits
// nothing until the first throttling answer, then adapts by CUBIC), and the constants and
// steps of aws-sdk-go-v2's aws/retry/adaptive_ratelimit.go, cited below. Like the SDK's, it is
// one controller for the whole client: it ignores the scope.
//
//   - Every answer updates the measured rate: answers counted in half-second buckets, and each
//     bucket's rate smoothed into the measure with weight awsSmooth.
//   - A throttling answer sets Wmax to the lesser of the measure and the current fill rate,
//     restarts CUBIC's clock, and sets the rate to awsBeta·Wmax.
//   - Any other answer sets the rate to CUBIC's W(t) = awsScale·(t−K)³ + Wmax, with t the time
//     since the last throttling answer and K = ∛(Wmax·(1−β)/C).
//   - Either way, the rate is at most twice the measure, and the fill rate at least
//     awsMinFillRate; the bucket holds one second's worth (at least one token).
type awsAdaptive struct {
	mu             sync.Mutex
	enabled        bool // no limit until the first throttling answer
	fillRate       float64
	capacity       float64
	tokens         float64
	lastRefill     time.Time
	measured       float64   // the smoothed answer rate
	bucketStart    time.Time // the current half-second measurement bucket
	bucketCount    int
	lastMax        float64
	lastThrottle   time.Time
	pausedUntil    time.Time
	throttleEvents int
}

// The constants of aws-sdk-go-v2's newAdaptiveRateLimit.
const (
	awsSmooth      = 0.8 // "smooth"
	awsBeta        = 0.7 // "beta"
	awsScale       = 0.4 // "scaleConstant"
	awsMinFillRate = 0.5 // "minFillRate", tokens per second
	awsBucket      = 500 * time.Millisecond
)

func newAWSAdaptive() *awsAdaptive {
	now := time.Now()
	return &awsAdaptive{bucketStart: now.Truncate(awsBucket), lastThrottle: now}
}

func (a *awsAdaptive) wait(ctx context.Context, sc scope) (ticket, error) {
	queued := time.Now()
	for {
		a.mu.Lock()
		now := time.Now()
		var d time.Duration
		switch {
		case now.Before(a.pausedUntil):
			d = a.pausedUntil.Sub(now)
		case !a.enabled:
		default:
			a.refill(now)
			if a.tokens < 1 {
				d = time.Duration((1 - a.tokens) / a.fillRate * float64(time.Second))
			} else {
				a.tokens--
			}
		}
		a.mu.Unlock()
		if d == 0 {
			return ticket{scope: sc, queued: queued, sent: now}, nil
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(now.Add(d)) {
			return ticket{}, context.DeadlineExceeded
		}
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ticket{}, ctx.Err()
		case <-timer.C:
		}
	}
}

func (a *awsAdaptive) done(_ context.Context, _ ticket, o outcome) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	a.measure(now)
	var next float64
	if o == outcomeRateLimited {
		a.throttleEvents++
		base := a.measured
		if a.enabled {
			base = math.Min(base, a.fillRate)
		}
		a.lastMax, a.lastThrottle, a.enabled = base, now, true
		next = base * awsBeta
	} else {
		k := math.Cbrt(a.lastMax * (1 - awsBeta) / awsScale)
		t := now.Sub(a.lastThrottle).Seconds()
		d := t - k
		next = awsScale*d*d*d + a.lastMax
	}
	next = math.Min(next, 2*a.measured)
	a.refill(now)
	a.fillRate = math.Max(next, awsMinFillRate)
	a.capacity = math.Max(next, 1)
	a.tokens = math.Min(a.tokens, a.capacity)
}

func (a *awsAdaptive) pause(_ context.Context, _ scope, until time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if until.After(a.pausedUntil) {
		a.pausedUntil = until
	}
}

// measure counts one answer and, when a half-second bucket has ended, smooths its rate in.
func (a *awsAdaptive) measure(now time.Time) {
	a.bucketCount++
	if bucket := now.Truncate(awsBucket); bucket.After(a.bucketStart) {
		rate := float64(a.bucketCount) / bucket.Sub(a.bucketStart).Seconds()
		a.measured = rate*awsSmooth + a.measured*(1-awsSmooth)
		a.bucketCount, a.bucketStart = 0, bucket
	}
}

func (a *awsAdaptive) refill(now time.Time) {
	if !a.lastRefill.IsZero() {
		a.tokens = math.Min(a.capacity, a.tokens+now.Sub(a.lastRefill).Seconds()*a.fillRate)
	}
	a.lastRefill = now
}
