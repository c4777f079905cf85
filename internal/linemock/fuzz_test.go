package linemock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzParseFixture: any input is either refused with a "fixture:" error or gives a fixture
// New accepts. `go test` runs the seeds; `go test -fuzz FuzzParseFixture` explores.
func FuzzParseFixture(f *testing.F) {
	demo, _ := json.Marshal(DemoFixture())
	for _, seed := range []string{string(demo), "", "{}", "null", "[]", `{"access_tokens":["a"],"bot":{}}`,
		`{"access_tokens":["a"],"bot":{"userId":"U00000000000000000000000000000000","basicId":"@a","displayName":"b","chatMode":"bot","markAsReadMode":"auto"},"groups":[{"groupId":"C00000000000000000000000000000000","groupName":"g","memberIds":["U1"]}]}`,
		`{"access_tokens":[1]}`, `{"bot":{"userId":{}}}`, "\xff", `{"groups":[null]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fx, err := ParseFixture(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fixture: ") {
				t.Errorf("error %q does not start with \"fixture: \"", err)
			}
			return
		}
		if _, err := New(fx); err != nil {
			t.Errorf("ParseFixture accepted what New refuses: %v", err)
		}
	})
}

// FuzzServeHTTP: any method, path, query and headers get a JSON answer with a request ID,
// never a panic.
func FuzzServeHTTP(f *testing.F) {
	for _, ep := range messagingEndpoints {
		f.Add(ep.method, ep.path, "", "Bearer "+DemoToken)
	}
	for _, seed := range [][4]string{
		{"GET", "/v2/bot/group/" + DemoGroupAllHands + "/members/ids", "start=%ff%00", "Bearer " + DemoToken},
		{"POST", "/oauth2/v3/token", "grant_type=client_credentials", ""},
		{"GET", "/_mock/faults/%zz", "", ""},
		{"DELETE", "/_mock/chats/" + DemoGroupOps + "/members/x", "", ""},
		{"GET", "/v2/bot/group/" + DemoGroupOps + "/member/%2e%2e", "", "Bearer"},
		{"OPTIONS", "/", "", "Bearer \x00"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, query, auth string) {
		r, err := http.NewRequest(method, "http://mock"+path+"?"+query, nil)
		if err != nil || r.URL.Path == "" {
			return
		}
		r.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Header().Get("X-Line-Request-Id") == "" || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: headers %v", method, path, w.Header())
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Errorf("%s %s: body %q is not JSON", method, path, w.Body.Bytes())
		}
	})
}
