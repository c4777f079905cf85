package lineclient

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// IssuedToken is a stateless channel access token handed out for use elsewhere.
type IssuedToken struct {
	AccessToken string
	// ExpiresAt is when LINE stops accepting it, counted from when it was asked for.
	ExpiresAt time.Time
}

// NoIssuerError says that IssueToken needs channel credentials (a channel ID with a secret
// or a private key) and none are configured; an access token alone cannot issue tokens.
type NoIssuerError struct {
	AccessTokenSet bool
}

func (e *NoIssuerError) Error() string {
	if e.AccessTokenSet {
		return "issuing a channel access token needs a channel ID with a channel secret or an assertion " +
			"signing key; only a channel access token is configured, and it cannot issue others"
	}
	return "issuing a channel access token needs a channel ID with a channel secret or an assertion signing key"
}

// IssueToken issues a fresh stateless token, whole 15 minutes, for a consumer other than this
// client (the provider's calls keep sharing one token). It counts against nothing: LINE issues
// any number. A refusal is remembered as for the shared token, so wrong credentials still cost
// one request.
func (c *Client) IssueToken(ctx context.Context) (IssuedToken, error) {
	ctx = tflog.MaskLogStrings(ctx, c.secrets...)
	if c.issuer == nil {
		_, isStatic := c.tokens.(staticToken)
		return IssuedToken{}, &NoIssuerError{AccessTokenSet: isStatic && c.tokens != staticToken("")}
	}
	return c.issuer.fresh(ctx)
}

func (s *statelessTokens) fresh(ctx context.Context) (IssuedToken, error) {
	s.mu.Lock()
	refused := s.refused
	s.mu.Unlock()
	if refused != nil {
		return IssuedToken{}, refused
	}
	issueCtx, cancel := context.WithTimeout(ctx, s.bound)
	defer cancel()
	start := s.now()
	token, lifetime, err := s.issue(issueCtx)
	if err != nil {
		var tokenErr *TokenError
		if errors.As(err, &tokenErr) && tokenErr.Refused {
			s.mu.Lock()
			s.refused = err
			s.mu.Unlock()
		}
		return IssuedToken{}, err
	}
	tflog.Debug(ctx, "Issued a stateless channel access token for use elsewhere", map[string]any{
		"expires_in_seconds": int(lifetime.Seconds()),
	})
	return IssuedToken{AccessToken: token, ExpiresAt: start.Add(lifetime)}, nil
}
