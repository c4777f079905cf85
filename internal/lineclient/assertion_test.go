package lineclient

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const testKeyID = "9b7c1a52-5f0e-4d63-8e8e-1f2a3b4c5d6e"

var (
	testKeyOnce sync.Once
	testRSAKey  *rsa.PrivateKey
)

// testKey is one 2048-bit key for the package: generating keys under -race is slow.
func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testRSAKey = k
	})
	return testRSAKey
}

// jwkOf gives a key as a JWK, the form LINE's guide generates, with its extra members.
func jwkOf(t testing.TB, key any) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, Algorithm: "RS256", Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["ext"], m["key_ops"] = true, []string{"sign"} // as WebCrypto exports it
	b, _ = json.Marshal(m)
	return string(b)
}

func pemOf(t testing.TB, typ string, der []byte) string {
	t.Helper()
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestPrivateKeyFormsAccepted(t *testing.T) {
	key := testKey(t)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	for name, raw := range map[string]string{
		"JWK":                jwkOf(t, key),
		"JWK with spaces":    "\n  " + jwkOf(t, key) + "\n",
		"PKCS #1 PEM":        pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)),
		"PKCS #8 PEM":        pemOf(t, "PRIVATE KEY", pkcs8),
		"PEM without its LF": strings.TrimSpace(pemOf(t, "PRIVATE KEY", pkcs8)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := parsePrivateKey(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(key) {
				t.Fatal("parsed a different key")
			}
		})
	}
}

