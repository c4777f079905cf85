package lineclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// mockClient is a client of a fresh mock with the demo token and a hookPacer. options are
// client options (see testClient) and the mock's (linemock.Option); the mock's seed comes
// from LINEMOCK_SEED when set, and is logged (linemocktest.Start).
func mockClient(t *testing.T, p *hookPacer, options ...any) (*linemock.Server, *Client) {
	t.Helper()
	mockOptions := []linemock.Option{linemock.WithRateLimit(0)}
	options = slices.DeleteFunc(options, func(o any) bool {
		opt, ok := o.(linemock.Option)
		if ok {
			mockOptions = append(mockOptions, opt)
		}
		return ok
	})
	mock, ts := linemocktest.Start(t, nil, mockOptions...)
	cfg := Config{Endpoint: ts.URL, AccessToken: linemock.DemoToken, MaxRetries: 3, RateLimit: 10000}
	return mock, testClient(t, cfg, append([]any{fastBackoff, p}, options...)...)
}

// A leave that LINE carried out but whose answer was lost, then LINE's 429s until the
// deadline: the deadline's error, which says the leave may have taken effect.
func TestMayHaveTakenEffect_lostLeaveThen429sUntilTheDeadline(t *testing.T) {
	var mock *linemock.Server
	var leaves atomic.Int32
	p := &hookPacer{onDone: func(sc scope, _ outcome) {
		if sc == "POST /v2/bot/group/{groupId}/leave" && leaves.Add(1) == 1 {
			mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{Rate429: 1})
		}
	}}
	mock, c := mockClient(t, p)
	mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{LostResponse: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err := c.Leave(ctx, GroupChat(linemock.DemoGroupOps))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !errors.Is(err, context.DeadlineExceeded) || !IsRateLimited(err) {
		t.Fatalf("err = %v, want the deadline while LINE was throttling", err)
	}
	if !MayHaveTakenEffect(err) {
		t.Fatalf("MayHaveTakenEffect(%v) = false after a lost answer", err)
	}
	if joined, _ := mock.BotJoined(linemock.DemoGroupOps); joined || leaves.Load() < 3 {
		t.Fatalf("joined %v after %d leave attempts: want the bot gone, and 429s after the lost answer", joined, leaves.Load())
	}
}

// A push whose first answer was lost, and whose retry then waits in the pacer past the
// deadline: queued, and may have been delivered.
func TestMayHaveTakenEffect_lostPushThenQueuedPastTheDeadline(t *testing.T) {
	var waits atomic.Int32
	p := &hookPacer{onWait: func(context.Context, scope) error {
		if waits.Add(1) > 1 {
			return context.DeadlineExceeded // the queue would end after the deadline
		}
		return nil
	}}
	mock, c := mockClient(t, p)
	mock.SetFault(linemock.EndpointPushMessage, linemock.Fault{LostResponse: 1})
	_, err := c.Push(context.Background(), Push{Chat: GroupChat(linemock.DemoGroupOps), Text: "deploy done"})
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Queued || reqErr.Attempts != 1 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v, want queued past the deadline after one attempt", err)
	}
	if !strings.Contains(err.Error(), "context deadline exceeded while waiting in the client's rate limiter for attempt 2; ") {
		t.Errorf("error %q does not say that the second attempt was waiting", err)
	}
	if !MayHaveTakenEffect(err) || len(mock.PushedMessages()) != 1 {
		t.Fatalf("MayHaveTakenEffect = %v with %d messages posted, want true and 1", MayHaveTakenEffect(err), len(mock.PushedMessages()))
	}
}

