package linemock

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/line/line-bot-sdk-go/v8/linebot/channel_access_token"
)

const testKID = "6a1f0c3e-2b7d-4e59-9c84-0d1e2f3a4b5c"

var (
	assertionKeyOnce sync.Once
	assertionKeys    [2]*rsa.PrivateKey
)

// testAssertionKey is the package's registered key; otherAssertionKey is never registered.
// Generated once: 2048-bit keys are slow under -race.
func testAssertionKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	assertionKeyOnce.Do(func() {
		for i := range assertionKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			assertionKeys[i] = k
		}
	})
	return assertionKeys[0]
}

func otherAssertionKey(t testing.TB) *rsa.PrivateKey {
	testAssertionKey(t)
	return assertionKeys[1]
}

func publicJWK(t testing.TB, key any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, Algorithm: "RS256", Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwkWith is a public JWK with the given alg, use and key_ops ("" and nil leave them out).
func jwkWith(t testing.TB, key any, alg, use string, keyOps []string) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, Algorithm: alg, Use: use})
	if err != nil {
		t.Fatal(err)
	}
	if keyOps == nil {
		return string(b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["key_ops"] = keyOps
	b, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// LINE's console takes a public key that says RS256 and signing by "use" or by "key_ops":
// ["verify"] alone.
func TestChannelKeyWithKeyOpsVerify(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	if err := s.RegisterChannelKey(DemoChannelID, "ops", json.RawMessage(jwkWith(t, &testAssertionKey(t).PublicKey, "RS256", "", []string{"verify"}))); err != nil {
		t.Fatalf("a key with key_ops [verify]: %v", err)
	}
}

func registerTestKey(t testing.TB, s *Server) {
	t.Helper()
	if err := s.RegisterChannelKey(DemoChannelID, testKID, publicJWK(t, &testAssertionKey(t).PublicKey)); err != nil {
		t.Fatal(err)
	}
}

// goodClaims are the claims LINE asks for, for the demo channel, expiring in 25 minutes.
func goodClaims(now time.Time) map[string]any {
	return map[string]any{
		"iss": DemoChannelID, "sub": DemoChannelID, "aud": "https://api.line.me/",
		"exp": now.Add(25 * time.Minute).Unix(), "iat": now.Unix(),
	}
}

type headerOpt func(*jose.SignerOptions)

func withoutType() headerOpt { return func(o *jose.SignerOptions) { delete(o.ExtraHeaders, "typ") } }

// signAssertion signs claims as a compact JWS with RS256 (or key's algorithm), typ JWT and
// kid ("" for none).
func signAssertion(t testing.TB, key any, kid string, claims map[string]any, opts ...headerOpt) string {
	t.Helper()
	alg := jose.RS256
	if _, ok := key.([]byte); ok {
		alg = jose.HS256
	}
	o := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		o = o.WithHeader("kid", kid)
	}
	for _, opt := range opts {
		opt(o)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, o)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertionForm(assertion string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {jwtBearerAssertionType}, "client_assertion": {assertion}}
}

// REFERENCE.md §9: the JWT variant, every check in its order, with LINE's statuses and the
// mock's texts.
func TestAssertionErrors(t *testing.T) {
	key, other := testAssertionKey(t), otherAssertionKey(t)
	with := func(change func(map[string]any)) map[string]any {
		c := goodClaims(testEpoch)
		change(c)
		return c
	}
	invalid := func(desc string) *oauthErrorBody {
		return &oauthErrorBody{Error: "invalid_request", ErrorDescription: desc}
	}
	good := signAssertion(t, key, testKID, goodClaims(testEpoch))
	parts := strings.Split(good, ".")
	cases := []struct {
		name      string
		assertion string
		status    int
		oauth     *oauthErrorBody
	}{
		{"success", good, 200, nil},
		{"aud as a one-element array", signAssertion(t, key, testKID, with(func(c map[string]any) { c["aud"] = []string{"https://api.line.me/"} })), 200, nil},
		{"exp exactly 30 minutes ahead", signAssertion(t, key, testKID, with(func(c map[string]any) { c["exp"] = testEpoch.Add(30 * time.Minute).Unix() })), 200, nil},
		{"not a JWT", "garbage", 400, invalid(descInvalidAssertion)},
		{"JSON serialization", `{"payload":"e30","signatures":[]}`, 400, invalid(descInvalidAssertion)},
		{"HS256", signAssertion(t, []byte("0123456789abcdef0123456789abcdef"), testKID, goodClaims(testEpoch)), 400, invalid(descInvalidAssertion)},
		{"no typ", signAssertion(t, key, testKID, goodClaims(testEpoch), withoutType()), 400, invalid(descInvalidAssertion)},
		{"unknown kid, checked before the signature", signAssertion(t, other, "no-such-kid", goodClaims(testEpoch)), 404, nil},
		{"no kid", signAssertion(t, key, "", goodClaims(testEpoch)), 404, nil},
		{"signed by another key", signAssertion(t, other, testKID, goodClaims(testEpoch)), 400, invalid(descInvalidSignature)},
		{"payload changed", parts[0] + "." + signAssertionPayload(t, with(func(c map[string]any) { c["exp"] = testEpoch.Add(29 * time.Minute).Unix() })) + "." + parts[2], 400, invalid(descInvalidSignature)},
		{"iss another channel", signAssertion(t, key, testKID, with(func(c map[string]any) { c["iss"] = "1650000002" })), 400, invalid(descInvalidIssuer)},
		{"sub another channel", signAssertion(t, key, testKID, with(func(c map[string]any) { c["sub"] = "1650000002" })), 400, invalid(descInvalidIssuer)},
		{"no iss", signAssertion(t, key, testKID, with(func(c map[string]any) { delete(c, "iss") })), 400, invalid(descInvalidIssuer)},
		{"wrong aud", signAssertion(t, key, testKID, with(func(c map[string]any) { c["aud"] = "https://api.line.me" })), 400, invalid(descInvalidAudience)},
		{"two auds", signAssertion(t, key, testKID, with(func(c map[string]any) { c["aud"] = []string{"https://api.line.me/", "x"} })), 400, invalid(descInvalidAudience)},
		{"no exp", signAssertion(t, key, testKID, with(func(c map[string]any) { delete(c, "exp") })), 400, invalid(descMissingExpiry)},
		{"exp now", signAssertion(t, key, testKID, with(func(c map[string]any) { c["exp"] = testEpoch.Unix() })), 400, invalid(descExpiredAssertion)},
		{"exp passed", signAssertion(t, key, testKID, with(func(c map[string]any) { c["exp"] = testEpoch.Add(-time.Hour).Unix() })), 400, invalid(descExpiredAssertion)},
		{"exp too far ahead", signAssertion(t, key, testKID, with(func(c map[string]any) { c["exp"] = testEpoch.Add(30*time.Minute + time.Second).Unix() })), 400, invalid(descAssertionTooLong)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ts, _ := newTestServer(t, nil)
			registerTestKey(t, s)
			a := callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, assertionForm(c.assertion).Encode())
			if a.status != c.status {
				t.Fatalf("status %d, want %d (body %s)", a.status, c.status, a.body)
			}
			checkCommonHeaders(t, a)
			switch {
			case c.oauth != nil:
				var got oauthErrorBody
				if err := json.Unmarshal(a.body, &got); err != nil || got != *c.oauth || len(a.json(t)) != 2 {
					t.Errorf("body %s, want %+v", a.body, *c.oauth)
				}
			case c.status == 404:
				wantError(t, a, 404, "Cannot find channel key that satisfies the conditions")
			default:
				var tok statelessTokenResponse
				if err := json.Unmarshal(a.body, &tok); err != nil || tok.TokenType != "Bearer" || tok.ExpiresIn != 900 {
					t.Fatalf("token body %s", a.body)
				}
				bearer := map[string]string{"Authorization": "Bearer " + tok.AccessToken}
				if a := call(t, ts, "GET", "/v2/bot/info", bearer); a.status != 200 {
					t.Errorf("the issued token: %d %s", a.status, a.body)
				}
			}
		})
	}
}

