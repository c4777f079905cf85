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
