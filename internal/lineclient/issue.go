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
// any number. It goes through the issuer's request and its memory of failures, so wrong
// credentials still cost one request; a failure caused by ctx ending (a cancellation, or
// ctx's deadline before the issuance's own bound) is not remembered.
func (c *Client) IssueToken(ctx context.Context) (IssuedToken, error) {
	ctx = tflog.MaskLogStrings(ctx, c.secrets...)
	if c.issuer == nil {
		return IssuedToken{}, &NoIssuerError{AccessTokenSet: c.tokens != nil}
	}
	return c.issuer.fresh(ctx)
}

func (s *issuer) fresh(ctx context.Context) (IssuedToken, error) {
	s.mu.Lock()
	now := s.now()
	known := s.refused
	if known == nil && s.failed != nil && now.Before(s.failedUntil) {
		known = s.failed
	}
	s.mu.Unlock()
	if known != nil {
		return IssuedToken{}, known
	}
	issueCtx, cancel := context.WithTimeout(ctx, s.bound)
	defer cancel()
	// Whose deadline issueCtx has: the issuance's own bound, or the caller's, if sooner.
	own, _ := issueCtx.Deadline()
	callers, hasDeadline := ctx.Deadline()
	bounded := !hasDeadline || own.Before(callers)
	start := s.now()
	tok, err := s.issue(issueCtx, bounded)
	if err != nil {
		if ctx.Err() != nil || (!bounded && errors.Is(err, context.DeadlineExceeded)) {
			// The caller's own cancellation or deadline says nothing about LINE: other
			// operations must not get it.
			return IssuedToken{}, err
		}
		s.mu.Lock()
		s.remember(err, start)
		s.mu.Unlock()
		return IssuedToken{}, err
	}
	tflog.Debug(ctx, "Issued a stateless channel access token for use elsewhere", map[string]any{
		"expires_in_seconds": int(tok.ExpiresAt.Sub(start).Seconds()),
	})
	return tok, nil
}
