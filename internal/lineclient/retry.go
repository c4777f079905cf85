package lineclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// waitWithoutDeadline bounds the retries of a call whose context has no deadline, as the
// provider's operations have: as long as their default timeout.
const waitWithoutDeadline = 5 * time.Minute

// MinWriteTime is the least time left before the deadline with which an attempt that changes
// something (any method but GET, unless the operation changes nothing, as a validation) is
// started: one with less could be carried out by LINE and its answer cut off by the deadline,
// an outcome nobody can tell. It is min(request_timeout, MinWriteTime).
const MinWriteTime = 2 * time.Second

// retrier is the retry loop, an http.RoundTripper between the SDK and the wire. Its fields are
// the policy; what one call went through is recorded in the callStats of the call's context.
// For each attempt it waits for the pacer, takes the current token, sends a copy of the request
// (the one it was handed is never changed), and judges the answer (policy.go).
type retrier struct {
	wire             http.RoundTripper
	pacer            pacer
	tokens           tokenSource // sets each attempt's bearer token; nil for the token endpoint
	scope            scope       // every request's scope (scopeToken); "" for the scope of its path
	basePath         string      // the endpoint's own path (a proxy's prefix), left out of scopes
	maxRetries       int
	waitMin, waitMax time.Duration
	attemptTimeout   time.Duration
}

func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	stats, ok := ctx.Value(callStatsKey{}).(*callStats)
	if !ok {
		ctx, stats = withCallStats(ctx)
	}
	body, err := replayable(req)
	if err != nil {
		return nil, err
	}
	sc := r.scope
	if sc == "" {
		sc = scopeOf(req.Method, strings.TrimPrefix(req.URL.Path, r.basePath))
	}
	writes := !stats.changesNothing && req.Method != http.MethodGet && req.Method != http.MethodHead
	stats.writes = writes
	lastStart := r.lastStart(ctx, stats, writes)
	failures, renewed := 0, false
	for {
		t, a, err := r.send(ctx, req, body, sc, lastStart, stats, writes)
		if err != nil {
			return nil, err // nothing went out
		}
		v, o, answer := judge(a.resp, a.err)
		r.pacer.done(ctx, t, o)
		stats.record(a, answer, writes)
		if v == renewToken && !renewed && r.tokens != nil && r.tokens.rejected(a.token) {
			renewed = true // once: the next attempt takes the new token, with the same headers
			continue
		}
		if v == final || v == renewToken {
			return a.resp, a.err
		}
		if v == retryBudget {
			if failures++; failures > r.maxRetries {
				return a.resp, a.err
			}
		}
		if err := ctx.Err(); err != nil {
			stats.stopped = err
			return a.resp, a.err
		}
		// A Retry-After longer than the backoff holds the whole scope, in full; the backoff is
		// the least wait, so that "Retry-After: 0" is no busy loop.
		d := backoff(r.waitMin, r.waitMax, stats.attempts-1)
		if wait, value, ok := retryAfter(a.resp, time.Now()); ok && wait > d {
			if wait >= time.Until(lastStart) {
				// Waiting would end when no attempt may start any more: fail now, and hold
				// nobody else back.
				stats.stopped, stats.retryAfter, stats.retryWait = context.DeadlineExceeded, value, wait
				return a.resp, a.err
			}
			// The pacer may let the next attempt go up to a gap after the pause ends, past
			// lastStart: the error then names this Retry-After (callError).
			stats.pausedFor, stats.pausedWait = value, wait
			r.pacer.pause(ctx, sc, time.Now().Add(wait)) // the next wait holds this attempt too
		} else if err := sleep(ctx, d, lastStart); err != nil {
			stats.stopped = err
			return a.resp, a.err
		}
		tflog.Info(ctx, "Retrying LINE API request", map[string]any{
			"method": req.Method, "path": req.URL.Path, "attempt": stats.attempts + 1,
		})
	}
}

// attempt is what one attempt got: an answer, or a failure, and the token it carried.
type attempt struct {
	resp  *http.Response
	err   error
	token string
	// written is false only when the request is known not to have reached the wire.
	written bool
}

// send makes one attempt: it waits for the pacer, takes the current token and sends a fresh
// copy of req. An error means that nothing went out.
func (r *retrier) send(ctx context.Context, req *http.Request, body func() (io.ReadCloser, error), sc scope,
	lastStart time.Time, stats *callStats, writes bool) (ticket, attempt, error) {
	if !time.Now().Before(lastStart) {
		stats.stopped, stats.tooLate = context.DeadlineExceeded, writes
		return ticket{}, attempt{}, context.DeadlineExceeded
	}
	if r.tokens != nil {
		// A token first, so that an issuance is most often waited for before the ticket is
		// taken, not with it held; the attempt takes the one current when it goes, below.
		if _, err := r.tokenBy(ctx, lastStart, stats, writes); err != nil {
			return ticket{}, attempt{}, err
		}
	}
	waitCtx, cancel := context.WithDeadline(ctx, lastStart)
	t, err := r.pacer.wait(waitCtx, sc)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return ticket{}, attempt{}, &queuedError{err: err}
	}
	stats.pausedFor, stats.pausedWait = "", 0 // that wait is over
	var a attempt
	if r.tokens != nil {
		// The token may have expired while the attempt waited: then this waits for an
		// issuance with the ticket held, but never past lastStart.
		if a.token, err = r.tokenBy(ctx, lastStart, stats, writes); err != nil {
			r.pacer.done(ctx, t, outcomeUnknown)
			return ticket{}, attempt{}, err
		}
		ctx = tflog.MaskLogStrings(ctx, a.token)
	}
	// Whether the request reached the wire, for MayHaveTakenEffect: http.Transport says so;
	// a transport that reports nothing may have written it, unless it refused the request
	// before seeking a connection.
	var conn, wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:      func(string) { conn.Store(true) },
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	})
	out := req.Clone(ctx)
	if out.Body, err = body(); err != nil {
		r.pacer.done(ctx, t, outcomeUnknown)
		return ticket{}, attempt{}, err
	}
	out.GetBody = body
	if r.tokens != nil {
		out.Header.Set("Authorization", "Bearer "+a.token)
	}
	stats.attempts++
	a.resp, a.err = r.wire.RoundTrip(out) //nolint:bodyclose // the answer goes back to the caller, which closes it
	a.written = wrote.Load() || (!conn.Load() && (a.err == nil || !refusedBeforeSending(a.err)))
	return t, a, nil
}

