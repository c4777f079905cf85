package lineclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The retry loop on synctest's fake clock: the wire below answers at once, so every wait the
// loop makes is exact, and the tests take no real time.

// scriptWire answers each attempt from a script, in order (the last answer repeats), and
// records when each attempt was sent.
type scriptWire struct {
	mu      sync.Mutex
	answers []scripted
	sent    []time.Time
}

// scripted is one answer: a status, with LINE's rate-limit message for a 429, and a
// Retry-After when set.
type scripted struct {
	status     int
	retryAfter string
}

func (w *scriptWire) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sent = append(w.sent, time.Now())
	a := w.answers[min(len(w.sent), len(w.answers))-1]
	body := `{"message":"busy"}`
	if a.status == http.StatusTooManyRequests {
		body = `{"message":"` + msgRateLimited + `"}`
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func (w *scriptWire) times() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.sent...)
}

// roundTrip sends one GET through r under ctx and closes the answer.
func roundTrip(t *testing.T, ctx context.Context, r *retrier) (int, *callStats, error) {
	t.Helper()
	ctx, stats := withCallStats(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.line.me/v2/bot/group/"+groupID+"/summary", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := r.RoundTrip(req)
	if err != nil {
		return 0, stats, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, stats, nil
}

// The backoff before the k-th retry is drawn from the upper half of waitMin·2^(k-1), capped at
// waitMax: the first retry waits the least, and each doubles.
func TestBackoffDoublesFromRetryToRetry(t *testing.T) {
	bubble(t, func(t *testing.T) {
		const waitMin, waitMax = 100 * time.Millisecond, time.Second
		w := &scriptWire{answers: []scripted{{status: 503}, {status: 503}, {status: 503}, {status: 503}, {status: 503}, {status: 200}}}
		r := &retrier{wire: w, pacer: &hookPacer{}, maxRetries: 5, waitMin: waitMin, waitMax: waitMax, attemptTimeout: time.Second}
		if status, _, err := roundTrip(t, context.Background(), r); err != nil || status != 200 {
			t.Fatalf("status %d, err %v; want the sixth attempt's 200", status, err)
		}
		sent := w.times()
		if len(sent) != 6 {
			t.Fatalf("%d attempts, want 6", len(sent))
		}
		for k := 1; k < len(sent); k++ {
			wait := min(waitMin<<(k-1), waitMax)
			if gap := sent[k].Sub(sent[k-1]); gap < wait/2 || gap > wait {
				t.Errorf("retry %d came %s after the attempt before, want %s to %s", k, gap, wait/2, wait)
			}
		}
	})
}

// Without a deadline, retries within max_retries stop at max_retries + 1 attempts; so do they
// on the fake clock, where a loop that never counted its retries would run through the five
// minutes allowed to a call without a deadline at once.
func TestMaxRetriesEndsTheRetriesWithoutADeadline(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := &scriptWire{answers: []scripted{{status: 503}}}
		r := &retrier{wire: w, pacer: &hookPacer{}, maxRetries: 2, waitMin: time.Second, waitMax: time.Second, attemptTimeout: time.Second}
		start := time.Now()
		status, _, err := roundTrip(t, context.Background(), r)
		if err != nil || status != 503 || len(w.times()) != 3 {
			t.Fatalf("status %d, err %v after %d attempts; want the 503 after max_retries + 1 = 3", status, err, len(w.times()))
		}
		// Two backoffs of 0.5 to 1s.
		if took := time.Since(start); took < time.Second || took > 2*time.Second {
			t.Fatalf("three attempts took %s, want two backoffs of 0.5 to 1s", took)
		}
	})
}

// A Retry-After that ends exactly when the last attempt may start could buy no attempt: the
// call fails at once, naming it, and holds nobody back. One that ends a second earlier is
// waited for, through the pacer.
func TestRetryAfterEndingAtTheLastStartFailsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		fails      bool
	}{{"at the deadline", "30", true}, {"a second before it", "29", false}} {
		t.Run(tc.name, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				w := &scriptWire{answers: []scripted{{status: 429, retryAfter: tc.retryAfter}, {status: 200}}}
				p := &hookPacer{}
				r := &retrier{wire: w, pacer: p, maxRetries: 3, waitMin: time.Millisecond, waitMax: time.Millisecond, attemptTimeout: time.Second}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				status, stats, err := roundTrip(t, ctx, r)
				_, _, pauses := p.recorded()
				switch {
				case err != nil:
					t.Fatal(err)
				case tc.fails && (status != 429 || stats.retryAfter != tc.retryAfter || !errors.Is(stats.stopped, context.DeadlineExceeded) ||
					len(pauses) != 0 || len(w.times()) != 1):
					t.Fatalf("status %d, Retry-After %q, stopped %v, %d pauses, %d attempts; want the 429 at once, naming Retry-After: %s, pausing nobody",
						status, stats.retryAfter, stats.stopped, len(pauses), len(w.times()), tc.retryAfter)
				case !tc.fails && (status != 200 || len(pauses) != 1 || len(w.times()) != 2):
					t.Fatalf("status %d, %d pauses, %d attempts; want the pause, then the 200", status, len(pauses), len(w.times()))
				}
			})
		})
	}
}

