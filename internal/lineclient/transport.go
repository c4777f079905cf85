package lineclient

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// Backoff bounds. LINE sends no Retry-After, so waits grow exponentially from retryWaitMin
// to retryWaitMax with jitter; a Retry-After, should one ever come, is honoured up to
// retryAfterMax.
const (
	retryWaitMin  = 250 * time.Millisecond
	retryWaitMax  = 8 * time.Second
	retryAfterMax = 30 * time.Second
)

// newHTTPClient builds the stack every LINE request goes through, outermost first:
//
//	retries (go-retryablehttp) → per-attempt timeout → rate limiter and log line → network
//
// The limiter sits under the retries, so that every attempt, retries included, takes a token.
func newHTTPClient(base http.RoundTripper, limiter *rate.Limiter, attemptTimeout time.Duration, maxRetries int, userAgent string) *http.Client {
	if base == nil {
		base = cleanhttp.DefaultPooledTransport()
	}
	retrying := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: &observedTransport{next: base, limiter: limiter, userAgent: userAgent},
			Timeout:   attemptTimeout,
		},
		Logger:         nil, // requests are logged through tflog by observedTransport
		RetryWaitMin:   retryWaitMin,
		RetryWaitMax:   retryWaitMax,
		RetryMax:       maxRetries,
		CheckRetry:     retryPolicy,
		Backoff:        backoff,
		RequestLogHook: countAttempt,
		// Hand the last answer back as it came, so that LINE's message reaches the caller.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return &http.Client{Transport: &retryablehttp.RoundTripper{Client: retrying}}
}

// retryPolicy retries what can pass: rate limiting, LINE's server errors and transport
// failures. Never 400, 401, 403 or 404: asking again gets the same answer.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		// The library's policy knows which transport errors are final (bad scheme, TLS
		// certificate, redirect loops) and retries the rest.
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// backoff waits min·2^attempt, capped at max, with jitter over its upper half so that
// concurrent operations do not retry in step; a Retry-After header wins, capped.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if wait, ok := retryAfter(resp); ok {
		return wait
	}
	wait := waitMax
	if attempt < 30 && waitMin<<attempt < waitMax {
		wait = waitMin << attempt
	}
	half := wait / 2
	return half + rand.N(half+1)
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

// callStats travels in a request's context and counts its attempts.
type callStats struct{ attempts atomic.Int32 }

type callStatsKey struct{}

func withCallStats(ctx context.Context) (context.Context, *callStats) {
	stats := &callStats{}
	return context.WithValue(ctx, callStatsKey{}, stats), stats
}

func countAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if stats, ok := req.Context().Value(callStatsKey{}).(*callStats); ok {
		stats.attempts.Store(int32(attempt + 1))
	}
	if attempt > 0 {
		tflog.Info(req.Context(), "Retrying LINE API request", map[string]any{
			"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1,
		})
	}
}

// observedTransport makes each attempt wait for the shared rate limiter, then logs it.
type observedTransport struct {
	next      http.RoundTripper
	limiter   *rate.Limiter
	userAgent string // put before the SDK's User-Agent
}

func (t *observedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.limiter != nil {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}
	if t.userAgent != "" {
		// RoundTrippers must not change the request they are given.
		req = req.Clone(ctx)
		req.Header.Set("User-Agent", strings.TrimSpace(t.userAgent+" "+req.Header.Get("User-Agent")))
	}
	// Masks set by the client keep the token out of this line, whatever it holds.
	tflog.Trace(ctx, "LINE API request headers", map[string]any{
		"authorization": req.Header.Get("Authorization"),
		"user_agent":    req.Header.Get("User-Agent"),
		"content_type":  req.Header.Get("Content-Type"),
	})
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.Debug(ctx, "LINE API request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	fields["request_id"] = resp.Header.Get("X-Line-Request-Id")
	tflog.Debug(ctx, "LINE API request", fields)
	return resp, nil
}