// tokenBy takes the current token, waiting for an issuance no later than lastStart: a token
// that comes at lastStart or after it is too late for the attempt (stats.tooLate for a write),
// since its answer could be cut off by the deadline. An issuance's own failure is the call's
// (stats.tokenErr).
func (r *retrier) tokenBy(ctx context.Context, lastStart time.Time, stats *callStats, writes bool) (string, error) {
	tokCtx, cancel := context.WithDeadline(ctx, lastStart)
	defer cancel()
	tok, err := r.tokens.token(tokCtx)
	if err != nil && (tokCtx.Err() == nil || ctx.Err() != nil) {
		stats.tokenErr = err
		return "", err
	}
	if err != nil || !time.Now().Before(lastStart) {
		stats.stopped, stats.tooLate = context.DeadlineExceeded, writes
		return "", context.DeadlineExceeded
	}
	return tok, nil
}

// lastStart is when attempts stop being started (none starts at lastStart or later): the
// deadline (the context's, or waitWithoutDeadline after the call started), and for a write
// min(request_timeout, 2s) before.
func (r *retrier) lastStart(ctx context.Context, stats *callStats, writes bool) time.Time {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = stats.started.Add(waitWithoutDeadline)
	}
	if writes {
		deadline = deadline.Add(-min(r.attemptTimeout, MinWriteTime))
	}
	return deadline
}

// replayable gives each attempt the request's body afresh: from GetBody, or from a copy read
// once. The request's own body is closed, as RoundTrip must.
func replayable(req *http.Request) (func() (io.ReadCloser, error), error) {
	switch {
	case req.Body == nil || req.Body == http.NoBody:
		empty := req.Body
		return func() (io.ReadCloser, error) { return empty, nil }, nil
	case req.GetBody != nil:
		_ = req.Body.Close()
		return req.GetBody, nil
	}
	raw, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }, nil
}

// sleep waits d, or fails at once with context.DeadlineExceeded when d would end at lastStart
// or after it, and with ctx's error when ctx ends first.
func sleep(ctx context.Context, d time.Duration, lastStart time.Time) error {
	if !time.Now().Add(d).Before(lastStart) {
		return context.DeadlineExceeded // sleeping until then would change nothing but the time to fail
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

// callStats is the record of one call (one SDK request and its retries), carried in its
// context; callError reads it to build the error. The loop writes it from the goroutine
// making the call, before the call returns.
type callStats struct {
	started time.Time
	// changesNothing is set, before the call, for an operation that changes nothing at LINE
	// whatever its method (a validation, a token request): none of its requests is a write.
	changesNothing bool
	// writes is set by the retry loop when the call's requests change something.
	writes   bool
	attempts int   // requests that went out
	last     error // the last answer (*APIError) or failure that was retried
	// ambiguous is set when an attempt that changes something may have been carried out:
	// any 5xx, or a failure once the request was written (MayHaveTakenEffect).
	ambiguous bool

	// Why the loop stopped early, if it did.
	stopped    error         // the deadline (or a wait that would outlast it) or a cancellation
	tooLate    bool          // a write was not started this close to the deadline
	retryAfter string        // the Retry-After value that would have outlasted the deadline
	retryWait  time.Duration // and the wait it asked for
	// pausedFor is the Retry-After value the scope is paused for, until the next attempt
	// goes; pausedWait is the wait it asked for.
	pausedFor  string
	pausedWait time.Duration
	tokenErr   error // no token for the next attempt
}

type callStatsKey struct{}

func withCallStats(ctx context.Context) (context.Context, *callStats) {
	stats := &callStats{started: time.Now()}
	return context.WithValue(ctx, callStatsKey{}, stats), stats
}

// record notes one attempt's result. Any 5xx to a write makes the call ambiguous, whether
// it is retried or final (a 501, 505, or a CDN's 520-524): the server failed after it had the
// request, which it may have carried out.
func (s *callStats) record(a attempt, answer *APIError, writes bool) {
	if a.err != nil {
		// The caller's deadline or cancellation cutting an attempt short says nothing about
		// LINE: the last answer, if any, stays the one to report.
		if s.last == nil || (!errors.Is(a.err, context.DeadlineExceeded) && !errors.Is(a.err, context.Canceled)) {
			s.last = a.err
		}
		s.ambiguous = s.ambiguous || (writes && a.written)
		return
	}
	if answer != nil {
		s.last = answer
	}
	s.ambiguous = s.ambiguous || (writes && a.resp.StatusCode >= http.StatusInternalServerError)
}

// queuedError is a request whose context ended (or would have ended) while it waited for the
// pacer: it never went out.
type queuedError struct{ err error }

func (e *queuedError) Error() string {
	return "still queued in the client's rate limiter: " + e.err.Error()
}
func (e *queuedError) Unwrap() error { return e.err }
