package lineclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The plumbing of one attempt: what every request sent to LINE goes through once it may go,
// whatever the policy (policy.go) and the loop (retry.go) decided. The stack, outermost first:
//
//	the SDK → retrier (retry.go: pacer, token, retries) → wire (here) → network
//
// Neither http.Client built on it follows redirects: LINE never redirects, and following one
// would carry the token or the channel secret to another host.

// newWire is the transport every attempt goes through: the per-attempt timeout, the User-Agent
// and the log line, over cfg.Transport (tests) or a pooled transport of its own.
func newWire(cfg Config) *wire {
	base := cfg.Transport
	if base == nil {
		base = cleanhttp.DefaultPooledTransport()
	}
	return &wire{next: base, attemptTimeout: cfg.RequestTimeout, userAgent: cfg.UserAgent}
}

// refuseRedirects hands a 3xx back as the answer; callError turns it into a *RedirectError.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// attemptTimeoutError is an attempt that got no answer within the time allowed for each. It
// deliberately does not unwrap to context.DeadlineExceeded, which means the caller's own
// deadline passed. Timeout says it is one, as net/http's and net's timeouts do (callError).
type attemptTimeoutError struct{ timeout time.Duration }

func (e *attemptTimeoutError) Error() string { return fmt.Sprintf("no answer within %s", e.timeout) }
func (e *attemptTimeoutError) Timeout() bool { return true }

// wire sends one attempt with the per-attempt timeout and logs it. The timeout starts here,
// once the pacer has let the attempt go and its token is set, so that time queued never counts
// against it.
type wire struct {
	next           http.RoundTripper
	attemptTimeout time.Duration
	userAgent      string // put before the SDK's User-Agent
}

func (t *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
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
		// Whether the attempt's own time ran out, read before cancel ends it in any case.
		timedOut := attemptCtx.Err() != nil && ctx.Err() == nil
		cancel()
		if timedOut {
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