// signAssertionPayload is the base64url of claims, to splice into a signed JWT.
func signAssertionPayload(t testing.TB, claims map[string]any) string {
	t.Helper()
	jws := signAssertion(t, testAssertionKey(t), testKID, claims)
	return strings.Split(jws, ".")[1]
}

// The expiry is read by the mock's clock: an assertion good now fails once it has passed.
func TestAssertionExpiryByTheMockClock(t *testing.T) {
	s, ts, clock := newTestServer(t, nil)
	registerTestKey(t, s)
	jws := signAssertion(t, testAssertionKey(t), testKID, goodClaims(testEpoch))
	issue := func() answer {
		return callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, assertionForm(jws).Encode())
	}
	if a := issue(); a.status != 200 {
		t.Fatalf("fresh: %d %s", a.status, a.body)
	}
	clock.Advance(25*time.Minute - time.Second)
	if a := issue(); a.status != 200 {
		t.Fatalf("a second before exp: %d %s", a.status, a.body)
	}
	clock.Advance(time.Second)
	if a := issue(); a.status != 400 || !strings.Contains(string(a.body), descExpiredAssertion) {
		t.Fatalf("at exp: %d %s", a.status, a.body)
	}
}

func TestChannelKeysInFixture(t *testing.T) {
	pub := publicJWK(t, &testAssertionKey(t).PublicKey)
	f := DemoFixture()
	f.Channels = append(f.Channels, Channel{ID: "1650000002", Secret: "other"})
	f.Channels[1].Keys = []ChannelKey{{KID: testKID, JWK: pub}}
	s, ts, _ := newTestServer(t, f)
	// The key is the second channel's: assertions must name it.
	other := goodClaims(testEpoch)
	other["iss"], other["sub"] = "1650000002", "1650000002"
	if a := callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, assertionForm(signAssertion(t, testAssertionKey(t), testKID, other)).Encode()); a.status != 200 {
		t.Fatalf("the key's own channel: %d %s", a.status, a.body)
	}
	if a := callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, assertionForm(signAssertion(t, testAssertionKey(t), testKID, goodClaims(testEpoch))).Encode()); a.status != 400 {
		t.Fatalf("another channel's key: %d %s, want 400", a.status, a.body)
	}
	// Snapshot keeps the keys, and a server started from it accepts the same assertions.
	data, err := json.Marshal(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseFixture(data)
	if err != nil {
		t.Fatalf("snapshot does not parse: %v", err)
	}
	if len(back.Channels[1].Keys) != 1 || back.Channels[1].Keys[0].KID != testKID {
		t.Fatalf("snapshot channels: %+v", back.Channels)
	}
	_, ts2, _ := newTestServer(t, back)
	if a := callBody(t, ts2, "POST", "/oauth2/v3/token", formHeader, assertionForm(signAssertion(t, testAssertionKey(t), testKID, other)).Encode()); a.status != 200 {
		t.Fatalf("server from the snapshot: %d %s", a.status, a.body)
	}
}

