package lineclient

import (
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The backoff doubles from waitMin, is capped at waitMax, and is drawn from the upper half of
// that wait, for every draw: down to waits of a few nanoseconds, and up to a waitMin large
// enough that doubling it 30 times would overflow a time.Duration.
func TestBackoffGrowsWithJitterAndStaysCapped(t *testing.T) {
	for _, bounds := range [][2]time.Duration{
		{retryWaitMin, retryWaitMax}, {time.Nanosecond, time.Nanosecond}, {2 * time.Nanosecond, 2 * time.Nanosecond},
		{time.Nanosecond, 4 * time.Nanosecond}, {10 * time.Second, 20 * time.Second},
	} {
		waitMin, waitMax := bounds[0], bounds[1]
		for attempt := range 40 {
			want := waitMax
			if float64(waitMin)*math.Pow(2, float64(attempt)) < float64(waitMax) {
				want = waitMin << attempt
			}
			for range 50 {
				got := backoff(waitMin, waitMax, attempt)
				if got < want/2 || got > want {
					t.Fatalf("backoff from %s to %s, attempt %d: wait %s outside [%s, %s]", waitMin, waitMax, attempt, got, want/2, want)
				}
			}
		}
	}
}

// Retry-After is read in full, however long: no cap, and no overflow to a short wait.
func TestRetryAfterIsReadInFullWithoutOverflow(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	resp := func(v string) *http.Response {
		return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}}
	}
	cases := map[string]time.Duration{
		"3":                             3 * time.Second,
		"0":                             0,
		" 35 ":                          35 * time.Second,
		"3600":                          time.Hour,
		"9223372036":                    9223372036 * time.Second, // the most seconds a Duration holds
		"9223372037":                    maxWait,
		"10000000000":                   maxWait,
		"99999999999999999999999":       maxWait, // beyond uint64
		"Wed, 25 Nov 2026 13:00:00 GMT": time.Hour,
		"Wed, 25 Nov 2026 11:00:00 GMT": 0, // a date past is no wait
		"Sun, 25 Nov 2046 12:00:00 GMT": 20*365*24*time.Hour + 5*24*time.Hour,
	}
	for header, want := range cases {
		got, value, ok := retryAfter(resp(header), now)
		if !ok || got != want || value != strings.TrimSpace(header) {
			t.Errorf("Retry-After %q: wait %s (%q, %v), want %s", header, got, value, ok, want)
		}
	}
	for _, header := range []string{"", "soon", "-5", "1.5", "3s", "0x10"} {
		if got, _, ok := retryAfter(resp(header), now); ok {
			t.Errorf("Retry-After %q: read as %s, want it ignored", header, got)
		}
	}
	if _, _, ok := retryAfter(nil, now); ok {
		t.Error("no response read as a Retry-After")
	}
}

func TestAboutDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		35 * time.Second:        "35s",
		1500 * time.Millisecond: "2s",
		3 * 24 * time.Hour:      "about 3 days",
		maxWait:                 "about 292 years",
		10000000 * time.Second:  "about 115 days",
	} {
		if got := aboutDuration(d); got != want {
			t.Errorf("aboutDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

// LINE's messages are matched loosely: case, punctuation and spacing aside.
func TestMessagesMatchLoosely(t *testing.T) {
	answer := func(status int, msg string) *APIError { return &APIError{StatusCode: status, Message: msg} }
	for _, msg := range []string{
		"You have reached your monthly limit.", "you have reached your monthly limit", "YOU HAVE REACHED YOUR MONTHLY LIMIT!",
		"You have reached  your\tmonthly-limit",
	} {
		if !IsMonthlyLimit(answer(429, msg)) || IsRateLimited(answer(429, msg)) {
			t.Errorf("%q is not read as the monthly limit", msg)
		}
	}
	for _, msg := range []string{"The API rate limit has been exceeded. Try again later.", "the api rate limit has been exceeded, try again later"} {
		if !IsRateLimited(answer(429, msg)) || IsMonthlyLimit(answer(429, msg)) {
			t.Errorf("%q is not read as the rate limit", msg)
		}
	}
	for _, msg := range []string{"", "Too Many Requests", "You have reached your monthly limit. Contact us", "rate limit"} {
		if IsMonthlyLimit(answer(429, msg)) || IsRateLimited(answer(429, msg)) {
			t.Errorf("%q is read as one of LINE's 429s", msg)
		}
	}
	if IsMonthlyLimit(answer(400, "You have reached your monthly limit.")) {
		t.Error("a 400 is read as the monthly limit")
	}
	// The right words in a body that is not LINE's JSON are not LINE's answer.
	if IsRateLimited(&APIError{StatusCode: 429, Message: msgRateLimited, NotLINE: "a body of type text/html"}) {
		t.Error("a foreign body is read as LINE's rate limit")
	}
}

// Each answer's verdict, and what it tells the pacer.
func TestJudge(t *testing.T) {
	resp := func(status int, contentType, body string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}, Body: io.NopCloser(strings.NewReader(body))}
	}
	const jsonType = "application/json"
	for _, tc := range []struct {
		name string
		resp *http.Response
		err  error
		v    verdict
		o    outcome
	}{
		{"200", resp(200, jsonType, `{}`), nil, final, outcomePassed},
		{"404", resp(404, jsonType, `{"message":"Not found"}`), nil, final, outcomePassed},
		{"400", resp(400, jsonType, `{"message":"Failed to send messages"}`), nil, final, outcomePassed},
		{"409", resp(409, jsonType, `{"message":"The retry key is already accepted"}`), nil, final, outcomePassed},
		{"501", resp(501, jsonType, `{"message":"x"}`), nil, final, outcomePassed},
		{"307", resp(307, jsonType, ``), nil, final, outcomePassed},
		{"401", resp(401, jsonType, `{"message":"Authentication failed."}`), nil, renewToken, outcomePassed},
		{"LINE's rate limit", resp(429, jsonType, `{"message":"The API rate limit has been exceeded. Try again later."}`), nil, retryThrottled, outcomeRateLimited},
		{"monthly limit", resp(429, jsonType, `{"message":"You have reached your monthly limit."}`), nil, final, outcomeUnknown},
		{"monthly limit, loosely", resp(429, jsonType, `{"message":"you have reached your monthly limit"}`), nil, final, outcomeUnknown},
		{"a proxy's HTML 429", resp(429, "text/html", `<html><body>Too Many Requests</body></html>`), nil, retryBudget, outcomeUnknown},
		{"an empty 429", resp(429, "", ``), nil, retryBudget, outcomeUnknown},
		{"another JSON 429", resp(429, jsonType, `{"message":"Too many messages to the same user"}`), nil, retryBudget, outcomeUnknown},
		{"rate-limit words in HTML", resp(429, "text/html", `The API rate limit has been exceeded. Try again later.`), nil, retryBudget, outcomeUnknown},
		{"500", resp(500, jsonType, `{"message":"Internal server error"}`), nil, retryBudget, outcomePassed},
		{"502", resp(502, "text/html", `bad gateway`), nil, retryBudget, outcomePassed},
		{"503", resp(503, jsonType, `{}`), nil, retryBudget, outcomePassed},
		{"504", resp(504, jsonType, `{}`), nil, retryBudget, outcomePassed},
		{"no answer", nil, errors.New("connection reset by peer"), retryBudget, outcomeUnknown},
		{"attempt timeout", nil, &attemptTimeoutError{timeout: time.Second}, retryBudget, outcomeUnknown},
		{"untrusted certificate", nil, errors.New("tls: failed to verify certificate: x509: certificate is not trusted; unsupported protocol scheme"), final, outcomeUnknown},
		{"an invalid proxy address", nil, errors.New(`invalid proxy address "http://a b"`), final, outcomeUnknown},
		{"an invalid header value", nil, errors.New(`net/http: invalid header field value for "Authorization"`), final, outcomeUnknown},
	} {
		v, o, answer := judge(tc.resp, tc.err)
		if v != tc.v || o != tc.o {
			t.Errorf("%s: verdict %d, outcome %d; want %d, %d", tc.name, v, o, tc.v, tc.o)
		}
		if tc.resp != nil && tc.resp.StatusCode >= 400 && v != final {
			// The body was read for the answer and put back for the SDK.
			if answer == nil {
				t.Errorf("%s: no answer read", tc.name)
			}
			if rest, _ := io.ReadAll(tc.resp.Body); len(rest) == 0 && tc.resp.ContentLength != 0 && answer.NotLINE != "an empty body" {
				t.Errorf("%s: the body was not put back", tc.name)
			}
		}
	}
}

// An answer that is not LINE's says so, and never passes for LINE's.
func TestForeignAnswersSayWhatTheyAre(t *testing.T) {
	for contentType, want := range map[string]string{
		"text/html; charset=utf-8": "the API endpoint answered 429 Too Many Requests with a body of type text/html, not LINE's JSON error",
		"":                         "the API endpoint answered 429 Too Many Requests with a body without a Content-Type, not LINE's JSON error",
	} {
		resp := &http.Response{StatusCode: 429, Header: http.Header{"Content-Type": {contentType}}}
		err := apiErrorFrom("get bot info", resp, []byte("<html>slow down</html>"), 3)
		if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "LINE answered") {
			t.Errorf("Content-Type %q: %q, want %q", contentType, err, want)
		}
		if got := lastWords(err); !strings.Contains(got, "the API endpoint last answered 429") {
			t.Errorf("last words %q", got)
		}
	}
	empty := apiErrorFrom("get bot info", &http.Response{StatusCode: 502, Header: http.Header{}}, nil, 1)
	if !strings.Contains(empty.Error(), "502 Bad Gateway with an empty body") {
		t.Errorf("empty body: %q", empty)
	}
	line := apiErrorFrom("get bot info", &http.Response{StatusCode: 404, Header: http.Header{}}, []byte(`{"message":"Not found"}`), 1)
	if line.NotLINE != "" || !strings.Contains(line.Error(), "LINE answered 404: Not found") {
		t.Errorf("LINE's answer: %q", line)
	}
}