// Every bad key fails in New, before any request, naming the field and what is wrong, and
// never quoting the key.
func TestBadSigningCredentialsFailInNew(t *testing.T) {
	key := testKey(t)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	ecPKCS8, _ := x509.MarshalPKCS8PrivateKey(ec)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	broken := *key
	broken.D = new(big.Int).Add(key.D, big.NewInt(2))
	goodJWK := jwkOf(t, key)
	cases := []struct {
		name, raw, kid, channel string
		field, reason           string
	}{
		{"garbage", "not a key at all", testKeyID, testChannelID, FieldChannelPrivateKey, "neither a JSON Web Key"},
		{"truncated JWK", goodJWK[:len(goodJWK)/2], testKeyID, testChannelID, FieldChannelPrivateKey, "not valid JSON"},
		{"JSON, no kty", `{"n":"AQAB"}`, testKeyID, testChannelID, FieldChannelPrivateKey, `without "kty"`},
		{"JWK set", `{"keys":[` + goodJWK + `]}`, testKeyID, testChannelID, FieldChannelPrivateKey, "a JWK set"},
		{"public JWK", jwkOf(t, &key.PublicKey), testKeyID, testChannelID, FieldChannelPrivateKey, "a public key only"},
		{"EC JWK", jwkOf(t, ec), testKeyID, testChannelID, FieldChannelPrivateKey, "a EC private key, not RSA"},
		{"symmetric JWK", `{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ"}`, testKeyID, testChannelID, FieldChannelPrivateKey, "not RSA"},
		{"RSA JWK without n", `{"kty":"RSA","e":"AQAB","d":"AQAB"}`, testKeyID, testChannelID, FieldChannelPrivateKey, "not a usable JSON Web Key"},
		{"1024 bits", jwkOf(t, small), testKeyID, testChannelID, FieldChannelPrivateKey, "an RSA key of 1024 bits: LINE's assertion signing keys are 2048 bits"},
		{"inconsistent", jwkOf(t, &broken), testKeyID, testChannelID, FieldChannelPrivateKey, "not a usable JSON Web Key"},
		{"public PEM", pemOf(t, "PUBLIC KEY", pubDER), testKeyID, testChannelID, FieldChannelPrivateKey, "a PUBLIC KEY block, so a public key only"},
		{"EC PEM", pemOf(t, "EC PRIVATE KEY", ecDER), testKeyID, testChannelID, FieldChannelPrivateKey, "an EC private key, not RSA"},
		{"EC in PKCS #8", pemOf(t, "PRIVATE KEY", ecPKCS8), testKeyID, testChannelID, FieldChannelPrivateKey, "a EC private key, not RSA"},
		{"encrypted PEM", pemOf(t, "ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}), testKeyID, testChannelID, FieldChannelPrivateKey, "encrypted"},
		{"bad PEM body", "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n", testKeyID, testChannelID, FieldChannelPrivateKey, "does not decode"},
		{"PKCS #1 labelled PKCS #8", pemOf(t, "PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)), testKeyID, testChannelID, FieldChannelPrivateKey, "not PKCS #8"},
		{"no kid", goodJWK, "", testChannelID, FieldChannelKeyID, "required with a private key"},
		{"kid with a newline", goodJWK, testKeyID + "\n", testChannelID, FieldChannelKeyID, "whitespace"},
		{"no channel ID", goodJWK, testKeyID, "", FieldChannelID, "required with a private key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeLINE(t, func(http.ResponseWriter, *http.Request) { t.Error("a request was made") })
			_, err := New(Config{Endpoint: f.URL, ChannelID: c.channel, ChannelPrivateKey: c.raw, ChannelKeyID: c.kid})
			var credErr *CredentialsError
			if !errors.As(err, &credErr) || credErr.Field != c.field || !strings.Contains(credErr.Reason, c.reason) {
				t.Fatalf("err = %#v (%v), want field %q with %q", err, err, c.field, c.reason)
			}
			for _, part := range keyParts(c.raw) {
				if strings.Contains(err.Error(), part) {
					t.Fatalf("the error quotes the key: %v", err)
				}
			}
		})
	}
}

// keyParts are substrings that would give a key away: every private JSON member and PEM
// line of 8 characters or more.
func keyParts(raw string) []string {
	var parts []string
	var m map[string]any
	if json.Unmarshal([]byte(raw), &m) == nil {
		for k, v := range m {
			if s, ok := v.(string); ok && len(s) >= 8 && k != "n" { // n is public
				parts = append(parts, s)
			}
		}
		return parts
	}
	for line := range strings.Lines(raw) {
		if line = strings.TrimSpace(line); len(line) >= 8 && !strings.HasPrefix(line, "-----") {
			parts = append(parts, line)
		}
	}
	return parts
}

// assertionLINE verifies assertions as LINE documents them and issues "jwt-issued-N".
type assertionLINE struct {
	*fakeLINE
	issued atomic.Int32
	// answer, if set, replaces the token endpoint's answer.
	answer func(w http.ResponseWriter) bool
	mu     sync.Mutex
	forms  []map[string][]string
}

func newAssertionLINE(t *testing.T, pub *rsa.PublicKey, now func() time.Time) *assertionLINE {
	l := &assertionLINE{}
	l.fakeLINE = newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/v3/token" {
			if r.Header.Get("Authorization") != "Bearer jwt-issued-"+strconv.Itoa(int(l.issued.Load())) {
				writeJSON(w, 401, map[string]string{"message": "Authentication failed."})
				return
			}
			writeJSON(w, 200, map[string]int{"count": 2})
			return
		}
		_ = r.ParseForm()
		l.mu.Lock()
		l.forms = append(l.forms, r.PostForm)
		l.mu.Unlock()
		if l.answer != nil && l.answer(w) {
			return
		}
		if err := checkAssertion(r.PostForm, pub, now()); err != nil {
			t.Errorf("assertion: %v", err)
			writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": err.Error()})
			return
		}
		n := l.issued.Add(1)
		writeJSON(w, 200, map[string]any{"token_type": "Bearer", "access_token": "jwt-issued-" + strconv.Itoa(int(n)), "expires_in": 900})
	})
	return l
}

// checkAssertion is LINE's reading of the request: variant B of the form, and a JWT signed
// RS256 by pub with typ JWT, the kid, iss = sub = the channel, aud, and exp within 30 minutes.
func checkAssertion(form map[string][]string, pub *rsa.PublicKey, now time.Time) error {
	get := func(k string) string {
		if v := form[k]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	if get("grant_type") != "client_credentials" || get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return errors.New("form: " + strconv.Quote(get("grant_type")) + " " + strconv.Quote(get("client_assertion_type")))
	}
	if _, ok := form["client_id"]; ok {
		return errors.New("client_id sent with an assertion")
	}
	if _, ok := form["client_secret"]; ok {
		return errors.New("client_secret sent with an assertion")
	}
	tok, err := jwt.ParseSigned(get("client_assertion"), []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return err
	}
	h := tok.Headers[0]
	if h.KeyID != testKeyID || h.ExtraHeaders["typ"] != "JWT" || h.Algorithm != "RS256" || h.JSONWebKey != nil {
		return errors.New("header: kid " + h.KeyID + ", alg " + h.Algorithm)
	}
	var claims jwt.Claims
	if err := tok.Claims(pub, &claims); err != nil {
		return err
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Issuer: testChannelID, Subject: testChannelID,
		AnyAudience: jwt.Audience{"https://api.line.me/"}, Time: now}, 0); err != nil {
		return err
	}
	if claims.Expiry == nil || claims.Expiry.Time().After(now.Add(30*time.Minute)) || claims.IssuedAt == nil || claims.ID == "" {
		return errors.New("exp, iat or jti missing, or exp more than 30 minutes ahead")
	}
	return nil
}

