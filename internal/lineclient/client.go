// Package lineclient is the provider's LINE client: it wraps line-bot-sdk-go's messaging_api
// and channel_access_token clients with ID checks, typed errors, retries, a shared rate limiter,
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
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"
)

// Defaults, as the provider documents them.
const (
	DefaultEndpoint       = "https://api.line.me"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 5
	// DefaultRateLimit is a quarter of LINE's 2,000 requests per second for each endpoint: the
	// provider's one limiter covers every endpoint, and other tools may share the channel.
	DefaultRateLimit = 500
)

// Config says how to reach LINE. The zero value of each field means its default, but for
// MaxRetries, where zero means no retries.
type Config struct {
	Endpoint       string        // base URL, default https://api.line.me
	AccessToken    string        // a channel access token; wins over ChannelID and ChannelSecret
	ChannelID      string        // with ChannelSecret: issue stateless tokens as needed
	ChannelSecret  string        //
	RequestTimeout time.Duration // for each attempt
	MaxRetries     int           // retries after the first attempt
	RateLimit      float64       // requests per second across the whole client
	// UserAgent names the program making the calls, e.g. "terraform-provider-line/1.0.0
	// (+https://…) Terraform/1.14.0". It is sent before the SDK's own product token.
	UserAgent string

	Transport http.RoundTripper // the network; tests may replace it
	Now       func() time.Time  // the clock that ages issued tokens; tests may replace it
}

// Client makes LINE API calls. It is safe for concurrent use: each call builds its own SDK
// client, because the SDK keeps the context of WithContext on the shared struct.
type Client struct {
	endpoint       string
	httpClient     *http.Client
	tokens         tokenSource
	secrets        []string // masked in every log line
	attemptTimeout time.Duration

	flights singleflight.Group
	mu      sync.Mutex
	epochs  map[string]uint64 // chat ID → how many times the bot left it through this client
}

// New checks cfg and builds a client. It makes no request.
func New(cfg Config) (*Client, error) {
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
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// A burst of one second's worth lets a plan's first requests start together without ever
	// going past twice the rate in any second.
	limiter := rate.NewLimiter(rate.Limit(cfg.RateLimit), max(1, int(cfg.RateLimit)))

	c := &Client{
		endpoint:       endpoint.String(),
		httpClient:     newHTTPClient(cfg.Transport, limiter, cfg.RequestTimeout, cfg.MaxRetries, cfg.UserAgent),
		attemptTimeout: cfg.RequestTimeout,
		epochs:         map[string]uint64{},
	}
	switch {
	case cfg.AccessToken != "":
		c.tokens = staticToken(cfg.AccessToken)
		c.secrets = []string{cfg.AccessToken}
	case cfg.ChannelID != "" && cfg.ChannelSecret != "":
		c.tokens = &statelessTokens{
			issue: issueStateless(c.httpClient, c.endpoint, cfg.ChannelID, cfg.ChannelSecret),
			now:   cfg.Now,
		}
		c.secrets = []string{cfg.ChannelSecret}
	default:
		c.tokens = staticToken("")
	}
	return c, nil
}

// CheckEndpoint accepts an absolute https URL, or http for a loopback host only, so that a
// bearer token never crosses a network in clear.
func CheckEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%s is not an absolute http(s) URL such as %s", quoteShort(raw), DefaultEndpoint)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s must not carry user information, a query or a fragment", quoteShort(raw))
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s uses http:// for a host that is not loopback: use https://, "+
			"since plain http is allowed only for localhost, 127.0.0.0/8 and ::1 so that the access "+
			"token never crosses a network in clear", quoteShort(raw))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// start prepares one call: the token, log masks for every secret, an attempt counter and a
// fresh SDK client bound to the call's context.
func (c *Client) start(ctx context.Context) (context.Context, *messaging_api.MessagingApiAPI, *callStats, error) {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "authorization", "Authorization")
	ctx = tflog.MaskLogStrings(ctx, c.secrets...)
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return ctx, nil, nil, err
	}
	ctx = tflog.MaskLogStrings(ctx, token)
	api, err := messaging_api.NewMessagingApiAPI(token,
		messaging_api.WithHTTPClient(c.httpClient),
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

// do runs an SDK call and turns its failure into an *APIError or *RequestError.
func do[T any](ctx context.Context, c *Client, op string, call sdkCall[T]) (T, error) {
	var zero T
	ctx, api, stats, err := c.start(ctx)
	if err != nil {
		return zero, err
	}
	res, out, err := call(api)
	if err != nil {
		return zero, callError(ctx, op, res, err, stats, c.attemptTimeout)
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
		ch := c.flights.DoChan(flight, func() (any, error) { return do(ctx, c, op, call) })
		select {
		case res := <-ch:
			if res.Err == nil {
				val, _ := res.Val.(T) // do returned a T
				return val, nil
			}
			if ctx.Err() == nil && isCancellation(res.Err) {
				continue // the caller that made the request gave up; this one has not
			}
			return zero, res.Err
		case <-ctx.Done():
			return zero, &RequestError{Operation: op, Cancelled: true, Err: ctx.Err()}
		}
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

func callError(ctx context.Context, op string, res *http.Response, err error, stats *callStats, attemptTimeout time.Duration) error {
	attempts := max(int(stats.attempts.Load()), 1)
	if res != nil && res.StatusCode/100 != 2 {
		return newAPIError(op, res, attempts)
	}
	if res != nil {
		// LINE answered 2xx but the SDK could not read the body.
		return fmt.Errorf("%s: %w", op, err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &RequestError{Operation: op, Attempts: attempts, Cancelled: true, Err: ctxErr}
	}
	var netErr net.Error
	timedOut := errors.As(err, &netErr) && netErr.Timeout()
	return &RequestError{Operation: op, Attempts: attempts, TimedOut: timedOut, AttemptTimeout: attemptTimeout, Err: err}
}