func TestChannelKeyFixtureErrors(t *testing.T) {
	key := testAssertionKey(t)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	large, _ := rsa.GenerateKey(rand.Reader, 2056)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub := string(publicJWK(t, &key.PublicKey))
	cases := []struct{ name, keys, want string }{
		{"unknown field", `[{"kid":"a","jwk":` + pub + `,"alg":"RS256"}]`, `fixture: channels[0].keys[0]: unknown field "alg"`},
		{"mis-cased field", `[{"KID":"a","jwk":` + pub + `}]`, `did you mean "kid"?`},
		{"no kid", `[{"jwk":` + pub + `}]`, "fixture: channels[0].keys[0].kid: required"},
		{"kid with a space", `[{"kid":"a b","jwk":` + pub + `}]`, "must not contain whitespace"},
		{"duplicate kid", `[{"kid":"a","jwk":` + pub + `},{"kid":"a","jwk":` + pub + `}]`, `channels[0].keys[1].kid "a": duplicate of channels[0].keys[0]`},
		{"no jwk", `[{"kid":"a"}]`, "channels[0].keys[0].jwk: required"},
		{"jwk not an object", `[{"kid":"a","jwk":"x"}]`, "must be a JWK object"},
		{"private jwk", `[{"kid":"a","jwk":` + string(publicJWK(t, key)) + `}]`, "register only the public half"},
		{"small key", `[{"kid":"a","jwk":` + string(publicJWK(t, &small.PublicKey)) + `}]`, "1024 bits: LINE's assertion signing keys are 2048 bits"},
		{"EC key", `[{"kid":"a","jwk":` + string(publicJWK(t, &ec.PublicKey)) + `}]`, "not an RSA public key"},
		{"larger key", `[{"kid":"a","jwk":` + string(publicJWK(t, &large.PublicKey)) + `}]`, "2056 bits: LINE's assertion signing keys are 2048 bits"},
		{"no alg", `[{"kid":"a","jwk":` + jwkWith(t, &key.PublicKey, "", "sig", nil) + `}]`, `"alg" is "": LINE requires "RS256"`},
		{"another alg", `[{"kid":"a","jwk":` + jwkWith(t, &key.PublicKey, "RS512", "sig", nil) + `}]`, `"alg" is "RS512": LINE requires "RS256"`},
		{"no use", `[{"kid":"a","jwk":` + jwkWith(t, &key.PublicKey, "RS256", "", nil) + `}]`, `neither "use": "sig" nor "key_ops": ["verify"]`},
		{"a kid in the jwk", `[{"kid":"a","jwk":` + strings.Replace(jwkWith(t, &key.PublicKey, "RS256", "sig", nil), "{", `{"kid":"mine",`, 1) + `}]`,
			`has a "kid": LINE assigns the key ID`},
		{"key_ops beyond verify", `[{"kid":"a","jwk":` + jwkWith(t, &key.PublicKey, "RS256", "", []string{"verify", "sign"}) + `}]`,
			`neither "use": "sig" nor "key_ops": ["verify"]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := `{"access_tokens":["t"],"channels":[{"id":"1650000001","secret":"s","keys":` + c.keys + `}],` +
				`"bot":{"userId":"U` + strings.Repeat("b", 32) + `","basicId":"@bot","displayName":"Bot","chatMode":"bot","markAsReadMode":"auto"}}`
			_, err := ParseFixture([]byte(data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestRegisterChannelKeyControls(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	key := testAssertionKey(t)
	pub := publicJWK(t, &key.PublicKey)
	jws := signAssertion(t, key, testKID, goodClaims(testEpoch))
	issue := func() int {
		return callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, assertionForm(jws).Encode()).status
	}
	if got := issue(); got != 404 {
		t.Fatalf("before registering: %d, want 404", got)
	}
	body, _ := json.Marshal(ChannelKey{KID: testKID, JWK: pub})
	jsonHeader := map[string]string{"Content-Type": "application/json"}
	if a := callBody(t, ts, "POST", "/_mock/channels/"+DemoChannelID+"/keys", jsonHeader, string(body)); a.status != 200 {
		t.Fatalf("register: %d %s", a.status, a.body)
	}
	if got := issue(); got != 200 {
		t.Fatalf("after registering: %d, want 200", got)
	}
	errorCases := []struct {
		name, path, body string
		status           int
	}{
		{"again", "/_mock/channels/" + DemoChannelID + "/keys", string(body), 409},
		{"unknown channel", "/_mock/channels/1650000999/keys", string(body), 404},
		{"private key", "/_mock/channels/" + DemoChannelID + "/keys", `{"kid":"k2","jwk":` + string(publicJWK(t, key)) + `}`, 400},
		{"no kid", "/_mock/channels/" + DemoChannelID + "/keys", `{"jwk":` + string(pub) + `}`, 400},
		{"unknown field", "/_mock/channels/" + DemoChannelID + "/keys", `{"kid":"k3","jwk":` + string(pub) + `,"x":1}`, 400},
	}
	for _, c := range errorCases {
		if a := callBody(t, ts, "POST", c.path, jsonHeader, c.body); a.status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, a.status, a.body, c.status)
		}
	}
	if got := len(s.Snapshot().Channels[0].Keys); got != 1 {
		t.Fatalf("snapshot holds %d keys, want 1", got)
	}
	if a := call(t, ts, http.MethodDelete, "/_mock/channels/1650000999/keys/"+testKID, nil); a.status != 404 {
		t.Errorf("remove from another channel: %d", a.status)
	}
	if a := call(t, ts, http.MethodDelete, "/_mock/channels/"+DemoChannelID+"/keys/"+testKID, nil); a.status != 200 {
		t.Fatalf("remove: %d %s", a.status, a.body)
	}
	if got := issue(); got != 404 {
		t.Fatalf("after removing: %d, want 404", got)
	}
	if got := len(s.Snapshot().Channels[0].Keys); got != 0 {
		t.Fatalf("snapshot holds %d keys after removal, want 0", got)
	}
}

// The SDK's JWT call is accepted as it sends it, and refused with LINE's 404 for an unknown kid.
func TestSDKAssertion(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	registerTestKey(t, s)
	api, err := channel_access_token.NewChannelAccessTokenAPI(channel_access_token.WithEndpoint(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	res, tok, err := api.IssueStatelessChannelTokenByJWTAssertionWithHttpInfo(signAssertion(t, testAssertionKey(t), testKID, goodClaims(testEpoch)))
	if err != nil || res.StatusCode != 200 || tok.ExpiresIn != 900 || tok.AccessToken == "" {
		t.Fatalf("SDK: %v %+v", err, tok)
	}
	res, _, err = api.IssueStatelessChannelTokenByJWTAssertionWithHttpInfo(signAssertion(t, testAssertionKey(t), "unknown", goodClaims(testEpoch)))
	if err == nil || res.StatusCode != 404 || !strings.Contains(err.Error(), "Cannot find channel key that satisfies the conditions") {
		t.Fatalf("SDK with an unknown kid: %v", err)
	}
}
