// Package lineclient is the provider's LINE client: it wraps line-bot-sdk-go's messaging_api
// and channel_access_token clients with ID checks, typed errors, retries, rate control per endpoint,
// masked logging and token management. It knows nothing of Terraform.
package lineclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
	"golang.org/x/sync/singleflight"
)

// Defaults, as the provider documents them.
const (
	DefaultEndpoint       = "https://api.line.me"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 5
	// DefaultRateLimit is a quarter of LINE's 2,000 requests per second for each endpoint: it
	// caps every endpoint together, and other tools may share the channel.
	DefaultRateLimit = 500
)

// Config says how to reach LINE. The zero value of each field means its default, but for
// MaxRetries, where zero means no retries.
type Config struct {
	Endpoint      string // base URL, default https://api.line.me
	AccessToken   string // a channel access token; wins over the channel credentials
	ChannelID     string // with ChannelSecret or ChannelPrivateKey: issue stateless tokens as needed
	ChannelSecret string //
	// ChannelPrivateKey is an assertion signing key (a JWK, or PEM) whose public half is
	// registered as ChannelKeyID: tokens are issued by JWT assertion. It wins over ChannelSecret.
	ChannelPrivateKey string
	ChannelKeyID      string
	RequestTimeout    time.Duration // for each attempt
	MaxRetries        int           // retries after the first attempt
	RateLimit         float64       // requests per second across the whole client
	// UserAgent names the program making the calls, e.g. "terraform-provider-line/1.0.0
	// (+https://…) Terraform/1.14.0". It is sent before the SDK's own product token.
	UserAgent string

	// Transport is the network (nil: a pooled transport of the client's own) and Now the clock
	// that ages issued tokens (nil: time.Now). The provider sets neither; they stay as seams for
	// the tests, which run the client over fake networks (synctest bubbles cannot hold a real
	// connection) and against the mock's clock, and could not otherwise.
	Transport http.RoundTripper
	Now       func() time.Time
}

// Client makes LINE API calls. It is safe for concurrent use: each call builds its own SDK
// client, because the SDK keeps the context of WithContext on the shared struct.
type Client struct {
	endpoint       string
	api            *http.Client // Messaging API calls: each attempt carries the current token
	tokens         tokenSource  // nil without credentials
	issuer         *issuer      // nil without channel credentials; see IssueToken
	secrets        []string     // masked in every log line
	attemptTimeout time.Duration

	flights singleflight.Group
	mu      sync.Mutex
	epochs  map[string]uint64 // chat ID → how many times the bot left it through this client
}

// New checks cfg and builds a client. It makes no request.
func New(cfg Config) (*Client, error) {
	rateLimit := cfg.RateLimit
	if rateLimit <= 0 {
		rateLimit = DefaultRateLimit
	}
	return newClient(cfg, newLimiter(rateLimit))
}

// newClient is New with the pacer given: tests and benchmarks pass their own.
func newClient(cfg Config, p pacer) (*Client, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	endpoint, err := CheckEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	cfg.MaxRetries = max(cfg.MaxRetries, 0)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	wire := newWire(cfg)
	// Two clients over one wire and one pacer: the token endpoint's requests carry no bearer
	// token and are all of scopeToken, the Messaging API's carry the current token.
	retrying := func(tokens tokenSource, sc scope) *http.Client {
		return &http.Client{
			Transport: &retrier{wire: wire, pacer: p, tokens: tokens, scope: sc, basePath: endpoint.Path,
				maxRetries: cfg.MaxRetries, waitMin: retryWaitMin, waitMax: retryWaitMax,
				attemptTimeout: cfg.RequestTimeout},
			CheckRedirect: refuseRedirects,
		}
	}
	c := &Client{
		endpoint:       endpoint.String(),
		attemptTimeout: cfg.RequestTimeout,
		epochs:         map[string]uint64{},
	}
	if err := c.setIssuer(cfg, retrying(nil, scopeToken)); err != nil {
		return nil, err
	}
	switch {
	case cfg.AccessToken != "":
		c.tokens = staticToken(cfg.AccessToken)
	case c.issuer != nil:
		c.tokens = c.issuer
	}
	c.api = retrying(c.tokens, "")
	return c, nil
}

