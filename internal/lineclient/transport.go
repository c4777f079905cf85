package lineclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Backoff bounds. LINE sends no Retry-After, so waits grow exponentially from retryWaitMin
// to retryWaitMax with jitter; a Retry-After, should one ever come, is honoured up to
// retryAfterMax.
const (
	retryWaitMin  = 250 * time.Millisecond
	retryWaitMax  = 8 * time.Second
	retryAfterMax = 30 * time.Second
)

// msgRateLimited is LINE's answer when an endpoint's token bucket is empty: the one 429 that
// waiting fixes. Others, such as "You have reached your monthly limit.", are final.
const msgRateLimited = "The API rate limit has been exceeded. Try again later."

// newHTTPClient builds the stack every LINE request goes through, outermost first:
//
//	retries (go-retryablehttp) → rate limiter → per-attempt timeout and log line → network
//
// The limiter sits under the retries, so that every attempt, retries included, takes a token;
// the per-attempt timeout starts once the limiter lets the attempt go, so that time queued
// never counts against it. Neither client follows redirects: LINE never redirects, and
// following one would carry the token or the channel secret to another host.
func newHTTPClient(cfg Config, limiter pacer) *http.Client {
	base := cfg.Transport
	if base == nil {
		base = cleanhttp.DefaultPooledTransport()
	}
	wire := &http.Client{
		Transport:     &observedTransport{next: base, limiter: limiter, attemptTimeout: cfg.RequestTimeout, userAgent: cfg.UserAgent},
		CheckRedirect: refuseRedirects,
	}
	return &http.Client{
		Transport: &retryingTransport{wire: wire, limiter: limiter, maxRetries: cfg.MaxRetries,
			waitMin: cfg.backoffMin, waitMax: cfg.backoffMax},
		CheckRedirect: refuseRedirects,
	}
}

// refuseRedirects hands a 3xx back as the answer; callError turns it into a *RedirectError.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// retryingTransport runs each request through go-retryablehttp with a policy of its own (see
// callStats.checkRetry): the policy needs the call's counters, so each request gets its own
// small retryablehttp.Client over the shared wire client.
type retryingTransport struct {
	wire             *http.Client
	limiter          pacer
	maxRetries       int
	waitMin, waitMax time.Duration
}

func (t *retryingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	stats, ok := req.Context().Value(callStatsKey{}).(*callStats)
	if !ok {
		var ctx context.Context
		ctx, stats = withCallStats(req.Context())
		req = req.WithContext(ctx)
	}
	stats.limiter, stats.maxRetries, stats.waitMin, stats.waitMax = t.limiter, t.maxRetries, t.waitMin, t.waitMax
	retrying := &retryablehttp.Client{
		HTTPClient:     t.wire,
		Logger:         nil, // requests are logged through tflog by observedTransport
		RetryMax:       math.MaxInt32,
		CheckRetry:     stats.checkRetry, // it decides when to stop, not RetryMax
		Backoff:        stats.backoff,
		RequestLogHook: logRetry,
		// Hand the last answer back as it came, so that LINE's message reaches the caller.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	retryable, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, err
	}
	resp, err := retrying.Do(retryable)
	// The caller's http.Client wraps errors in *url.Error again.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return resp, err
}

// callStats travels in a request's context. It counts the call's attempts and failures, keeps
// the last answer it retried, and decides, as retryablehttp's CheckRetry, what is retried:
//
//   - LINE's rate-limit 429: until the context's deadline (or waitWithoutDeadline), without
//     using up maxRetries;
//   - 500, 502, 503, 504 and transport failures: maxRetries times;
//   - everything else (3xx, 400, 401, 403, 404, the monthly-limit 429, any other 429): never.
//
// Waits follow backoff; one that would end after the deadline stops the retries at once.
// retryablehttp calls it from the goroutine making the call, one attempt after another.
type callStats struct {
	attempts atomic.Int32 // requests that went out

	limiter          pacer
	maxRetries       int
	waitMin, waitMax time.Duration
	ticket           ticket        // the last attempt's
	failures         int           // 5xx and transport failures, counted against maxRetries
	last             error         // the last answer (*APIError) or failure that was retried
	stopped          error         // set when the deadline or a cancellation stopped the retries
	wait             time.Duration // before the next attempt
	started          time.Time
}

// waitWithoutDeadline bounds the retries of a call whose context has no deadline, as the
// provider's operations have: as long as their default timeout.
const waitWithoutDeadline = 5 * time.Minute

type callStatsKey struct{}

func withCallStats(ctx context.Context) (context.Context, *callStats) {
	stats := &callStats{started: time.Now()}
	return context.WithValue(ctx, callStatsKey{}, stats), stats
}