// A Retry-After no longer than the backoff does not pause the scope: the backoff, the least
// wait, is the wait. (A zero backoff here, so that a Retry-After of 0 equals it.)
func TestRetryAfterNoLongerThanTheBackoffPausesNobody(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := &scriptWire{answers: []scripted{{status: 429, retryAfter: "0"}, {status: 200}}}
		p := &hookPacer{}
		r := &retrier{wire: w, pacer: p, maxRetries: 3, waitMin: time.Nanosecond, waitMax: time.Nanosecond, attemptTimeout: time.Second}
		if status, _, err := roundTrip(t, context.Background(), r); err != nil || status != 200 {
			t.Fatalf("status %d, err %v; want the 200 after one retry", status, err)
		}
		if _, _, pauses := p.recorded(); len(pauses) != 0 {
			t.Fatalf("Retry-After: 0 paused the scope: %+v", pauses)
		}
	})
}

// Each retry's log line names the attempt it is about to make: the second, the third, …
func TestRetryLogNamesTheNextAttempt(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var log bytes.Buffer
		ctx := tflogtest.RootLogger(context.Background(), &log)
		w := &scriptWire{answers: []scripted{{status: 503}, {status: 500}, {status: 200}}}
		r := &retrier{wire: w, pacer: &hookPacer{}, maxRetries: 3, waitMin: time.Millisecond, waitMax: time.Millisecond, attemptTimeout: time.Second}
		if status, _, err := roundTrip(t, ctx, r); err != nil || status != 200 {
			t.Fatalf("status %d, err %v", status, err)
		}
		entries, err := tflogtest.MultilineJSONDecode(&log)
		if err != nil {
			t.Fatal(err)
		}
		var attempts []float64
		for _, e := range entries {
			if e["@message"] == "Retrying LINE API request" {
				n, _ := e["attempt"].(float64)
				attempts = append(attempts, n)
			}
		}
		if len(attempts) != 2 || attempts[0] != 2 || attempts[1] != 3 {
			t.Fatalf("retries logged as attempts %v, want [2 3]:\n%s", attempts, log.String())
		}
	})
}

// A client waits retryWaitMin (with jitter over its upper half) before its first retry: the
// production bounds, which no configuration changes.
func TestClientBacksOffFromRetryWaitMin(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := &scriptWire{answers: []scripted{{status: 503}, {status: 200}}}
		c, err := New(Config{AccessToken: testToken, MaxRetries: 1, Transport: w})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GroupSummary(context.Background(), groupID); err != nil {
			t.Fatal(err)
		}
		sent := w.times()
		if len(sent) != 2 {
			t.Fatalf("%d attempts, want 2", len(sent))
		}
		if gap := sent[1].Sub(sent[0]); gap < retryWaitMin/2 || gap > retryWaitMin {
			t.Fatalf("retried after %s, want %s to %s", gap, retryWaitMin/2, retryWaitMin)
		}
	})
}

// hangingWire never answers: each attempt ends when its context does.
type hangingWire struct {
	mu   sync.Mutex
	sent []time.Time
}

func (w *hangingWire) RoundTrip(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.sent = append(w.sent, time.Now())
	w.mu.Unlock()
	<-req.Context().Done()
	return nil, req.Context().Err()
}

func (w *hangingWire) attempts() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.sent)
}

// An issuance's own bound leaves room for every attempt to time out: a token endpoint that
// never answers is asked max_retries + 1 times, each for request_timeout, with the backoffs
// between them, and the error says that the attempts timed out.
func TestIssuanceBoundLeavesRoomForEveryAttempt(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := &hangingWire{}
		c := testClient(t, Config{ChannelID: testChannelID, ChannelSecret: testChannelSecret, MaxRetries: 3, Transport: w}, &hookPacer{})
		start := time.Now()
		_, err := c.MemberCount(context.Background(), GroupChat(groupID))
		took := time.Since(start)
		var reqErr *RequestError
		if !errors.As(err, &reqErr) || !reqErr.TimedOut || reqErr.Attempts != 4 || w.attempts() != 4 {
			t.Fatalf("err = %v after %d attempts, want each of the 4 attempts timed out", err, w.attempts())
		}
		if reqErr.AttemptTimeout != DefaultRequestTimeout || !strings.Contains(err.Error(), "LINE did not answer within 30s") {
			t.Errorf("err = %v, want it to name request_timeout, 30s", err)
		}
		// Four attempts of DefaultRequestTimeout, and backoffs of 125-250ms, 250-500ms and 0.5-1s.
		least := 4*DefaultRequestTimeout + (retryWaitMin+2*retryWaitMin+4*retryWaitMin)/2
		if most := 4*DefaultRequestTimeout + retryWaitMin + 2*retryWaitMin + 4*retryWaitMin; took < least || took > most {
			t.Fatalf("the issuance failed after %s, want %s to %s", took, least, most)
		}
	})
}

