package lineclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/line/line-bot-sdk-go/v8/linebot/channel_access_token"
	"golang.org/x/sync/singleflight"
)

// tokenSource gives each attempt the channel access token to send, when it is sent.
type tokenSource interface {
	// token returns the token for an attempt about to go.
	token(ctx context.Context) (string, error)
	// rejected tells that LINE answered 401 to an attempt sent with tok, and reports whether
	// another token can replace it: an issued one can, once the issuer has a new one; a
	// long-lived one cannot.
	rejected(tok string) bool
}

// staticToken is a long-lived (or otherwise externally managed) channel access token. LINE's
// 401 to it is final: nothing here can replace it.
type staticToken string

func (t staticToken) token(context.Context) (string, error) { return string(t), nil }
func (staticToken) rejected(string) bool                    { return false }

// opIssueToken names the token request in errors, once.
const opIssueToken = "issue stateless channel access token"

// tokenRequest asks LINE for a stateless token with one kind of credential: the channel
// secret, or an assertion signed with the channel's key. It makes its SDK call under ctx.
type tokenRequest func(ctx context.Context, api *channel_access_token.ChannelAccessTokenAPI) (
	*http.Response, *channel_access_token.IssueStatelessChannelAccessTokenResponse, error)

// secretRequest asks with the channel ID and secret (client_credentials).
func secretRequest(channelID, secret string) tokenRequest {
	return func(ctx context.Context, api *channel_access_token.ChannelAccessTokenAPI) (
		*http.Response, *channel_access_token.IssueStatelessChannelAccessTokenResponse, error) {
		return api.WithContext(ctx).IssueStatelessChannelTokenByClientSecretWithHttpInfo(channelID, secret)
	}
}

// issuer issues 15-minute stateless channel access tokens (POST /oauth2/v3/token) with one
// tokenRequest, and serves them to attempts. Its token is in one of three states:
//
//   - fresh, until renewAt: served as it is;
//   - renewing, from renewAt while it has more than request_timeout of life left: still served,
//     while a new one is issued in the background through the shared issuance. A failed renewal
//     is logged at WARN once and never discards the token;
//   - expired, with request_timeout of life or less (or none, or rejected by LINE): attempts wait
//     for the shared issuance, or get its remembered failure.
//
// One issuance is in flight at a time, shared by every caller that needs a token meanwhile
// (singleflight); each caller waits only as long as its own context allows, and the issuance
// runs on, bounded by its own time, for the others. Its failure, whatever it is, goes to every
// caller that waited for it, and is remembered for as long as the issuance took (at least a
// second), so that the operations behind it fail at once instead of repeating it. A refusal
// of the credentials (400, or 404 for an unregistered key) is remembered for good: wrong
// credentials cost one request, not one per operation. IssueToken goes through the same
// request and the same memory, which keeps no failure that its caller's context caused.
//
// A 401 to an issued token (rejected) forgets that token, if it is still the current one: the
// next attempt of every operation that met the same 401 waits for the same new issuance.
type issuer struct {
	client   *http.Client // the token endpoint's: no bearer token, no redirects
	endpoint string
	request  tokenRequest
	keyID    string // the assertion signing key's kid; "" with the channel secret
	now      func() time.Time
	bound    time.Duration // the most one issuance may take
	margin   time.Duration // request_timeout: a token with less life left is not served, and each attempt's time

	flight singleflight.Group

	mu          sync.Mutex
	renewal     <-chan singleflight.Result // the background renewal's, until it is seen to have ended
	current     string
	renewAt     time.Time
	expiresAt   time.Time
	refused     error
	failed      error // the last issuance's failure, until failedUntil
	failedUntil time.Time
	warned      bool // a failed renewal was logged for the current token
}

// rateLimitRoom is what an issuance's bound allows for LINE's rate limit, whose 429s are
// retried until the bound.
const rateLimitRoom = 30 * time.Second

// issueBound is the most one issuance may take: every attempt timing out, with the longest
// backoff between them, and room for LINE's rate limit. It saturates at maxWait rather than
// overflow.
func issueBound(attemptTimeout time.Duration, maxRetries int, waitMin, waitMax time.Duration) time.Duration {
	maxRetries = max(maxRetries, 0)
	bound := addSaturating(mulSaturating(attemptTimeout, maxRetries), attemptTimeout)
	bound = addSaturating(bound, rateLimitRoom)
	// The backoffs double up to waitMax, which every one from the 31st on is (backoff).
	i := 0
	for ; i < min(maxRetries, 30); i++ {
		longest := waitMax
		if waitMin <= waitMax>>i {
			longest = waitMin << i
		}
		bound = addSaturating(bound, longest)
	}
	return addSaturating(bound, mulSaturating(waitMax, maxRetries-i))
}

