package linemock

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// testEpoch is where the ManualClock of every test starts.
var testEpoch = time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)

// newTestServer starts the demo world (or f) with a manual clock and no rate limit unless
// opts say otherwise. Faults draw from a fresh seed, or LINEMOCK_SEED's, logged at the end
// of the test (shown when it fails) so that the run can be replayed.
func newTestServer(t testing.TB, f *Fixture, opts ...Option) (*Server, *httptest.Server, *ManualClock) {
	t.Helper()
	if f == nil {
		f = DemoFixture()
	}
	clock := NewManualClock(testEpoch)
	s, err := New(f, testOptions(t, append([]Option{WithClock(clock), WithRateLimit(0)}, opts...)...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
		t.Logf("linemock seed %d (replay: %s=%d go test -run '^%s$' ./internal/linemock/)", s.Seed(), SeedEnv, s.Seed(), t.Name())
	})
	return s, ts, clock
}

// testOptions is opts after LINEMOCK_SEED's seed, when it is set (what linemocktest.Options
// does, which this package's tests cannot import).
func testOptions(t testing.TB, opts ...Option) []Option {
	t.Helper()
	seed, ok, err := SeedFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return opts
	}
	return append([]Option{WithSeed(seed)}, opts...)
}

// answer is a response, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", a.body, err)
	}
	return m
}

func (a answer) message(t testing.TB) string {
	t.Helper()
	m := a.json(t)
	msg, ok := m["message"].(string)
	if !ok {
		t.Fatalf("body %s has no string message", a.body)
	}
	return msg
}

// call sends a request with the demo token unless headers set Authorization ("" in
// headers removes a header).
func call(t testing.TB, ts *httptest.Server, method, path string, headers map[string]string) answer {
	t.Helper()
	return callBody(t, ts, method, path, headers, "")
}

func callBody(t testing.TB, ts *httptest.Server, method, path string, headers map[string]string, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

func get(t testing.TB, ts *httptest.Server, path string) answer {
	t.Helper()
	return call(t, ts, http.MethodGet, path, nil)
}

func post(t testing.TB, ts *httptest.Server, path string) answer {
	t.Helper()
	return call(t, ts, http.MethodPost, path, nil)
}
