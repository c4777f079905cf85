package lineclient

import (
	"strings"
	"testing"
)

func TestCheckEndpoint(t *testing.T) {
	ok := map[string]string{
		"https://api.line.me":             "https://api.line.me",
		"https://api.line.me/":            "https://api.line.me",
		"https://proxy.example.com/line/": "https://proxy.example.com/line",
		"http://127.0.0.1:8080":           "http://127.0.0.1:8080",
		"http://127.8.9.10":               "http://127.8.9.10",
		"http://localhost:1234":           "http://localhost:1234",
		"http://[::1]:9":                  "http://[::1]:9",
	}
	for in, want := range ok {
		u, err := CheckEndpoint(in)
		if err != nil || u.String() != want {
			t.Errorf("CheckEndpoint(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	bad := map[string]string{
		"http://api.line.me":          "loopback",
		"http://10.0.0.1":             "loopback",
		"http://localhost.evil.com":   "loopback",
		"ftp://api.line.me":           "absolute http(s) URL",
		"api.line.me":                 "absolute http(s) URL",
		"":                            "absolute http(s) URL",
		"https://user:pw@api.line.me": "user information",
		"https://api.line.me/?a=b":    "query",
		"https://api.line.me/#frag":   "fragment",
	}
	for in, want := range bad {
		if _, err := CheckEndpoint(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckEndpoint(%q) err = %v, want one mentioning %q", in, err, want)
		}
	}
}

// An endpoint with a password never echoes it back, whichever check refuses it.
func TestCheckEndpointRedactsPasswords(t *testing.T) {
	for _, raw := range []string{
		"https://user:hunter2@api.line.me",
		"http://user:hunter2@10.0.0.1",
		"ftp://user:hunter2@api.line.me",
		"https://user:hunter2@api line.me",
		"https://user:hunter2@api.line.me/%zz",
	} {
		_, err := CheckEndpoint(raw)
		if err == nil {
			t.Fatalf("CheckEndpoint(%q) accepted it", raw)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("CheckEndpoint(%q) err = %q, which holds the password", raw, err)
		}
	}
	_, err := CheckEndpoint("https://user:hunter2@api.line.me")
	if err == nil || !strings.Contains(err.Error(), `"https://user:xxxxx@api.line.me"`) {
		t.Errorf("err = %v, want the redacted URL", err)
	}
}