func (l *assertionLINE) client(t *testing.T, raw string, options ...any) *Client {
	return l.fakeLINE.client(t, append([]any{func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelPrivateKey, c.ChannelKeyID = "", testChannelID, raw, testKeyID
	}}, options...)...)
}

func TestAssertionIssuesTokensOnceAndRenews(t *testing.T) {
	key := testKey(t)
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	l := newAssertionLINE(t, &key.PublicKey, clock.Now)
	// A secret too: the key wins.
	c := l.client(t, jwkOf(t, key), func(c *Config) { c.Now, c.ChannelSecret = clock.Now, testChannelSecret })
	// A deadline, so that a limiter that loses a queued call fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := l.issued.Load(); n != 1 {
		t.Fatalf("%d tokens issued for 16 concurrent calls, want 1", n)
	}
	clock.Advance(14 * time.Minute) // a minute left: served while it is renewed
	if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	c.issuer.settleRenewal()
	if n := l.issued.Load(); n != 2 {
		t.Fatalf("%d tokens issued after 14 minutes, want 2 (renewed)", n)
	}
	// Every assertion is new: a fresh jti and iat.
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.forms[0]["client_assertion"][0] == l.forms[1]["client_assertion"][0] {
		t.Fatal("the renewal reused the first assertion")
	}
}

func TestAssertionCarriesNoKeyMaterial(t *testing.T) {
	key := testKey(t)
	sk, err := newSigningKey(jwkOf(t, key), testKeyID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	a, err := sk.assertion(testChannelID, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkAssertion(map[string][]string{
		"grant_type": {"client_credentials"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion": {a},
	}, &key.PublicKey, now); err != nil {
		t.Fatal(err)
	}
	tok, _ := jwt.ParseSigned(a, []jose.SignatureAlgorithm{jose.RS256})
	var raw map[string]any
	_ = tok.UnsafeClaimsWithoutVerification(&raw)
	if len(raw) != 6 || raw["aud"] != "https://api.line.me/" || raw["exp"] != float64(now.Add(25*time.Minute).Unix()) {
		t.Fatalf("claims %v: want iss, sub, aud (a string), exp now+25m, iat, jti", raw)
	}
	for _, part := range keyParts(jwkOf(t, key)) {
		if strings.Contains(a, part) {
			t.Fatalf("the assertion carries key material %q", part)
		}
	}
}

// LINE's 404 says the kid is not registered for the channel; like a refused secret it is
// remembered, so that every later call fails without another request.
func TestUnregisteredKeyFailsAfterOneRequest(t *testing.T) {
	for _, c := range []struct {
		name    string
		status  int
		body    map[string]string
		unknown bool
		words   string
	}{
		{"unknown kid", 404, map[string]string{"message": "Cannot find channel key that satisfies the conditions"}, true, "LINE answered 404: Cannot find channel key that satisfies the conditions"},
		{"refused assertion", 400, map[string]string{"error": "invalid_request", "error_description": "Invalid 'client_credentials'."}, false, "LINE answered 400: Invalid 'client_credentials'."},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := testKey(t)
			l := newAssertionLINE(t, &key.PublicKey, time.Now)
			l.answer = func(w http.ResponseWriter) bool { writeJSON(w, c.status, c.body); return true }
			cl := l.client(t, jwkOf(t, key))
			for range 3 {
				_, err := cl.GroupSummary(context.Background(), groupID)
				var tokenErr *TokenError
				if !errors.As(err, &tokenErr) || !tokenErr.Refused || tokenErr.UnknownKey != c.unknown || tokenErr.KeyID != testKeyID {
					t.Fatalf("err = %#v, want a refused *TokenError (unknown key %v) for the kid", err, c.unknown)
				}
				if !strings.Contains(err.Error(), c.words) {
					t.Fatalf("error %q lacks %q", err, c.words)
				}
			}
			if _, err := cl.IssueToken(context.Background()); err == nil {
				t.Fatal("IssueToken after a refusal succeeded")
			}
			if got := l.requests.Load(); got != 1 {
				t.Fatalf("%d requests, want exactly one token request", got)
			}
		})
	}
}

func TestIssueTokenGivesAFreshToken(t *testing.T) {
	key := testKey(t)
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	l := newAssertionLINE(t, &key.PublicKey, clock.Now)
	c := l.client(t, pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)), func(c *Config) { c.Now = clock.Now })
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	got, err := c.IssueToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != "jwt-issued-2" || !got.ExpiresAt.Equal(clock.Now().Add(15*time.Minute)) {
		t.Fatalf("IssueToken = %+v, want a second token expiring 15 minutes from now", got)
	}
}

