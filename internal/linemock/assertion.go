package linemock

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Assertion signing keys (REFERENCE.md §9): a channel registers the public half of an RSA
// key pair and LINE gives it a key ID (kid). A JWT signed with the private half, naming the
// kid, then buys a stateless token. This is the mock's own reading of LINE's reference; it
// shares no code with the client.

const (
	assertionAudience    = "https://api.line.me/"
	maxAssertionLifetime = 30 * time.Minute
	assertionKeyBits     = 2048
	msgUnknownChannelKey = "Cannot find channel key that satisfies the conditions"
	descInvalidAssertion = "Invalid 'client_assertion'."
	descInvalidSignature = "Invalid 'client_assertion': the signature does not verify."
	descInvalidIssuer    = "Invalid 'client_assertion': 'iss' and 'sub' must be the channel ID."
	descInvalidAudience  = "Invalid 'client_assertion': 'aud' must be https://api.line.me/."
	descMissingExpiry    = "Invalid 'client_assertion': 'exp' is required."
	descExpiredAssertion = "Invalid 'client_assertion': the JWT has expired."
	descAssertionTooLong = "Invalid 'client_assertion': 'exp' must be within 30 minutes."
	assertionHeaderType  = "JWT"
	assertionAlgorithm   = jose.RS256
	assertionTypeHeader  = "typ"
)

// ChannelKey is an assertion signing key registered for a channel: its key ID and its
// public half as a JWK.
type ChannelKey struct {
	KID string          `json:"kid"`
	JWK json.RawMessage `json:"jwk"`
}

// channelKey is a registered key, ready to verify with.
type channelKey struct {
	channelID string
	public    *rsa.PublicKey
}

var channelKeyKeys = []string{"kid", "jwk"}

// parsePublicJWK reads a key to register as LINE's console takes one: the public half of an
// RSA key of 2048 bits, as a JWK that says RS256 ("alg") and signing ("use": "sig", or
// "key_ops": ["verify"] and nothing else), without a "kid" of its own.
func parsePublicJWK(raw json.RawMessage) (*rsa.PublicKey, error) {
	if len(raw) == 0 {
		return nil, errors.New("required (the public key as a JWK)")
	}
	var probe struct {
		D      *json.RawMessage `json:"d"`
		Alg    string           `json:"alg"`
		Use    string           `json:"use"`
		KeyOps []string         `json:"key_ops"`
		KID    *string          `json:"kid"`
	}
	if json.Unmarshal(raw, &probe) != nil {
		return nil, errors.New("must be a JWK object")
	}
	if probe.D != nil {
		return nil, errors.New(`holds a private key ("d"): register only the public half`)
	}
	if probe.KID != nil {
		return nil, errors.New(`has a "kid": LINE assigns the key ID when the key is registered, so leave it out`)
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("not a JWK: %w", err)
	}
	pub, ok := k.Key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an RSA public key", k.Key)
	}
	if pub.N.BitLen() != assertionKeyBits {
		return nil, fmt.Errorf("an RSA key of %d bits: LINE's assertion signing keys are %d bits", pub.N.BitLen(), assertionKeyBits)
	}
	if probe.Alg != "RS256" {
		return nil, fmt.Errorf(`"alg" is %q: LINE requires "RS256"`, probe.Alg)
	}
	verifyOnly := len(probe.KeyOps) == 1 && probe.KeyOps[0] == "verify"
	if probe.Use != "sig" && !verifyOnly {
		return nil, errors.New(`neither "use": "sig" nor "key_ops": ["verify"]: LINE requires one of them`)
	}
	return pub, nil
}

// validateChannelKeys checks a channel's keys; kids are unique across the fixture.
func validateChannelKeys(where string, keys []ChannelKey, kids map[string]string) error {
	for j, k := range keys {
		at := fmt.Sprintf("%s.keys[%d]", where, j)
		if k.KID == "" {
			return fmt.Errorf("%s.kid: required", at)
		}
		if strings.IndexFunc(k.KID, func(r rune) bool { return r <= ' ' }) >= 0 {
			return fmt.Errorf("%s.kid %q: must not contain whitespace", at, k.KID)
		}
		if other, dup := kids[k.KID]; dup {
			return fmt.Errorf("%s.kid %q: duplicate of %s", at, k.KID, other)
		}
		kids[k.KID] = at
		if _, err := parsePublicJWK(k.JWK); err != nil {
			return fmt.Errorf("%s.jwk: %w", at, err)
		}
	}
	return nil
}

