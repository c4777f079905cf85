package linemock

import (
	"net/http"
	"strings"
	"testing"
)

// ExpireIssuedTokens: every token issued so far stops working, the fixture's do not, and the
// ones issued afterwards work.
func TestExpireIssuedTokens(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	issue := func(form string) answer { return callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, form) }
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	first, second := newStatelessToken(t, issue), newStatelessToken(t, issue)
	for _, tok := range []string{first, second} {
		if a := call(t, ts, "GET", "/v2/bot/info", bearer(tok)); a.status != 200 {
			t.Fatalf("before: %d", a.status)
		}
	}
	if n := s.ExpireIssuedTokens(); n != 2 {
		t.Errorf("ExpireIssuedTokens() = %d, want 2 tokens issued", n)
	}
	for _, tok := range []string{first, second} {
		wantError(t, call(t, ts, "GET", "/v2/bot/info", bearer(tok)), 401, msgAuthFailed)
	}
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("the fixture's token after ExpireIssuedTokens: %d", a.status)
	}
	third := newStatelessToken(t, issue)
	if a := call(t, ts, "GET", "/v2/bot/info", bearer(third)); a.status != 200 {
		t.Errorf("a token issued afterwards: %d", a.status)
	}
	// Again, over HTTP: the third goes too.
	a := callBody(t, ts, "POST", "/_mock/tokens/expire", map[string]string{"Authorization": ""}, "")
	if a.status != 200 || string(a.body) != `{"issued":3}` {
		t.Fatalf("POST /_mock/tokens/expire: %d %s", a.status, a.body)
	}
	wantError(t, call(t, ts, "GET", "/v2/bot/info", bearer(third)), 401, msgAuthFailed)
	if a := callBody(t, ts, "GET", "/_mock/tokens/expire", map[string]string{"Authorization": ""}, ""); a.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /_mock/tokens/expire: %d", a.status)
	}
}

// RevokeIssuedToken: one token stops working, the others do not.
func TestRevokeIssuedToken(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	_, other, _ := newTestServer(t, nil)
	issue := func(form string) answer { return callBody(t, ts, "POST", "/oauth2/v3/token", formHeader, form) }
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	revoked, kept := newStatelessToken(t, issue), newStatelessToken(t, issue)
	if err := s.RevokeIssuedToken(revoked); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeIssuedToken(revoked); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	wantError(t, call(t, ts, "GET", "/v2/bot/info", bearer(revoked)), 401, msgAuthFailed)
	if a := call(t, ts, "GET", "/v2/bot/info", bearer(kept)); a.status != 200 {
		t.Errorf("the other token: %d", a.status)
	}
	// Over HTTP.
	ctl := func(body string) answer {
		return callBody(t, ts, "POST", "/_mock/tokens/revoke", map[string]string{"Authorization": "", "Content-Type": "application/json"}, body)
	}
	if a := ctl(`{"access_token":"` + kept + `"}`); a.status != 200 || string(a.body) != `{}` {
		t.Fatalf("POST /_mock/tokens/revoke: %d %s", a.status, a.body)
	}
	wantError(t, call(t, ts, "GET", "/v2/bot/info", bearer(kept)), 401, msgAuthFailed)
	// Not a token of this server: the fixture's, another server's, garbage.
	foreign := newStatelessToken(t, func(form string) answer { return callBody(t, other, "POST", "/oauth2/v3/token", formHeader, form) })
	for _, tok := range []string{DemoToken, foreign, "", "x"} {
		if err := s.RevokeIssuedToken(tok); err == nil || statusOf(err) != 400 {
			t.Errorf("RevokeIssuedToken(%q) = %v, want a 400 control error", tok, err)
		}
		if a := ctl(`{"access_token":"` + tok + `"}`); a.status != 400 || !strings.Contains(a.message(t), "not a stateless token issued by this server") {
			t.Errorf("revoke %q over HTTP: %d %s", tok, a.status, a.body)
		}
	}
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("the fixture's token: %d", a.status)
	}
	if a := ctl(`{"token":"x"}`); a.status != 400 || !strings.Contains(a.message(t), "unknown field") {
		t.Errorf("unknown field: %d %s", a.status, a.body)
	}
}