func TestIssueTokenNeedsChannelCredentials(t *testing.T) {
	f := newFakeLINE(t, func(http.ResponseWriter, *http.Request) { t.Error("a request was made") })
	for _, c := range []struct {
		name  string
		cfg   func(*Config)
		token bool
	}{
		{"access token only", func(*Config) {}, true},
		{"nothing", func(c *Config) { c.AccessToken = "" }, false},
		{"an ID without a secret", func(c *Config) { c.AccessToken, c.ChannelID = "", testChannelID }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.client(t, c.cfg).IssueToken(context.Background())
			var noIssuer *NoIssuerError
			if !errors.As(err, &noIssuer) || noIssuer.AccessTokenSet != c.token {
				t.Fatalf("err = %v, want *NoIssuerError{AccessTokenSet: %v}", err, c.token)
			}
		})
	}
}

// With an access token for calls and a key as well, the calls use the token and IssueToken
// issues with the key.
func TestIssueTokenWithAccessTokenAndKey(t *testing.T) {
	key := testKey(t)
	l := newAssertionLINE(t, &key.PublicKey, time.Now)
	c := l.client(t, jwkOf(t, key), func(c *Config) { c.AccessToken = testToken })
	if _, err := c.IssueToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := l.issued.Load(); n != 1 {
		t.Fatalf("%d tokens issued, want 1", n)
	}
}

// Every form of the key, and its private numbers, are masked in the context of every call.
func TestPrivateKeyMaskedInLogs(t *testing.T) {
	key := testKey(t)
	jwk := jwkOf(t, key)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	pemKey := pemOf(t, "PRIVATE KEY", pkcs8)
	for name, raw := range map[string]string{"JWK": jwk, "PEM": pemKey} {
		t.Run(name, func(t *testing.T) {
			l := newAssertionLINE(t, &key.PublicKey, time.Now)
			c := l.client(t, raw)
			var out bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &out)
			ctx, _, _, err := c.start(ctx)
			if err != nil {
				t.Fatal(err)
			}
			leaks := append(append(keyParts(jwk), keyParts(pemKey)...), raw, key.D.String())
			for _, leak := range leaks {
				if len(leak) > 8 {
					tflog.Debug(ctx, "value: "+leak, map[string]any{"field": leak})
				}
			}
			for _, leak := range leaks {
				if len(leak) > 8 && strings.Contains(out.String(), leak) {
					t.Fatalf("%q reached the log", leak)
				}
			}
			if !strings.Contains(out.String(), "***") {
				t.Fatal("nothing was logged")
			}
		})
	}
}

// Against the mock, whose reading of LINE's assertion rules is its own: a registered key
// buys tokens that the Messaging API accepts, and an unregistered kid costs one request.
func TestAssertionAgainstTheMock(t *testing.T) {
	key := testKey(t)
	mock, err := linemock.New(linemock.DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock)
	t.Cleanup(func() { mock.Close(); ts.Close() })
	pub, _ := json.Marshal(jose.JSONWebKey{Key: &key.PublicKey, Algorithm: "RS256", Use: "sig"})
	if err := mock.RegisterChannelKey(linemock.DemoChannelID, testKeyID, pub); err != nil {
		t.Fatal(err)
	}
	newClient := func(kid string) *Client {
		c, err := New(Config{Endpoint: ts.URL, ChannelID: linemock.DemoChannelID, ChannelPrivateKey: jwkOf(t, key), ChannelKeyID: kid})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// A deadline, so that a client that could not pace its calls fails the test instead of hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := newClient(testKeyID)
	for range 3 {
		if _, err := c.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
			t.Fatal(err)
		}
	}
	if n := mock.CountRequests(linemock.EndpointStatelessToken); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	mock.ResetRequests()
	c = newClient("not-registered")
	for range 3 {
		_, err := c.GroupSummary(ctx, linemock.DemoGroupOps)
		var tokenErr *TokenError
		if !errors.As(err, &tokenErr) || !tokenErr.UnknownKey {
			t.Fatalf("err = %v, want an unknown key", err)
		}
		// LINE's 404 for the key is not the chat's: nothing may read it as "the bot is not in it".
		if IsNotFound(err) {
			t.Fatal("IsNotFound holds for the token request's 404")
		}
		if _, err := c.Membership(ctx, GroupChat(linemock.DemoGroupOps)); err == nil || IsNotFound(err) {
			t.Fatalf("membership check with an unregistered key: %v, want the token error", err)
		}
	}
	if n := mock.CountRequests(""); n != 1 {
		t.Fatalf("%d requests with an unregistered kid, want 1", n)
	}
}