// setIssuer prepares stateless token issuance from the channel credentials, if complete:
// a private key (checked here, before any request) wins over a secret. The issuer also
// serves IssueToken when an access token is used for calls.
func (c *Client) setIssuer(cfg Config, tokenClient *http.Client) error {
	for _, secret := range []string{cfg.AccessToken, cfg.ChannelSecret, cfg.ChannelPrivateKey} {
		if secret != "" { // masking "" would blank every log line
			c.secrets = append(c.secrets, secret)
		}
	}
	s := &issuer{
		client:   tokenClient,
		endpoint: c.endpoint,
		now:      cfg.Now,
		bound:    issueBound(cfg.RequestTimeout, cfg.MaxRetries, retryWaitMin, retryWaitMax),
		margin:   cfg.RequestTimeout,
	}
	switch {
	case cfg.ChannelPrivateKey != "":
		key, err := newSigningKey(cfg.ChannelPrivateKey, cfg.ChannelKeyID)
		if err != nil {
			return err
		}
		c.secrets = append(c.secrets, key.secrets...)
		if cfg.ChannelID == "" {
			return &CredentialsError{Field: FieldChannelID, Reason: "required with a private key: the issuer and " +
				"subject of every assertion, shown in the channel's Basic settings"}
		}
		s.request, s.keyID = assertionRequest(cfg.ChannelID, key, cfg.Now), key.kid
	case cfg.ChannelID != "" && cfg.ChannelSecret != "":
		s.request = secretRequest(cfg.ChannelID, cfg.ChannelSecret)
	default:
		return nil
	}
	c.issuer = s
	return nil
}

// CheckEndpoint accepts an absolute https URL, or http for a loopback host only, so that a
// bearer token never crosses a network in clear. Its errors show the URL with any password
// redacted.
func CheckEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the API endpoint is not a URL such as %s: %s", DefaultEndpoint, redactParseError(err, raw))
	}
	shown := quoteShort(u.Redacted())
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%s is not an absolute http(s) URL such as %s", shown, DefaultEndpoint)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s must not carry user information, a query or a fragment", shown)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s uses http:// for a host that is not loopback: use https://, "+
			"since plain http is allowed only for localhost, 127.0.0.0/8 and ::1 so that the access "+
			"token never crosses a network in clear", shown)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// redactParseError describes why raw is no URL without repeating raw, which may hold a
// password: url.Parse quotes its whole input in its errors.
func redactParseError(err error, raw string) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err.Error()
	}
	return strings.ReplaceAll(err.Error(), raw, "…")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// placeholderToken is what the SDK is built with (it refuses none): the retry loop sets each
// attempt's Authorization header with the token current when the attempt is sent.
const placeholderToken = "set-per-attempt"

// start prepares one call: log masks for every secret, the call's record and a fresh SDK
// client bound to the call's context.
func (c *Client) start(ctx context.Context) (context.Context, *messaging_api.MessagingApiAPI, *callStats, error) {
	ctx = tflog.MaskLogStrings(ctx, c.secrets...)
	if c.tokens == nil {
		return ctx, nil, nil, &MissingCredentialsError{}
	}
	api, err := messaging_api.NewMessagingApiAPI(placeholderToken,
		messaging_api.WithHTTPClient(c.api),
		messaging_api.WithEndpoint(c.endpoint),
	)
	if err != nil {
		return ctx, nil, nil, err
	}
	ctx, stats := withCallStats(ctx)
	return ctx, api.WithContext(ctx), stats, nil
}

// sdkCall is one SDK method call; it returns the raw response with the SDK's error so that
// status, message and request ID can be read.
type sdkCall[T any] func(api *messaging_api.MessagingApiAPI) (*http.Response, T, error)

// effect says what an operation may change at LINE.
type effect bool

const (
	// byMethod: every request but a GET (or HEAD) may change something (a leave, a push).
	byMethod effect = false
	// changesNothing: the operation changes nothing, whatever its method (a validation POST).
	changesNothing effect = true
)

// do runs an SDK call and turns its failure into an *APIError, *RequestError, *TokenError or
// *RedirectError; MayHaveTakenEffect tells whether it may have been carried out nonetheless.
func do[T any](ctx context.Context, c *Client, op string, call sdkCall[T]) (T, error) {
	return doOp(ctx, c, op, byMethod, call)
}

// doOp is do for an operation whose effect is given: with changesNothing, the retry loop
// treats none of its requests as a write.
func doOp[T any](ctx context.Context, c *Client, op string, e effect, call sdkCall[T]) (T, error) {
	var zero T
	ctx, api, stats, err := c.start(ctx)
	if err != nil {
		return zero, err
	}
	stats.changesNothing = e == changesNothing
	res, out, err := call(api)
	if err != nil {
		err = callError(ctx, op, res, err, stats, c.attemptTimeout)
		// A write that LINE accepted (2xx), though its answer could not be read, may well
		// have been carried out.
		if stats.ambiguous || (stats.writes && res != nil && res.StatusCode/100 == 2) {
			err = &mayHaveTakenEffectError{err: err}
		}
		return zero, err
	}
	return out, nil
}

