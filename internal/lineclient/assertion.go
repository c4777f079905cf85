package lineclient

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/line/line-bot-sdk-go/v8/linebot/channel_access_token"
)

// Stateless tokens by JWT assertion: LINE's "assertion signing key". The team registers the
// public half of an RSA key pair with the channel and gets a key ID (kid); a JWT signed with
// the private half then buys a token from POST /oauth2/v3/token. LINE never sees the private
// key, and the channel secret (which also signs webhooks) need not sit in CI.

const (
	// assertionAudience is the aud LINE requires of an assertion.
	assertionAudience = "https://api.line.me/"
	// assertionLifetime keeps exp well inside LINE's 30 minutes, with room for a clock that
	// runs a little fast.
	assertionLifetime = 25 * time.Minute
	// keyBits is the size of LINE's assertion signing keys (RSA 2048).
	keyBits = 2048
)

// Credential fields named by CredentialsError.
const (
	FieldChannelID         = "channel ID"
	FieldChannelPrivateKey = "channel private key"
	FieldChannelKeyID      = "channel key ID"
)

// CredentialsError is a credential that cannot be used as given. New returns it before any
// request is made. Reason never quotes the credential.
type CredentialsError struct {
	Field  string // one of the Field… constants
	Reason string
}

func (e *CredentialsError) Error() string { return e.Field + ": " + e.Reason }

// signingKey is a parsed assertion signing key and the strings to mask in logs.
type signingKey struct {
	key     *rsa.PrivateKey
	kid     string
	secrets []string
}

// newSigningKey checks a private key (a JWK, or PEM) and its key ID.
func newSigningKey(raw, kid string) (*signingKey, error) {
	key, err := parsePrivateKey(raw)
	if err != nil {
		return nil, &CredentialsError{Field: FieldChannelPrivateKey, Reason: err.Error()}
	}
	if strings.TrimSpace(kid) == "" {
		return nil, &CredentialsError{Field: FieldChannelKeyID, Reason: "required with a private key: the key ID (kid) " +
			"the LINE Developers Console showed when the public key was registered"}
	}
	if kid != strings.TrimSpace(kid) || strings.ContainsAny(kid, "\r\n\t") {
		return nil, &CredentialsError{Field: FieldChannelKeyID, Reason: "must not contain whitespace"}
	}
	return &signingKey{key: key, kid: kid, secrets: keySecrets(raw, key)}, nil
}

// parsePrivateKey reads an RSA private key from a JWK (JSON, the form LINE's guide
// generates) or PEM (PKCS #1 or PKCS #8). Its errors say what is wrong without quoting the key.
func parsePrivateKey(raw string) (*rsa.PrivateKey, error) {
	s := strings.TrimSpace(raw)
	var key any
	switch {
	case s == "":
		return nil, errors.New("empty")
	case strings.HasPrefix(s, "{"):
		k, err := parseJWK(s)
		if err != nil {
			return nil, err
		}
		key = k
	case strings.HasPrefix(s, "-----BEGIN"):
		k, err := parsePEM(s)
		if err != nil {
			return nil, err
		}
		key = k
	default:
		return nil, errors.New("neither a JSON Web Key (a JSON object starting with {) nor a PEM block " +
			"(starting with -----BEGIN); give the private key as LINE's guide generates it, a JWK")
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %s private key, not RSA: LINE's assertion signing keys are RSA (RS256)", keyKind(key))
	}
	if bits := rsaKey.N.BitLen(); bits != keyBits {
		return nil, fmt.Errorf("an RSA key of %d bits: LINE's assertion signing keys are %d bits", bits, keyBits)
	}
	if err := rsaKey.Validate(); err != nil {
		return nil, errors.New("an inconsistent RSA private key (its parts do not belong together)")
	}
	rsaKey.Precompute()
	return rsaKey, nil
}

