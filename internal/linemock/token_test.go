package linemock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var formHeader = map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Authorization": ""}

// REFERENCE.md §9: the stateless token endpoint, its errors and the mock's choices.
func TestStatelessTokenEndpoint(t *testing.T) {
	good := func() url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoChannelID}, "client_secret": {DemoChannelSecret}}
	}
	with := func(change func(url.Values)) url.Values {
		v := good()
		change(v)
		return v
	}
	invalid := oauthErrorBody{Error: "invalid_request", ErrorDescription: "Invalid 'client_credentials'."}
	cases := []struct {
		name    string
		form    url.Values
		headers map[string]string
		status  int
		oauth   *oauthErrorBody // token-style error body
		message string          // Messaging-style error body
	}{
		{name: "wrong secret", form: with(func(v url.Values) { v.Set("client_secret", "nope") }), status: 400, oauth: &invalid},
		{name: "wrong channel", form: with(func(v url.Values) { v.Set("client_id", "1650000999") }), status: 400, oauth: &invalid},
		{name: "secret of another case", form: with(func(v url.Values) { v.Set("client_secret", strings.ToUpper(DemoChannelSecret)) }), status: 400, oauth: &invalid},
		{name: "missing client_id", form: with(func(v url.Values) { v.Del("client_id") }), status: 400, oauth: &invalid},
		{name: "missing client_secret", form: with(func(v url.Values) { v.Del("client_secret") }), status: 400, oauth: &invalid},
		{name: "missing grant_type", form: with(func(v url.Values) { v.Del("grant_type") }), status: 400, oauth: &invalid},
		{name: "empty form", form: url.Values{}, status: 400, oauth: &invalid},
		{name: "camelCase names", form: url.Values{"grantType": {"client_credentials"}, "clientId": {DemoChannelID}, "clientSecret": {DemoChannelSecret}}, status: 400, oauth: &invalid},
		{name: "camelCase credentials", form: url.Values{"grant_type": {"client_credentials"}, "clientId": {DemoChannelID}, "clientSecret": {DemoChannelSecret}}, status: 400, oauth: &invalid},
		{name: "wrong grant_type", form: with(func(v url.Values) { v.Set("grant_type", "authorization_code") }), status: 400,
			oauth: &oauthErrorBody{Error: "unsupported_grant_type", ErrorDescription: "Unsupported 'grant_type'."}},
		{name: "JWT assertion that is no JWT", form: url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {jwtBearerAssertionType}, "client_assertion": {"eyJhbGciOiJSUzI1NiJ9.e30.sig"}},
			status: 400, oauth: &oauthErrorBody{Error: "invalid_request", ErrorDescription: "Invalid 'client_assertion'."}},
		{name: "JWT with the wrong assertion type", form: url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {"bearer"}, "client_assertion": {"x"}}, status: 400, oauth: &invalid},
		{name: "JWT without an assertion", form: url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {jwtBearerAssertionType}}, status: 400, oauth: &invalid},
		{name: "both variants", form: with(func(v url.Values) {
			v.Set("client_assertion_type", jwtBearerAssertionType)
			v.Set("client_assertion", "x")
		}), status: 400, oauth: &invalid},
		{name: "JSON instead of a form", headers: map[string]string{"Content-Type": "application/json"}, status: 400, oauth: &invalid},
		{name: "a bearer header is not needed", form: good(), headers: map[string]string{"Authorization": "Bearer garbage"}, status: 200},
		{name: "retry key is not checked here", form: good(), headers: map[string]string{"X-Line-Retry-Key": "k"}, status: 200},
		{name: "success", form: good(), status: 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts, _ := newTestServer(t, nil)
			h := map[string]string{}
			for k, v := range formHeader {
				h[k] = v
			}
			for k, v := range c.headers {
				h[k] = v
			}
			body := c.form.Encode()
			if c.name == "JSON instead of a form" {
				body = `{"grant_type":"client_credentials","client_id":"` + DemoChannelID + `","client_secret":"` + DemoChannelSecret + `"}`
			}
			a := callBody(t, ts, "POST", "/oauth2/v3/token", h, body)
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
			case c.message != "":
				wantError(t, a, c.status, c.message)
			default:
				var tok statelessTokenResponse
				if err := json.Unmarshal(a.body, &tok); err != nil || tok.TokenType != "Bearer" || tok.ExpiresIn != 900 || len(tok.AccessToken) < 20 {
					t.Errorf("token body %s", a.body)
				}
			}
		})
	}
}

