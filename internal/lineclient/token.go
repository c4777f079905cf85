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

// statelessTokens issues 15-minute stateless channel access tokens from a channel ID and
// secret (POST /oauth2/v3/token), once, and again shortly before each expires. Concurrent
// callers share one token and wait for one issue; a refusal of the credentials is remembered,
// so that wrong credentials cost one request, not one per operation.
type statelessTokens struct {
	issue func(ctx context.Context) (token string, lifetime time.Duration, err error)
	now   func() time.Time

	mu      sync.Mutex
	token   string
	renewAt time.Time
	refused error
}

// renewal is how long before expiry a token is replaced: long enough for the requests in
// flight to finish with it.
func renewal(lifetime time.Duration) time.Duration {
	return min(2*time.Minute, lifetime/3)
}

func (s *statelessTokens) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused != nil {
		return "", s.refused
	}
	if s.token != "" && s.now().Before(s.renewAt) {
		return s.token, nil
	}
	token, lifetime, err := s.issue(ctx)
	if err != nil {
		var tokenErr *TokenError
		if errors.As(err, &tokenErr) && tokenErr.Refused {
			s.refused = err
		}
		return "", err
	}
	s.token = token
	s.renewAt = s.now().Add(lifetime - renewal(lifetime))
	tflog.Debug(ctx, "Issued a stateless channel access token", map[string]any{
		"expires_in_seconds": int(lifetime.Seconds()),
	})
	return token, nil
}

// issueStateless asks LINE for a stateless token through the SDK's channel_access_token client.
func issueStateless(httpClient *http.Client, endpoint, channelID, channelSecret string) func(context.Context) (string, time.Duration, error) {
	return func(ctx context.Context) (string, time.Duration, error) {
		const op = "issue stateless channel access token"
		api, err := channel_access_token.NewChannelAccessTokenAPI(
			channel_access_token.WithHTTPClient(httpClient),
			channel_access_token.WithEndpoint(endpoint),
		)
		if err != nil {
			return "", 0, &TokenError{Err: err}
		}
		ctx, stats := withCallStats(ctx)
		res, body, err := api.WithContext(ctx).IssueStatelessChannelTokenWithHttpInfo(
			"client_credentials", "", "", channelID, channelSecret)
		if err != nil {
			callErr := callError(ctx, op, res, err, stats, 0)
			// 400 is LINE refusing the ID or secret; asking again will not change that.
			refused := res != nil && res.StatusCode == http.StatusBadRequest
			return "", 0, &TokenError{Refused: refused, Err: callErr}
		}
		if body.AccessToken == "" || body.ExpiresIn <= 0 {
			return "", 0, &TokenError{Err: fmt.Errorf("%s: LINE answered without a token or lifetime", op)}
		}
		return body.AccessToken, time.Duration(body.ExpiresIn) * time.Second, nil
	}
}