func parseJWK(s string) (any, error) {
	var probe struct {
		Keys json.RawMessage `json:"keys"`
		Kty  string          `json:"kty"`
		D    string          `json:"d"`
	}
	if err := json.Unmarshal([]byte(s), &probe); err != nil {
		return nil, errors.New("not valid JSON, so not a JSON Web Key")
	}
	switch {
	case probe.Keys != nil:
		return nil, errors.New("a JWK set: give the one private key (the object with \"kty\", \"n\" and \"d\"), not the set")
	case probe.Kty == "":
		return nil, errors.New(`a JSON object without "kty", so not a JSON Web Key`)
	case probe.Kty == "RSA" && probe.D == "":
		return nil, errors.New(`a public key only (no "d"): give the private key; the public key is the one registered in the LINE Developers Console`)
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON([]byte(s)); err != nil {
		// go-jose's errors name the missing or bad member, never its value.
		return nil, fmt.Errorf("not a usable JSON Web Key: %s", strings.TrimPrefix(err.Error(), "go-jose/go-jose: "))
	}
	if jwk.IsPublic() {
		return nil, errors.New("a public key only: give the private key")
	}
	return jwk.Key, nil
}

func parsePEM(s string) (any, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("a PEM block that does not decode (check the line breaks and the END line)")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("an RSA PRIVATE KEY block that is not PKCS #1")
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("a PRIVATE KEY block that is not PKCS #8")
		}
		return k, nil
	case "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("an encrypted private key: give it unencrypted (keep it in a secret store instead)")
	case "EC PRIVATE KEY":
		return nil, errors.New("an EC private key, not RSA: LINE's assertion signing keys are RSA (RS256)")
	case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
		return nil, fmt.Errorf("a %s block, so a public key only: give the private key", block.Type)
	}
	return nil, fmt.Errorf("a PEM block of type %q, not a private key", block.Type)
}

func keyKind(key any) string {
	switch fmt.Sprintf("%T", key) {
	case "*ecdsa.PrivateKey", "*ecdh.PrivateKey":
		return "EC"
	case "ed25519.PrivateKey":
		return "Ed25519"
	case "[]uint8":
		return "symmetric (oct)"
	}
	return fmt.Sprintf("%T", key)
}

// keySecrets are the strings to mask in logs: the key as given, each PEM line, and every
// private number in the encodings a JWK or PEM would show.
func keySecrets(raw string, key *rsa.PrivateKey) []string {
	out := []string{raw, strings.TrimSpace(raw)}
	for line := range strings.Lines(raw) {
		if line = strings.TrimSpace(line); len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	ints := []*big.Int{key.D, key.Primes[0], key.Primes[1], key.Precomputed.Dp, key.Precomputed.Dq, key.Precomputed.Qinv}
	for _, n := range ints {
		if n == nil {
			continue
		}
		b := n.Bytes()
		out = append(out, base64.RawURLEncoding.EncodeToString(b), base64.StdEncoding.EncodeToString(b), hex.EncodeToString(b), n.String())
	}
	// The key in the other form it may be kept in: whole, and line by line as PEM wraps it.
	for _, der := range [][]byte{x509.MarshalPKCS1PrivateKey(key), mustPKCS8(key)} {
		b64 := base64.StdEncoding.EncodeToString(der)
		out = append(out, b64)
		for i := 0; i < len(b64); i += 64 {
			out = append(out, b64[i:min(i+64, len(b64))])
		}
	}
	return out
}

func mustPKCS8(key *rsa.PrivateKey) []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(key) // an RSA key always marshals
	return der
}

// assertion signs a JWT for channelID: RS256, typ JWT, kid; iss = sub = the channel ID,
// aud https://api.line.me/, exp 25 minutes ahead. It carries no key material.
func (k *signingKey) assertion(channelID string, now time.Time) (string, error) {
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k.key, KeyID: k.kid, Algorithm: string(jose.RS256)}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return "", err
	}
	var jti [16]byte
	_, _ = rand.Read(jti[:]) // crypto/rand.Read never fails (Go 1.24+)
	claims := jwt.Claims{
		Issuer:   channelID,
		Subject:  channelID,
		Audience: jwt.Audience{assertionAudience},
		Expiry:   jwt.NewNumericDate(now.Add(assertionLifetime)),
		IssuedAt: jwt.NewNumericDate(now),
		ID:       hex.EncodeToString(jti[:]),
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// assertionRequest asks LINE for a stateless token with a fresh assertion each time.
func assertionRequest(channelID string, key *signingKey, now func() time.Time) tokenRequest {
	return func(ctx context.Context, api *channel_access_token.ChannelAccessTokenAPI) (
		*http.Response, *channel_access_token.IssueStatelessChannelAccessTokenResponse, error) {
		jwtString, err := key.assertion(channelID, now())
		if err != nil {
			return nil, nil, &signingError{err: err}
		}
		// The assertion buys tokens until it expires: as secret as a token.
		ctx = tflog.MaskLogStrings(ctx, jwtString)
		return api.WithContext(ctx).IssueStatelessChannelTokenByJWTAssertionWithHttpInfo(jwtString)
	}
}

// signingError is an assertion that could not be signed: no request went out.
type signingError struct{ err error }

func (e *signingError) Error() string { return "signing the assertion: " + e.err.Error() }
func (e *signingError) Unwrap() error { return e.err }