// What each kind of failure says about a write, and that reads never "may have taken effect".
func TestMayHaveTakenEffect(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers []int // one per attempt; 0 hangs until the attempt times out
		read    bool
		want    bool
		check   func(error) bool
	}{
		{"a 500, then 404", []int{500, 404}, false, true, IsNotFound},
		{"500s to the end", []int{500, 500}, false, true, nil},
		{"a 502 once", []int{502, 400}, false, true, func(err error) bool { return hasStatus(err, 400) }},
		{"a timeout once written", []int{0}, false, true, func(err error) bool { var r *RequestError; return errors.As(err, &r) && r.TimedOut }},
		{"a final 404", []int{404}, false, false, IsNotFound},
		{"a final 400", []int{400}, false, false, nil},
		// 5xx answers that are not retried are final, but LINE (or a CDN in front of it) may
		// have carried the write out all the same.
		{"a final 501", []int{501}, false, true, func(err error) bool { return hasStatus(err, 501) }},
		{"a final 505", []int{505}, false, true, nil},
		{"a final 507", []int{507}, false, true, nil},
		{"a CDN's 520", []int{520}, false, true, nil},
		{"a CDN's 524 after a 502", []int{502, 524}, false, true, func(err error) bool { return hasStatus(err, 524) }},
		{"reads: a final 501", []int{501}, true, false, nil},
		{"a proxy's 429s", []int{429, 429}, false, false, nil},
		{"reads: 500s", []int{500, 500}, true, false, nil},
		{"reads: a timeout", []int{0}, true, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			release := make(chan struct{})
			defer close(release)
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				status := tc.answers[min(int(n.Add(1)), len(tc.answers))-1]
				switch status {
				case 0:
					select {
					case <-r.Context().Done():
					case <-release:
					}
				case 429:
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(429)
				default:
					writeJSON(w, status, map[string]string{"message": "answer"})
				}
			})
			c := f.client(t, fastBackoff, &hookPacer{}, func(c *Config) {
				c.MaxRetries, c.RequestTimeout = len(tc.answers)-1, time.Minute
				if slices.Contains(tc.answers, 0) {
					c.RequestTimeout = 100 * time.Millisecond // for the attempt that hangs only
				}
			})
			// A deadline far beyond the attempts: a loop that did not count them fails, not hangs.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var err error
			if tc.read {
				_, err = c.MemberCount(ctx, GroupChat(groupID))
			} else {
				err = c.Leave(ctx, GroupChat(groupID))
			}
			if err == nil || MayHaveTakenEffect(err) != tc.want || (tc.check != nil && !tc.check(err)) {
				t.Fatalf("err = %v, MayHaveTakenEffect = %v; want an error and %v", err, MayHaveTakenEffect(err), tc.want)
			}
			if int(n.Load()) != len(tc.answers) {
				t.Fatalf("%d requests, want %d", n.Load(), len(tc.answers))
			}
		})
	}
}

// A write that never reached the wire (nothing listens) did not take effect.
func TestMayHaveTakenEffect_notWhenNothingWasWritten(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	endpoint := ts.URL
	ts.Close() // connections are refused from now on
	c := testClient(t, Config{Endpoint: endpoint, AccessToken: testToken, MaxRetries: 1}, fastBackoff, &hookPacer{})
	err := c.Leave(context.Background(), RoomChat(roomID))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 2 || MayHaveTakenEffect(err) {
		t.Fatalf("err = %v, MayHaveTakenEffect = %v; want a request error after 2 attempts that did not take effect", err, MayHaveTakenEffect(err))
	}
}

// A lost answer, then a failure to replace the token LINE refused: still "may have".
func TestMayHaveTakenEffect_lostThenNoToken(t *testing.T) {
	l := newTokenLINE(t)
	var leaves atomic.Int32
	base := l.Config.Handler
	l.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/leave") && leaves.Add(1) == 1:
			writeJSON(w, 500, map[string]string{"message": "Internal server error"})
			l.revoke("issued-1")
			l.issued.Store(1000) // no token is issued from now on: the endpoint answers 400 below
			return
		case r.URL.Path == "/oauth2/v3/token" && l.issued.Load() >= 1000:
			writeJSON(w, 503, map[string]string{"error": "temporarily_unavailable"})
			return
		}
		base.ServeHTTP(w, r)
	})
	c := l.client(t, fastBackoff, &hookPacer{}, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.MaxRetries = "", testChannelID, testChannelSecret, 1
	})
	err := c.Leave(context.Background(), GroupChat(groupID))
	var tokenErr *TokenError
	if !errors.As(err, &tokenErr) || !MayHaveTakenEffect(err) {
		t.Fatalf("err = %v, MayHaveTakenEffect = %v; want the token error, and true", err, MayHaveTakenEffect(err))
	}
}

// A write is not started with less than min(request_timeout, 2s) left before the deadline:
// the call ends at once, saying so, with nothing sent. Reads go.
func TestNoWriteStartsTooCloseToTheDeadline(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	c := f.client(t, &hookPacer{}, func(c *Config) { c.RequestTimeout = 30 * time.Second })
	ctx, cancel := context.WithTimeout(context.Background(), 1900*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := c.Leave(ctx, GroupChat(groupID))
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("refused after %s, want at once", elapsed)
	}
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.TooLate || !reqErr.Cancelled || reqErr.Attempts != 0 || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "too close to the deadline") || MayHaveTakenEffect(err) {
		t.Fatalf("err = %#v, want too close to the deadline, nothing sent", err)
	}
	if f.requests.Load() != 0 {
		t.Fatalf("%d requests, want none", f.requests.Load())
	}
	// A read with as little time left goes; so does a write whose request_timeout is shorter
	// than what is left.
	ctx, cancel = context.WithTimeout(context.Background(), 1900*time.Millisecond)
	defer cancel()
	if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	short := f.client(t, &hookPacer{}, func(c *Config) { c.RequestTimeout = 500 * time.Millisecond })
	if err := short.Leave(ctx, GroupChat(groupID)); err != nil {
		t.Fatalf("a write with 500ms of request_timeout and more left: %v", err)
	}
	if f.requests.Load() != 2 {
		t.Fatalf("%d requests, want 2", f.requests.Load())
	}
}