// slowTokens is a token source whose second token takes issuing: it expired while the attempt
// waited for the pacer. heedless ignores the caller's context, as a token that comes late
// despite it.
type slowTokens struct {
	issuing  time.Duration
	heedless bool
	mu       sync.Mutex
	calls    int
}

func (s *slowTokens) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.calls++
	second := s.calls == 2
	s.mu.Unlock()
	if !second {
		return testToken, nil
	}
	if s.heedless {
		time.Sleep(s.issuing)
		return testToken, nil
	}
	if err := hold(ctx, s.issuing); err != nil {
		return "", &RequestError{Operation: opIssueToken, Cancelled: true, Err: err}
	}
	return testToken, nil
}

func (*slowTokens) rejected(string) bool { return false }

// A write whose token expired while it waited for the pacer waits for the new one no later
// than the last start (min(request_timeout, 2s) before the deadline): a token issued after it,
// though before the deadline, is too late, the ticket is handed back and nothing is sent.
func TestTokenIssuedInsideTheLastSecondsStartsNoWrite(t *testing.T) {
	for _, heedless := range []bool{false, true} {
		t.Run(fmt.Sprintf("heedless=%v", heedless), func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				w := &scriptWire{answers: []scripted{{status: 200}}}
				p := &hookPacer{}
				// The deadline in 10s, the last start in 8s, the token in 9s.
				tokens := &slowTokens{issuing: 9 * time.Second, heedless: heedless}
				r := &retrier{wire: w, pacer: p, tokens: tokens, maxRetries: 3, waitMin: time.Millisecond, waitMax: time.Millisecond,
					attemptTimeout: 30 * time.Second}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				ctx, stats := withCallStats(ctx)
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.line.me/v2/bot/group/"+groupID+"/leave", nil)
				if err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				resp, err := r.RoundTrip(req)
				if resp != nil {
					_ = resp.Body.Close()
				}
				took := time.Since(start)
				_, outcomes, _ := p.recorded()
				if !errors.Is(err, context.DeadlineExceeded) || !stats.tooLate || stats.tokenErr != nil || len(w.times()) != 0 {
					t.Fatalf("err %v, tooLate %v, token error %v, %d attempts sent; want too late, nothing sent",
						err, stats.tooLate, stats.tokenErr, len(w.times()))
				}
				if len(outcomes) != 1 || outcomes[0] != outcomeUnknown {
					t.Fatalf("outcomes %v, want the ticket handed back as unknown", outcomes)
				}
				want := 8 * time.Second
				if heedless {
					want = 9 * time.Second
				}
				if took != want {
					t.Fatalf("gave up after %s, want %s", took, want)
				}
			})
		})
	}
}

// wireFunc is a wire that answers with a function.
type wireFunc func(*http.Request) (*http.Response, error)

func (f wireFunc) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return f(req)
}

func jsonAnswer(req *http.Request, status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

const issuedJSON = `{"access_token":"issued-token","expires_in":900,"token_type":"Bearer"}`

// One caller's cancellation (Ctrl-C) while IssueToken waits is its own: the operations and
// IssueToken calls after it ask LINE again, at once, rather than get the cancellation.
func TestIssueTokenForgetsTheCallersCancellation(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var issuances atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			switch {
			case req.URL.Path != "/oauth2/v3/token":
				return jsonAnswer(req, 200, `{"count":1}`), nil
			case issuances.Add(1) == 1:
				<-req.Context().Done() // LINE is slow; the caller gives up first
				return nil, req.Context().Err()
			}
			return jsonAnswer(req, 200, issuedJSON), nil
		})
		c := testClient(t, Config{ChannelID: testChannelID, ChannelSecret: testChannelSecret, Transport: w}, &hookPacer{})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		if _, err := c.IssueToken(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want the cancellation", err)
		}
		start := time.Now()
		if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil || issuances.Load() != 2 {
			t.Fatalf("an operation after the cancellation: %v after %d token requests, want a new token", err, issuances.Load())
		}
		if tok, err := c.IssueToken(context.Background()); err != nil || tok.AccessToken != "issued-token" || issuances.Load() != 3 {
			t.Fatalf("IssueToken after the cancellation: %v after %d token requests, want a new token", err, issuances.Load())
		}
		if took := time.Since(start); took != 0 {
			t.Fatalf("took %s, want no wait", took)
		}
	})
}