// wholeLinesKey is an RSA key of 2048 bits whose PKCS #1 form is 1600 base64 characters: 25
// lines of 64, or 100 of 16, with no short last line. Its primes are of unequal sizes (1090
// and 958 bits), which makes the form a few bytes longer than usual; they are the first
// primes after fixed seeds' hashes that give that length.
func wholeLinesKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	p, okP := new(big.Int).SetString("376796a25260b911e0c15db3a51f077c077af5dac4c846c4d1a458441c66024351a4d2f34df021cc5c5eb09f173e1ba5f943e10bb9be010d0833efe5f19a587b469fb6265b7574a3943f1d512028e17569d5d6b64cb7de106b609196807a93efbd23deea92f97ad6ff41477ecb510a273dff01584c932e1aa3bf1767c081d92c280497ab737802343", 16)
	q, okQ := new(big.Int).SetString("3e1c5853682ab38bf39d97e0cff360d568cb1db72f807661f1c79e69a58721954a3f4dd48c4d0c5ba889e9c5de41ba5acc9653e10595d00a396c4b2186ef645462ba8155a12bd93b0d29f4acd6ec3d6ee933407cc3b355fd9b8fc8a4a8c73ac5fda7072d8effcf5455bd8551d23a259c213a7af54818d60d", 16)
	one := big.NewInt(1)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	key := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537}, Primes: []*big.Int{p, q},
		D: new(big.Int).ModInverse(big.NewInt(65537), phi)}
	if !okP || !okQ || key.D == nil || key.Validate() != nil || key.N.BitLen() != 2048 {
		t.Fatal("the test key's primes do not make a 2048-bit key")
	}
	key.Precompute()
	der := x509.MarshalPKCS1PrivateKey(key)
	if n := len(base64.StdEncoding.EncodeToString(der)); n != 1600 {
		t.Fatalf("the test key's PKCS #1 form is %d base64 characters, want 1600", n)
	}
	return key, der
}

// wrapPEM writes a PEM block with lines of width base64 characters, as tools other than Go's
// may wrap it.
func wrapPEM(typ string, der []byte, width int) string {
	b64 := base64.StdEncoding.EncodeToString(der)
	var out strings.Builder
	out.WriteString("-----BEGIN " + typ + "-----\n")
	for len(b64) > 0 {
		n := min(width, len(b64))
		out.WriteString(b64[:n] + "\n")
		b64 = b64[n:]
	}
	out.WriteString("-----END " + typ + "-----\n")
	return out.String()
}

// Every line of a PEM key of 16 characters or more is masked however the PEM is wrapped
// (shorter runs would mask common words); and no mask is ever empty, which would
// blank every log line, even for a key whose base64 ends on a whole line.
func TestPEMLinesMaskedAtAnyWidth(t *testing.T) {
	key, der := wholeLinesKey(t)
	l := newAssertionLINE(t, &key.PublicKey, time.Now)
	for _, width := range []int{64, 76, 16} {
		raw := wrapPEM("RSA PRIVATE KEY", der, width)
		k, err := newSigningKey(raw, testKeyID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(k.secrets, "") {
			t.Fatalf("width %d: an empty mask", width)
		}
		var out bytes.Buffer
		ctx, _, _, err := l.client(t, raw).start(tflogtest.RootLogger(context.Background(), &out))
		if err != nil {
			t.Fatal(err)
		}
		tflog.Debug(ctx, "plain words")
		lines := slices.DeleteFunc(strings.Split(strings.TrimSpace(raw), "\n"), func(line string) bool {
			return len(line) < 16 || strings.HasPrefix(line, "-----")
		})
		for _, line := range lines {
			tflog.Debug(ctx, "value: "+line)
		}
		for _, line := range lines {
			if strings.Contains(out.String(), line) {
				t.Fatalf("width %d: the key's line %q reached the log", width, line)
			}
		}
		if !strings.Contains(out.String(), "plain words") {
			t.Fatalf("width %d: a line without the key was blanked:\n%s", width, out.String())
		}
	}
}