// RegisterChannelKey registers an assertion signing key for a channel, as the LINE
// Developers Console does: kid names it, jwk is its public half.
func (s *Server) RegisterChannelKey(channelID, kid string, jwk json.RawMessage) error {
	if _, ok := s.channels[channelID]; !ok {
		return notFoundf("channel %q not found", channelID)
	}
	key := ChannelKey{KID: kid, JWK: slices.Clone(jwk)}
	s.keysMu.Lock()
	defer s.keysMu.Unlock()
	if _, dup := s.keys[kid]; dup {
		return conflictf("key %q is already registered", kid)
	}
	if err := validateChannelKeys("key", []ChannelKey{key}, map[string]string{}); err != nil {
		return invalidf("%v", err)
	}
	pub, _ := parsePublicJWK(key.JWK) // validated above
	s.keys[kid] = channelKey{channelID: channelID, public: pub}
	i := slices.IndexFunc(s.channelList, func(c Channel) bool { return c.ID == channelID })
	s.channelList[i].Keys = append(s.channelList[i].Keys, key)
	return nil
}

// RemoveChannelKey deletes a registered key, as the console does; assertions naming it are
// then refused with LINE's 404.
func (s *Server) RemoveChannelKey(channelID, kid string) error {
	s.keysMu.Lock()
	defer s.keysMu.Unlock()
	k, ok := s.keys[kid]
	if !ok || k.channelID != channelID {
		return notFoundf("key %q is not registered for channel %q", kid, channelID)
	}
	delete(s.keys, kid)
	i := slices.IndexFunc(s.channelList, func(c Channel) bool { return c.ID == channelID })
	s.channelList[i].Keys = slices.DeleteFunc(s.channelList[i].Keys, func(k ChannelKey) bool { return k.KID == kid })
	return nil
}

// initChannelKeys indexes the fixture's keys by kid (validated by New).
func (s *Server) initChannelKeys() {
	s.keys = map[string]channelKey{}
	for _, c := range s.channelList {
		for _, k := range c.Keys {
			pub, _ := parsePublicJWK(k.JWK)
			s.keys[k.KID] = channelKey{channelID: c.ID, public: pub}
		}
	}
}

// channelsSnapshot copies the channels with their current keys.
func (s *Server) channelsSnapshot() []Channel {
	s.keysMu.RLock()
	defer s.keysMu.RUnlock()
	out := make([]Channel, len(s.channelList))
	for i, c := range s.channelList {
		out[i] = c.clone()
	}
	return out
}

func (c Channel) clone() Channel {
	c.Keys = slices.Clone(c.Keys)
	for i := range c.Keys {
		c.Keys[i].JWK = slices.Clone(c.Keys[i].JWK)
	}
	return c
}

// verifyAssertion answers a well-formed JWT request (REFERENCE.md §9), in this order: the
// JWT's form (compact JWS, alg RS256, typ JWT) → 400; its kid unknown → 404; the signature
// by that key → 400; iss and sub the key's channel → 400; aud → 400; exp present, not passed
// by the mock's clock and at most 30 minutes ahead → 400. Then a token.
func (s *Server) verifyAssertion(w http.ResponseWriter, assertion string) {
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{assertionAlgorithm})
	if err != nil || len(tok.Headers) != 1 || tok.Headers[0].ExtraHeaders[assertionTypeHeader] != assertionHeaderType {
		writeOAuthError(w, "invalid_request", descInvalidAssertion)
		return
	}
	s.keysMu.RLock()
	key, ok := s.keys[tok.Headers[0].KeyID]
	s.keysMu.RUnlock()
	if !ok {
		writeError(w, http.StatusNotFound, msgUnknownChannelKey)
		return
	}
	var claims jwt.Claims
	if err := tok.Claims(key.public, &claims); err != nil {
		writeOAuthError(w, "invalid_request", descInvalidSignature)
		return
	}
	now := s.clock.Now()
	switch {
	case claims.Issuer != key.channelID || claims.Subject != key.channelID:
		writeOAuthError(w, "invalid_request", descInvalidIssuer)
	case len(claims.Audience) != 1 || claims.Audience[0] != assertionAudience:
		writeOAuthError(w, "invalid_request", descInvalidAudience)
	case claims.Expiry == nil:
		writeOAuthError(w, "invalid_request", descMissingExpiry)
	case !now.Before(claims.Expiry.Time()):
		writeOAuthError(w, "invalid_request", descExpiredAssertion)
	case claims.Expiry.Time().After(now.Add(maxAssertionLifetime)):
		writeOAuthError(w, "invalid_request", descAssertionTooLong)
	default:
		s.writeStatelessToken(w, now)
	}
}