// IssueToken under LINE's rate limit until the end: when the caller's deadline ends it, the
// error is the deadline's and is not remembered; when the issuance's own bound does, the error
// says so, and is remembered.
func TestIssueTokenSaysWhenItsOwnBoundRanOut(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var issuances atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			issuances.Add(1)
			return jsonAnswer(req, 429, `{"message":"`+msgRateLimited+`"}`), nil
		})
		c := testClient(t, Config{ChannelID: testChannelID, ChannelSecret: testChannelSecret, MaxRetries: 0, Transport: w}, &hookPacer{})
		const own = DefaultRequestTimeout + rateLimitRoom // max_retries 0: one attempt's time, and the rate limit's room
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := c.IssueToken(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || !IsRateLimited(err) || strings.Contains(err.Error(), "the most one issuance may take") {
			t.Fatalf("err = %v, want the caller's deadline while LINE was throttling", err)
		}
		before := issuances.Load()
		start := time.Now()
		_, err = c.IssueToken(context.Background())
		took := time.Since(start)
		if issuances.Load() == before || !IsRateLimited(err) ||
			!strings.Contains(err.Error(), fmt.Sprintf("within %s, the most one issuance may take; LINE was still throttling", own)) {
			t.Fatalf("err = %v after %d more token requests, want the issuance's own bound", err, issuances.Load()-before)
		}
		if took > own || took < own-2*time.Second-retryWaitMax {
			t.Fatalf("the issuance gave up after %s, want about %s", took, own)
		}
		before = issuances.Load()
		if _, again := c.IssueToken(context.Background()); !errors.Is(again, err) || issuances.Load() != before {
			t.Fatalf("asked again at once: %v after %d more token requests, want the remembered error", again, issuances.Load()-before)
		}
	})
}

// A Retry-After that ends before the deadline, but whose scope the pacer lets go again only
// after it (here a gap of 2s at rate_limit 0.5, from the first attempt): the call fails as
// soon as the pacer says so, and its error names the Retry-After that held it, not the pacer
// alone.
func TestRetryAfterThenThePacerPastTheDeadlineNamesRetryAfter(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var n atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			if n.Add(1) > 1 {
				return jsonAnswer(req, 200, `{"count":1}`), nil
			}
			resp := jsonAnswer(req, 429, `<html>slow down</html>`) // a proxy's
			resp.Header.Set("Content-Type", "text/html")
			resp.Header.Set("Retry-After", "1")
			return resp, nil
		})
		c := testClient(t, Config{AccessToken: testToken, MaxRetries: 3, RateLimit: 0.5, Transport: w})
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.MemberCount(ctx, GroupChat(groupID))
		var reqErr *RequestError
		if !errors.As(err, &reqErr) || !reqErr.Queued || reqErr.RetryAfter != "1" || reqErr.RetryAfterWait != time.Second ||
			reqErr.Attempts != 1 || !errors.Is(err, context.DeadlineExceeded) || !hasStatus(reqErr.Last, 429) {
			t.Fatalf("err = %#v, want queued past the deadline after the Retry-After, with the 429", err)
		}
		for _, want := range []string{"Retry-After: 1, 1s", "rate limiter", "could not let attempt 2 go", "429"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		if took := time.Since(start); took != 0 || n.Load() != 1 {
			t.Fatalf("failed after %s and %d attempts, want at once (the pacer knows), after one", took, n.Load())
		}
	})
}

// A token request is no write: it starts with less than MinWriteTime left before the
// caller's deadline (any number of stateless tokens can be issued), and a read then takes
// the token and goes.
func TestTokenRequestStartsInTheLastSeconds(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var issuances atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			if req.URL.Path == "/oauth2/v3/token" {
				issuances.Add(1)
				return jsonAnswer(req, 200, issuedJSON), nil
			}
			return jsonAnswer(req, 200, `{"count":1}`), nil
		})
		c := testClient(t, Config{ChannelID: testChannelID, ChannelSecret: testChannelSecret, Transport: w}, &hookPacer{})
		ctx, cancel := context.WithTimeout(context.Background(), MinWriteTime/2)
		defer cancel()
		if tok, err := c.IssueToken(ctx); err != nil || tok.AccessToken != "issued-token" {
			t.Fatalf("IssueToken with %s left: %v, want a token", MinWriteTime/2, err)
		}
		if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil || issuances.Load() != 2 {
			t.Fatalf("a read with %s left: %v after %d token requests, want an answer after 2", MinWriteTime/2, err, issuances.Load())
		}
	})
}
