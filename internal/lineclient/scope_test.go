package lineclient

import "testing"

func TestScopeOfTemplatesEveryID(t *testing.T) {
	const (
		group = "C0123456789abcdef0123456789abcdef"
		room  = "R0123456789abcdef0123456789abcdef"
		user  = "U0123456789abcdef0123456789abcdef"
	)
	for _, tc := range []struct {
		method, path string
		want         scope
	}{
		{"GET", "/v2/bot/group/" + group + "/summary", "GET /v2/bot/group/{groupId}/summary"},
		{"GET", "/v2/bot/group/" + group + "/members/count", "GET /v2/bot/group/{groupId}/members/count"},
		{"GET", "/v2/bot/group/" + group + "/member/" + user, "GET /v2/bot/group/{groupId}/member/{userId}"},
		{"GET", "/v2/bot/room/" + room + "/member/" + user, "GET /v2/bot/room/{roomId}/member/{userId}"},
		{"POST", "/v2/bot/room/" + room + "/leave", "POST /v2/bot/room/{roomId}/leave"},
		{"GET", "/v2/bot/profile/" + user, "GET /v2/bot/profile/{userId}"},
		{"POST", "/v2/bot/message/push", "POST /v2/bot/message/push"},
		{"POST", "/oauth2/v3/token", scopeToken},
		// A base path before LINE's is kept; what is not an ID stays as it is.
		{"GET", "/line/v2/bot/group/" + group + "/summary", "GET /line/v2/bot/group/{groupId}/summary"},
		{"GET", "/v2/bot/group/C0123/summary", "GET /v2/bot/group/C0123/summary"},
		{"GET", "/v2/bot/group/" + "C0123456789ABCDEF0123456789ABCDEF" + "/summary", "GET /v2/bot/group/C0123456789ABCDEF0123456789ABCDEF/summary"},
	} {
		if got := scopeOf(tc.method, tc.path); got != tc.want {
			t.Errorf("scopeOf(%s, %s) = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
	// The same path under another method is another endpoint.
	if scopeOf("GET", "/v2/bot/group/"+group+"/summary") == scopeOf("POST", "/v2/bot/group/"+group+"/summary") {
		t.Fatal("GET and POST share a scope")
	}
}