func (s *callStats) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	var answer *APIError
	switch {
	case err != nil:
		var queued *queuedError
		if errors.As(err, &queued) || ctx.Err() != nil {
			return false, nil //nolint:nilerr // no retry; retryablehttp then returns err itself
		}
		// The library's policy knows which transport errors are final (bad scheme, TLS
		// certificate) and retries the rest.
		s.limiter.done(ctx, s.ticket, outcomeUnknown)
		if retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !retry {
			return false, nil
		}
		s.failures++
		s.last = err
	case resp.StatusCode == http.StatusTooManyRequests:
		answer = peekAnswer(resp)
		if !IsRateLimited(answer) {
			s.limiter.done(ctx, s.ticket, outcomeUnknown)
			return false, nil
		}
		s.limiter.done(ctx, s.ticket, outcomeRateLimited)
		if wait := retryAfterOr0(resp); wait > 0 {
			s.limiter.pause(ctx, s.ticket.scope, time.Now().Add(wait))
		}
	case resp.StatusCode == http.StatusInternalServerError, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
		s.limiter.done(ctx, s.ticket, outcomePassed)
		answer = peekAnswer(resp)
		s.failures++
	default:
		s.limiter.done(ctx, s.ticket, outcomePassed)
		return false, nil
	}
	if answer != nil {
		s.last = answer
	}
	if s.failures > s.maxRetries {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		s.stopped = err
		return false, nil //nolint:nilerr // no retry; the call's own answer or error stands
	}
	s.wait = backoff(s.waitMin, s.waitMax, int(s.attempts.Load())-1, resp)
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = s.started.Add(waitWithoutDeadline)
	}
	if time.Now().Add(s.wait).After(deadline) {
		// Sleeping until the deadline would change nothing but the time to fail.
		s.stopped = context.DeadlineExceeded
		return false, nil
	}
	return true, nil
}

// backoff is retryablehttp's Backoff: the wait checkRetry chose.
func (s *callStats) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return s.wait
}

// peekAnswer reads LINE's error answer and puts the body back for the SDK.
func peekAnswer(resp *http.Response) *APIError {
	var raw []byte
	if resp.Body != nil {
		raw, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(raw))
	}
	return apiErrorFrom("", resp, raw, 0)
}

// backoff waits min·2^attempt, capped at max, with jitter over its upper half so that
// concurrent operations do not retry in step; a Retry-After header wins, capped.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if wait, ok := retryAfter(resp); ok {
		return wait
	}
	attempt = max(attempt, 0)
	wait := waitMax
	if attempt < 30 && waitMin<<attempt < waitMax {
		wait = waitMin << attempt
	}
	half := wait / 2
	return half + rand.N(half+1)
}

func retryAfterOr0(resp *http.Response) time.Duration {
	wait, _ := retryAfter(resp)
	return wait
}

func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	value := resp.Header.Get("Retry-After")
	if value == "" {
		return 0, false
	}
	var wait time.Duration
	if seconds, err := strconv.Atoi(value); err == nil && seconds >= 0 {
		wait = time.Duration(seconds) * time.Second
	} else if at, err := http.ParseTime(value); err == nil {
		wait = time.Until(at)
	} else {
		return 0, false
	}
	return min(max(wait, 0), retryAfterMax), true
}

func logRetry(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if attempt > 0 {
		tflog.Info(req.Context(), "Retrying LINE API request", map[string]any{
			"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1,
		})
	}
}

// queuedError is a request whose context ended (or would have ended) while it waited in the
// rate limiter: it never went out, and is not retried.
type queuedError struct{ err error }

func (e *queuedError) Error() string {
	return "still queued in the client's rate limiter: " + e.err.Error()
}
func (e *queuedError) Unwrap() error { return e.err }

// attemptTimeoutError is an attempt that got no answer within the time allowed for each. It
// deliberately does not unwrap to context.DeadlineExceeded, which means the caller's own
// deadline passed.
type attemptTimeoutError struct{ timeout time.Duration }

func (e *attemptTimeoutError) Error() string   { return fmt.Sprintf("no answer within %s", e.timeout) }
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }

// observedTransport makes each attempt wait for the shared rate limiter, then sends it with
// the per-attempt timeout and logs it.
type observedTransport struct {
	next           http.RoundTripper
	limiter        pacer
	attemptTimeout time.Duration
	userAgent      string // put before the SDK's User-Agent
}

func (t *observedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tk, err := t.limiter.wait(ctx, scopeOf(req.Method, req.URL.Path))
	if err != nil {
		return nil, &queuedError{err: err}
	}
	if stats, ok := ctx.Value(callStatsKey{}).(*callStats); ok {
		stats.attempts.Add(1)
		stats.ticket = tk
	}
	attemptCtx, cancel := context.WithTimeout(ctx, t.attemptTimeout)
	// RoundTrippers must not change the request they are given.
	req = req.Clone(attemptCtx)
	if t.userAgent != "" {
		req.Header.Set("User-Agent", strings.TrimSpace(t.userAgent+" "+req.Header.Get("User-Agent")))
	}
	// Whether a token was sent, never the token: not even masked.
	tflog.Trace(ctx, "LINE API request headers", map[string]any{
		"authorization_set": req.Header.Get("Authorization") != "",
		"user_agent":        req.Header.Get("User-Agent"),
		"content_type":      req.Header.Get("Content-Type"),
	})
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		cancel()
		if attemptCtx.Err() != nil && ctx.Err() == nil {
			err = &attemptTimeoutError{timeout: t.attemptTimeout}
		}
		fields["error"] = err.Error()
		tflog.Debug(ctx, "LINE API request failed", fields)
		return nil, err
	}
	// The attempt's time runs until its body is read or closed.
	resp.Body = &attemptBody{ReadCloser: resp.Body, cancel: cancel, attempt: attemptCtx, caller: ctx, timeout: t.attemptTimeout}
	fields["status"] = resp.StatusCode
	fields["request_id"] = resp.Header.Get("X-Line-Request-Id")
	tflog.Debug(ctx, "LINE API request", fields)
	return resp, nil
}

// attemptBody ends an attempt's timeout once its body is done with.
type attemptBody struct {
	io.ReadCloser
	cancel          context.CancelFunc
	attempt, caller context.Context
	timeout         time.Duration
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF:
		b.cancel()
	case err != nil && b.attempt.Err() != nil && b.caller.Err() == nil:
		err = &attemptTimeoutError{timeout: b.timeout}
	}
	return n, err
}

func (b *attemptBody) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}