// read runs a GET through do, sharing it with identical reads already in flight: concurrent
// operations asking the same thing of the same chat make one request. A leave moves the
// chat to a new epoch, so reads after it never join one started before it.
func read[T any](ctx context.Context, c *Client, chatID, op, key string, call sdkCall[T]) (T, error) {
	var zero T
	for {
		flight := fmt.Sprintf("%s#%d", key, c.epoch(chatID))
		var led atomic.Bool
		ch := c.flights.DoChan(flight, func() (any, error) {
			led.Store(true)
			return do(ctx, c, op, call)
		})
		var res singleflight.Result
		select {
		case res = <-ch:
		case <-ctx.Done():
			if !led.Load() {
				return zero, &RequestError{Operation: op, Cancelled: true, Err: ctx.Err()}
			}
			// The request runs under this ctx and ends at once; its error says more, such as
			// LINE's last answer.
			res = <-ch
		}
		if res.Err == nil {
			val, _ := res.Val.(T) // do returned a T
			return val, nil
		}
		if !led.Load() && ctx.Err() == nil && isCancellation(res.Err) {
			continue // the caller that made the request gave up (or ran out of time); this one has not
		}
		return zero, res.Err
	}
}

// isCancellation reports an error that says only that its caller's context ended.
func isCancellation(err error) bool {
	var reqErr *RequestError
	return errors.As(err, &reqErr) && reqErr.Cancelled
}

func (c *Client) epoch(chatID string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epochs[chatID]
}

func (c *Client) forget(chatID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epochs[chatID]++
}

// callError turns what the SDK returned for a failed call into the error the provider reads:
// *RedirectError, *APIError, *TokenError or *RequestError.
func callError(ctx context.Context, op string, res *http.Response, err error, stats *callStats, attemptTimeout time.Duration) error {
	attempts := stats.attempts
	var queued *queuedError
	switch {
	case res != nil && res.StatusCode/100 == 3:
		return &RedirectError{Operation: op, StatusCode: res.StatusCode, Location: res.Header.Get("Location")}
	case res != nil && res.StatusCode/100 != 2:
		answer := newAPIError(op, res, max(attempts, 1))
		switch {
		case stats.retryAfter != "":
			return &RequestError{Operation: op, Attempts: max(attempts, 1), Cancelled: true, RetryAfter: stats.retryAfter,
				RetryAfterWait: stats.retryWait, Last: answer, Err: stats.stopped}
		case stats.stopped != nil:
			// A retryable answer, but the deadline (or a cancellation) came first.
			return &RequestError{Operation: op, Attempts: max(attempts, 1), Cancelled: true, Last: answer, Err: stats.stopped}
		}
		return answer
	case res != nil:
		// LINE answered 2xx but the SDK could not read the body: cut off, stalled past
		// request_timeout, or not what the SDK expects.
		return fmt.Errorf("%s: LINE answered %d, but its answer could not be read: %w", op, res.StatusCode, err)
	case stats.tokenErr != nil:
		return stats.tokenErr
	case stats.tooLate:
		return &RequestError{Operation: op, Attempts: attempts, Cancelled: true, TooLate: true, Last: stats.last, Err: stats.stopped}
	case errors.As(err, &queued):
		// After a Retry-After, the pause it asked for is (part of) what held the attempt.
		return &RequestError{Operation: op, Attempts: attempts, Queued: true, Cancelled: true, RetryAfter: stats.pausedFor,
			RetryAfterWait: stats.pausedWait, Last: stats.last, Err: queued.err}
	case stats.stopped != nil || ctx.Err() != nil:
		cause := stats.stopped
		if cause == nil {
			cause = ctx.Err()
		}
		return &RequestError{Operation: op, Attempts: max(attempts, 1), Cancelled: true, Last: stats.last, Err: cause}
	}
	var timeout interface{ Timeout() bool } // net.Error's, and attemptTimeoutError's
	timedOut := errors.As(err, &timeout) && timeout.Timeout()
	return &RequestError{Operation: op, Attempts: max(attempts, 1), TimedOut: timedOut, AttemptTimeout: attemptTimeout, Err: unwrapURLError(err)}
}

// unwrapURLError drops the *url.Error that http.Client wraps around a transport's error: it
// repeats the method and the URL, which the operation already names.
func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}