// After a lost answer, a write that could only be retried too close to the deadline stops
// with the answers it has: before the deadline, carrying the ambiguity.
func TestWriteStopsBeforeTheDeadlineWithTheAnswersItHas(t *testing.T) {
	const latency = 700 * time.Millisecond
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency) // LINE is slow to answer
		writeJSON(w, 500, map[string]string{"message": "Internal server error"})
	})
	c := f.client(t, fastBackoff, &hookPacer{}, func(c *Config) { c.RequestTimeout, c.MaxRetries = 30*time.Second, 5 })
	const deadline = 2500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	err := c.Leave(ctx, GroupChat(groupID))
	elapsed := time.Since(start)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Cancelled || reqErr.Attempts != 1 || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "LINE last answered 500: Internal server error") || !MayHaveTakenEffect(err) {
		t.Fatalf("err = %v, want the deadline after the one lost answer, which may have taken effect", err)
	}
	if elapsed < latency || elapsed >= deadline {
		t.Fatalf("stopped after %s, want after the answer (%s) and before the deadline (%s)", elapsed, latency, deadline)
	}
	if f.requests.Load() != 1 {
		t.Fatalf("%d requests, want 1", f.requests.Load())
	}
}

// LINE accepted a push (2xx) whose answer could not be read, cut off or stalled past
// request_timeout: it may have been delivered, and the error keeps why the answer was lost.
// The same for a read is a plain error.
func TestMayHaveTakenEffect_acceptedButUnreadable(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	for _, tc := range []struct {
		name  string
		stall bool
		cause func(error) bool
	}{
		{"cut off", false, func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) }},
		{"stalled past request_timeout", true, func(err error) bool {
			var timeout *attemptTimeoutError
			return errors.As(err, &timeout)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(200)
				_, _ = w.Write([]byte(`{"sentMessages":[`))
				if tc.stall {
					w.(http.Flusher).Flush()
					select {
					case <-r.Context().Done():
					case <-release:
					}
				}
			})
			c := f.client(t, fastBackoff, &hookPacer{}, func(c *Config) { c.RequestTimeout = 200 * time.Millisecond })
			_, err := c.Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "deploy done"})
			if err == nil || !MayHaveTakenEffect(err) || !tc.cause(err) || !strings.Contains(err.Error(), "push a message to group chat") {
				t.Fatalf("push: err = %v, MayHaveTakenEffect = %v; want the cause, and true", err, MayHaveTakenEffect(err))
			}
			_, err = c.MemberCount(context.Background(), GroupChat(groupID))
			if err == nil || MayHaveTakenEffect(err) || !tc.cause(err) {
				t.Fatalf("read: err = %v, MayHaveTakenEffect = %v; want the cause, and false", err, MayHaveTakenEffect(err))
			}
			if f.requests.Load() != 2 {
				t.Fatalf("%d requests, want 2: a 2xx is never retried", f.requests.Load())
			}
		})
	}
}

// A request that net/http refuses to send as it is (a token with a trailing newline, an
// invalid proxy address) never left the machine: the write did not take effect, and it is
// not retried.
func TestMayHaveTakenEffect_notWhenRefusedBeforeSending(t *testing.T) {
	badProxy := &http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
		// What http.ProxyFromEnvironment says of an HTTPS_PROXY that is no URL.
		return nil, errors.New(`invalid proxy address "http://proxy example:3128": parse "http://proxy example:3128": invalid character " " in host name`)
	}}
	for _, tc := range []struct {
		name string
		set  func(c *Config)
		says string
	}{
		{"a token with a trailing newline", func(c *Config) { c.AccessToken = testToken + "\n" }, `invalid header field value for "Authorization"`},
		{"an invalid proxy address", func(c *Config) { c.Transport = badProxy }, "invalid proxy address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]any{}) })
			c := f.client(t, fastBackoff, &hookPacer{}, tc.set)
			for op, call := range map[string]func() error{
				"leave": func() error { return c.Leave(context.Background(), GroupChat(groupID)) },
				"push": func() error {
					_, err := c.Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "deploy done"})
					return err
				},
			} {
				err := call()
				var reqErr *RequestError
				if !errors.As(err, &reqErr) || reqErr.Attempts != 1 || MayHaveTakenEffect(err) || !strings.Contains(err.Error(), tc.says) {
					t.Errorf("%s: err = %v, MayHaveTakenEffect = %v; want %q after 1 attempt, which did not take effect",
						op, err, MayHaveTakenEffect(err), tc.says)
				}
			}
			if f.requests.Load() != 0 {
				t.Fatalf("%d requests reached LINE, want none", f.requests.Load())
			}
		})
	}
}
