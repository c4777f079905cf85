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

// tokenSource gives the channel access token to send with a request.
type tokenSource interface {
	Token(ctx context.Context) (string, error)
}

// staticToken is a long-lived (or otherwise externally managed) channel access token.
type staticToken string

func (t staticToken) Token(context.Context) (string, error) {
	if t == "" {
		return "", &MissingCredentialsError{}
	}
	return string(t), nil
}

// opIssueToken names the token request in errors, once.
const opIssueToken = "issue stateless channel access token"

// statelessTokens issues 15-minute stateless channel access tokens from a channel ID and
// secret (POST /oauth2/v3/token), once, and again shortly before each expires.
//
// One issuance is in flight at a time, shared by every caller that needs a token meanwhile;
// each caller waits only as long as its own context allows, and the issuance runs on, bounded
// by its own time, for the others. Its failure, whatever it is, goes to every caller that
// waited for it, and is remembered for as long as the issuance took (at least a second), so
// that the operations queued behind it fail at once instead of repeating it. A refusal of the
// credentials (400) is remembered for good: wrong credentials cost one request, not one per
// operation.
type statelessTokens struct {
	issue func(ctx context.Context) (token string, lifetime time.Duration, err error)
	now   func() time.Time
	bound time.Duration // the most one issuance may take

	flight singleflight.Group

	mu          sync.Mutex
	token       string
	renewAt     time.Time
	refused     error
	failed      error // the last issuance's failure, until failedUntil
	failedUntil time.Time
}

// issueBound is the most one issuance may take: every attempt timing out, with the longest
// backoff between them, and room for LINE's rate limit, whose 429s are retried until then.
func issueBound(attemptTimeout time.Duration, maxRetries int, waitMin, waitMax time.Duration) time.Duration {
	bound := time.Duration(maxRetries+1)*attemptTimeout + retryAfterMax
	for i := range maxRetries {
		bound += min(waitMin<<min(i, 30), waitMax)
	}
	return bound
}

// renewal is how long before expiry a token is replaced: long enough for the requests in
// flight to finish with it.
func renewal(lifetime time.Duration) time.Duration {
	return min(2*time.Minute, lifetime/3)
}

func (s *statelessTokens) Token(ctx context.Context) (string, error) {
	if token, err, ok := s.known(); ok {
		return token, err
	}
	// The issuance outlives the caller that started it, if others still wait for it.
	flight := s.flight.DoChan("token", func() (any, error) {
		if token, err, ok := s.known(); ok {
			return token, err // issued (or failed) by the flight that just ended
		}
		issueCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.bound)
		defer cancel()
		return s.issueOnce(issueCtx)
	})
	select {
	case res := <-flight:
		if res.Err != nil {
			return "", res.Err
		}
		token, _ := res.Val.(string) // issueOnce returns a string
		return token, nil
	case <-ctx.Done():
		return "", &RequestError{Operation: opIssueToken, Cancelled: true, Err: ctx.Err()}
	}
}

// known gives the current token, or the failure to remember, if there is one.
func (s *statelessTokens) known() (string, error, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	switch {
	case s.refused != nil:
		return "", s.refused, true
	case s.failed != nil && now.Before(s.failedUntil):
		return "", s.failed, true
	case s.token != "" && now.Before(s.renewAt):
		return s.token, nil, true
	}
	return "", nil, false
}

func (s *statelessTokens) issueOnce(ctx context.Context) (string, error) {
	start := s.now()
	token, lifetime, err := s.issue(ctx)
	var reqErr *RequestError
	if errors.As(err, &reqErr) && errors.Is(err, context.DeadlineExceeded) {
		// The issuance's own bound passed, not a caller's deadline: say so, rather than
		// pass for the deadline of whichever operation reads the error.
		last := reqErr.Last
		if last == nil {
			last = errors.New("no answer")
		}
		err = &TokenError{Err: &issueTimeoutError{bound: s.bound, attempts: reqErr.Attempts, last: last}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		var tokenErr *TokenError
		if errors.As(err, &tokenErr) && tokenErr.Refused {
			s.refused = err
		}
		s.failed, s.failedUntil = err, s.now().Add(max(s.now().Sub(start), time.Second))
		return "", err
	}
	s.token, s.failed = token, nil
	s.renewAt = s.now().Add(lifetime - renewal(lifetime))
	tflog.Debug(ctx, "Issued a stateless channel access token", map[string]any{
		"expires_in_seconds": int(lifetime.Seconds()),
	})
	return token, nil
}

// issueStateless asks LINE for a stateless token through the SDK's channel_access_token client.
func issueStateless(httpClient *http.Client, endpoint, channelID, channelSecret string) func(context.Context) (string, time.Duration, error) {
	return func(ctx context.Context) (string, time.Duration, error) {
		api, err := channel_access_token.NewChannelAccessTokenAPI(
			channel_access_token.WithHTTPClient(httpClient),
			channel_access_token.WithEndpoint(endpoint),
		)
		if err != nil {
			return "", 0, &TokenError{Err: fmt.Errorf("%s: %w", opIssueToken, err)}
		}
		callCtx, stats := withCallStats(ctx)
		res, body, err := api.WithContext(callCtx).IssueStatelessChannelTokenByClientSecretWithHttpInfo(channelID, channelSecret)
		if err != nil {
			callErr := callError(callCtx, opIssueToken, res, err, stats, 0)
			// 400 is LINE refusing the ID or secret; asking again will not change that.
			refused := res != nil && res.StatusCode == http.StatusBadRequest
			return "", 0, &TokenError{Refused: refused, Err: callErr}
		}
		if body.AccessToken == "" || body.ExpiresIn <= 0 {
			return "", 0, &TokenError{Err: fmt.Errorf("%s: LINE answered without a token or lifetime", opIssueToken)}
		}
		return body.AccessToken, time.Duration(body.ExpiresIn) * time.Second, nil
	}
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