// addSaturating is a+b, or maxWait when that is more, for durations of 0 or more.
func addSaturating(a, b time.Duration) time.Duration {
	if a > maxWait-b {
		return maxWait
	}
	return a + b
}

// mulSaturating is d·n, or maxWait when that is more, for d and n of 0 or more.
func mulSaturating(d time.Duration, n int) time.Duration {
	if n > 0 && d > maxWait/time.Duration(n) {
		return maxWait
	}
	return d * time.Duration(n)
}

// renewal is how long before expiry (and before the last request_timeout of its life) a token
// starts being renewed: long enough for a renewal to be retried a few times.
func renewal(lifetime time.Duration) time.Duration {
	return min(2*time.Minute, lifetime/3)
}

func (s *issuer) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	now := s.now()
	switch {
	case s.current != "" && now.Before(s.renewAt):
		tok := s.current
		s.mu.Unlock()
		return tok, nil
	case s.current != "" && s.expiresAt.Sub(now) > s.margin:
		tok, retry := s.current, s.refused == nil && (s.failed == nil || !now.Before(s.failedUntil))
		if retry && !s.renewing() {
			// Started, or the issuance in flight joined, without waiting: one renewal at a
			// time, however many calls come meanwhile.
			s.renewal = s.flight.DoChan("issue", s.shared(ctx))
		}
		s.mu.Unlock()
		return tok, nil
	case s.refused != nil:
		err := s.refused
		s.mu.Unlock()
		return "", err
	case s.failed != nil && now.Before(s.failedUntil):
		err := s.failed
		s.mu.Unlock()
		return "", err
	}
	s.mu.Unlock()
	select {
	case res := <-s.flight.DoChan("issue", s.shared(ctx)):
		if res.Err != nil {
			return "", res.Err
		}
		tok, _ := res.Val.(string) // shared returns a string
		return tok, nil
	case <-ctx.Done():
		return "", &RequestError{Operation: opIssueToken, Cancelled: true, Err: ctx.Err()}
	}
}

func (s *issuer) rejected(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == tok {
		s.current, s.warned = "", false
	}
	return true
}

// renewing reports a background renewal still in flight (mu held). Its result is dropped:
// the issuance leaves it in the issuer's state.
func (s *issuer) renewing() bool {
	if s.renewal == nil {
		return false
	}
	select {
	case <-s.renewal:
		s.renewal = nil
		return false
	default:
		return true
	}
}

// shared is the shared issuance: it outlives the caller that started it, bounded by its own
// time, and leaves its result (a token, or a failure to remember) for everyone.
func (s *issuer) shared(ctx context.Context) func() (any, error) {
	return func() (any, error) {
		s.mu.Lock()
		now := s.now()
		switch {
		case s.current != "" && now.Before(s.renewAt):
			tok := s.current // issued by the flight that just ended
			s.mu.Unlock()
			return tok, nil
		case s.failed != nil && now.Before(s.failedUntil):
			err := s.failed
			s.mu.Unlock()
			return "", err
		}
		s.mu.Unlock()
		issueCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.bound)
		defer cancel()
		tok, err := s.issueAndRemember(issueCtx, true)
		if err != nil {
			s.warnRenewal(ctx, err)
			return "", err
		}
		return tok.AccessToken, nil
	}
}

// warnRenewal logs, once per token, a renewal that failed while the token is still served.
func (s *issuer) warnRenewal(ctx context.Context, err error) {
	s.mu.Lock()
	left := s.expiresAt.Sub(s.now())
	warn := s.current != "" && left > s.margin && !s.warned
	s.warned = s.warned || warn
	s.mu.Unlock()
	if warn {
		tflog.Warn(ctx, "Could not renew the stateless channel access token: the current one is used while it "+
			"lasts, and renewal is tried again", map[string]any{
			"error":               err.Error(),
			"token_valid_seconds": int(left.Seconds()),
		})
	}
}