func TestStatelessTokenCredentialsInQueryAreIgnored(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoChannelID}, "client_secret": {DemoChannelSecret}}
	a := callBody(t, ts, "POST", "/oauth2/v3/token?"+q.Encode(), formHeader, "")
	if a.status != 400 {
		t.Errorf("credentials in the query string: %d %s, want 400", a.status, a.body)
	}
}

func newStatelessToken(t *testing.T, tsURL func(string) answer) string {
	t.Helper()
	a := tsURL(url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoChannelID}, "client_secret": {DemoChannelSecret}}.Encode())
	var tok statelessTokenResponse
	if err := json.Unmarshal(a.body, &tok); err != nil || a.status != 200 {
		t.Fatalf("issuing a token: %d %s", a.status, a.body)
	}
	return tok.AccessToken
}

func TestStatelessTokenLifetime(t *testing.T) {
	_, ts, clock := newTestServer(t, nil)
	_, other, _ := newTestServer(t, nil)
	issue := func(form string) answer { return callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, form) }
	tok := newStatelessToken(t, issue)
	if tok2 := newStatelessToken(t, issue); tok2 == tok {
		t.Error("two issues gave the same token")
	}
	bearer := map[string]string{"Authorization": "Bearer " + tok}
	for _, ep := range messagingEndpoints[:4] {
		if a := call(t, ts, ep.method, ep.path, bearer); a.status != 200 {
			t.Errorf("%s with a fresh token: %d %s", ep.endpoint, a.status, a.body)
		}
	}
	// Another server does not know it.
	wantError(t, call(t, other, "GET", "/v2/bot/info", bearer), 401, msgAuthFailed)
	// Tampering breaks it.
	last := "A"
	if strings.HasSuffix(tok, "A") {
		last = "B"
	}
	tampered := tok[:len(tok)-1] + last
	wantError(t, call(t, ts, "GET", "/v2/bot/info", map[string]string{"Authorization": "Bearer " + tampered}), 401, msgAuthFailed)

	clock.Advance(15*time.Minute - time.Nanosecond)
	if a := call(t, ts, "GET", "/v2/bot/info", bearer); a.status != 200 {
		t.Errorf("just under 15 minutes: %d", a.status)
	}
	clock.Advance(time.Nanosecond)
	wantError(t, call(t, ts, "GET", "/v2/bot/info", bearer), 401, msgAuthFailed)
	// The fixture's own token never expires.
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("fixture token after 15 minutes: %d", a.status)
	}
	// A token issued now lives 15 minutes from now.
	fresh := newStatelessToken(t, issue)
	if a := call(t, ts, "GET", "/v2/bot/info", map[string]string{"Authorization": "Bearer " + fresh}); a.status != http.StatusOK {
		t.Errorf("new token after the old one expired: %d", a.status)
	}
}

func TestChannelsOnlyFixture(t *testing.T) {
	f := DemoFixture()
	f.AccessTokens = nil
	_, ts, _ := newTestServer(t, f)
	wantError(t, get(t, ts, "/v2/bot/info"), 401, msgAuthFailed) // demo-token is not in this fixture
	tok := newStatelessToken(t, func(form string) answer { return callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, form) })
	if a := call(t, ts, "GET", "/v2/bot/info", map[string]string{"Authorization": "Bearer " + tok}); a.status != 200 {
		t.Errorf("issued token: %d", a.status)
	}
}