// issueAndRemember issues a token and keeps it as the current one, or remembers the failure.
func (s *issuer) issueAndRemember(ctx context.Context, bounded bool) (IssuedToken, error) {
	start := s.now()
	tok, err := s.issue(ctx, bounded)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.remember(err, start)
		return IssuedToken{}, err
	}
	lifetime := tok.ExpiresAt.Sub(start)
	s.current, s.expiresAt, s.failed, s.warned = tok.AccessToken, tok.ExpiresAt, nil, false
	s.renewAt = tok.ExpiresAt.Add(-s.margin - renewal(lifetime))
	tflog.Debug(ctx, "Issued a stateless channel access token", map[string]any{
		"expires_in_seconds": int(lifetime.Seconds()),
	})
	return tok, nil
}

// remember keeps a failed issuance's error: for good when LINE refused the credentials, else
// for as long as the issuance took, and at least a second. mu must be held.
func (s *issuer) remember(err error, start time.Time) {
	var tokenErr *TokenError
	if errors.As(err, &tokenErr) && tokenErr.Refused {
		s.refused = err
	}
	s.failed, s.failedUntil = err, s.now().Add(max(s.now().Sub(start), time.Second))
}

// issue asks LINE for one token with the issuer's request: the one way every token is issued.
// ExpiresAt counts from when it was asked for. bounded says that ctx's deadline is the
// issuance's own bound, not a caller's.
func (s *issuer) issue(ctx context.Context, bounded bool) (IssuedToken, error) {
	start := s.now()
	api, err := channel_access_token.NewChannelAccessTokenAPI(
		channel_access_token.WithHTTPClient(s.client),
		channel_access_token.WithEndpoint(s.endpoint),
	)
	if err != nil {
		return IssuedToken{}, &TokenError{KeyID: s.keyID, Err: fmt.Errorf("%s: %w", opIssueToken, err)}
	}
	callCtx, stats := withCallStats(ctx)
	// Any number of stateless tokens can be issued, and one whose answer is lost does no harm:
	// the request is no write (no start cut-off before the deadline, never "may have taken
	// effect").
	stats.changesNothing = true
	res, body, err := s.request(callCtx, api) //nolint:bodyclose // the SDK has read and closed it, and re-buffered it on failure
	var signing *signingError
	switch {
	case errors.As(err, &signing):
		return IssuedToken{}, &TokenError{KeyID: s.keyID, Err: fmt.Errorf("%s: %w", opIssueToken, err)}
	case err != nil:
		err = callError(callCtx, opIssueToken, res, err, stats, s.margin)
		if bounded && errors.Is(err, context.DeadlineExceeded) {
			err = boundError(err, s.bound)
		}
		// 400 is LINE refusing the secret or the assertion, and 404 an unregistered key: asking
		// again with the same credentials will not change either.
		unknown := s.keyID != "" && res != nil && res.StatusCode == http.StatusNotFound
		refused := unknown || (res != nil && res.StatusCode == http.StatusBadRequest)
		return IssuedToken{}, &TokenError{Refused: refused, KeyID: s.keyID, UnknownKey: unknown, Err: err}
	case body.AccessToken == "" || body.ExpiresIn <= 0:
		return IssuedToken{}, &TokenError{KeyID: s.keyID, Err: fmt.Errorf("%s: LINE answered without a token or lifetime", opIssueToken)}
	}
	lifetime := min(time.Duration(body.ExpiresIn)*time.Second, maxTokenLifetime) // int32 seconds: no overflow
	return IssuedToken{AccessToken: body.AccessToken, ExpiresAt: start.Add(lifetime)}, nil
}

// maxTokenLifetime caps the lifetime LINE gives a token: its stateless tokens live 15
// minutes, so a longer expires_in is a mistake, not a token to keep for decades.
const maxTokenLifetime = 24 * time.Hour

// boundError says that an issuance ran out of its own time, rather than pass for the
// deadline of whichever operation reads the error.
func boundError(err error, bound time.Duration) error {
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.RetryAfter != "" {
		return err // a Retry-After past the bound names itself
	}
	last := reqErr.Last
	if last == nil {
		last = errors.New("no answer")
	}
	return &issueTimeoutError{bound: bound, attempts: reqErr.Attempts, last: last}
}

// issueTimeoutError is an issuance that ran out of its own time (see issueBound).
type issueTimeoutError struct {
	bound    time.Duration
	attempts int
	last     error
}

func (e *issueTimeoutError) Error() string {
	return fmt.Sprintf("%s: no token after %s within %s, the most one issuance may take; %s",
		opIssueToken, nAttempts(e.attempts), e.bound, lastWords(e.last))
}

// Unwrap gives the last answer, such as LINE's 429, but not the deadline.
func (e *issueTimeoutError) Unwrap() error { return e.last }
