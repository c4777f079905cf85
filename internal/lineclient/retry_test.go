package lineclient

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
)

// backoffBounds, as a testClient option, replaces the client's backoff bounds (retryWaitMin
// and retryWaitMax) in both of its retry loops and in the issuance's bound. Production code
// has no such switch: testClient sets the fields after building the client.
type backoffBounds struct{ least, most time.Duration }

// fastBackoff makes every retry wait a few milliseconds, so that long chains run quickly.
var fastBackoff = backoffBounds{time.Millisecond, 5 * time.Millisecond}

// set gives c's retry loops these bounds.
func (b backoffBounds) set(t *testing.T, c *Client) {
	t.Helper()
	api, ok := c.api.Transport.(*retrier)
	if !ok {
		t.Fatalf("the client's transport is a %T", c.api.Transport)
	}
	api.waitMin, api.waitMax = b.least, b.most
	if c.issuer != nil {
		tokens, ok := c.issuer.client.Transport.(*retrier)
		if !ok {
			t.Fatalf("the token client's transport is a %T", c.issuer.client.Transport)
		}
		tokens.waitMin, tokens.waitMax = b.least, b.most
		c.issuer.bound = issueBound(tokens.attemptTimeout, tokens.maxRetries, b.least, b.most)
	}
}

func TestRateLimit429IsRetriedWithoutUsingUpMaxRetries(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1, 2, 3, 4, 5, 6:
			writeJSON(w, 429, map[string]string{"message": msgRateLimited})
		case 7:
			writeJSON(w, 500, map[string]string{"message": "Internal server error"})
		default:
			writeJSON(w, 200, map[string]int{"count": 4})
		}
	})
	c := f.client(t, fastBackoff, newFixedPacer(), func(c *Config) { c.MaxRetries = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	count, err := c.MemberCount(ctx, GroupChat(groupID))
	if err != nil || count != 4 {
		t.Fatalf("count = %d, err = %v; want 4 after six 429s and one 500 with max_retries 1", count, err)
	}
	if got := f.requests.Load(); got != 8 {
		t.Fatalf("%d requests, want 8", got)
	}
}

// The monthly-limit 429 is final, matched loosely, and says nothing of LINE's rate limit.
func TestMonthlyLimitIsFinal(t *testing.T) {
	for _, message := range []string{"You have reached your monthly limit.", "you have reached your monthly limit", "You have reached your monthly limit!"} {
		f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 429, map[string]string{"message": message})
		})
		p := &hookPacer{}
		_, err := f.client(t, fastBackoff, p).GroupSummary(context.Background(), groupID)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Message != message || apiErr.Attempts != 1 {
			t.Errorf("429 %q: err = %v, want a final *APIError", message, err)
		}
		if !IsMonthlyLimit(err) || IsRateLimited(err) || f.requests.Load() != 1 {
			t.Errorf("429 %q: %d requests, want 1 and the monthly limit", message, f.requests.Load())
		}
		if _, outcomes, pauses := p.recorded(); !slices.Equal(outcomes, []outcome{outcomeUnknown}) || len(pauses) != 0 {
			t.Errorf("429 %q: the pacer heard %v and %d pauses, want one unknown outcome", message, outcomes, len(pauses))
		}
	}
}

// Any other 429 (a proxy's HTML page, an empty body, another message) is retried within
// max_retries, and tells the pacer nothing about LINE's rate limit.
func TestOther429sAreRetriedWithinMaxRetries(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, says string
	}{
		{"HTML", "text/html", "<html><body><h1>429 Too Many Requests</h1></body></html>", "with a body of type text/html, not LINE's JSON error"},
		{"empty", "", "", "with an empty body, not LINE's JSON error"},
		{"another message", "application/json", `{"message":"Too many messages to the same user"}`, "LINE answered 429: Too many messages to the same user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(429)
				_, _ = w.Write([]byte(tc.body))
			})
			p := &hookPacer{}
			_, err := f.client(t, fastBackoff, p, func(c *Config) { c.MaxRetries = 2 }).GroupSummary(context.Background(), groupID)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Attempts != 3 || IsRateLimited(err) || IsMonthlyLimit(err) {
				t.Fatalf("err = %v, want the 429 after max_retries + 1 = 3 attempts", err)
			}
			if !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "3 attempts") {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if n := f.requests.Load(); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
			if _, outcomes, _ := p.recorded(); !slices.Equal(outcomes, []outcome{outcomeUnknown, outcomeUnknown, outcomeUnknown}) {
				t.Errorf("the pacer heard %v, want three unknown outcomes", outcomes)
			}
		})
	}
}

// A proxy's 429s in front of LINE are retried, and LINE's answer that follows is the call's.
func TestAProxys429sThenLINE(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(429)
			_, _ = w.Write([]byte("<html>Too Many Requests</html>"))
			return
		}
		writeJSON(w, 200, map[string]int{"count": 3})
	})
	count, err := f.client(t, fastBackoff, &hookPacer{}, func(c *Config) { c.MaxRetries = 2 }).MemberCount(context.Background(), GroupChat(groupID))
	if err != nil || count != 3 || f.requests.Load() != 3 {
		t.Fatalf("count %d, err %v after %d requests; want 3 after two 429s of a proxy", count, err, f.requests.Load())
	}
}

// A throttled call retries until the caller's deadline, then fails with an error that is the
// deadline and says that LINE was still throttling: with the adaptive limiter, which slows to
// its floor and mostly ends queued, and with a fixed one, which mostly ends in a backoff.
func TestRateLimitRetriedUntilTheDeadline(t *testing.T) {
	for name, fixed := range map[string]bool{"adaptive": false, "fixed": true} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 429, map[string]string{"message": msgRateLimited})
			})
			var p pacer = newLimiter(10000)
			if fixed {
				p = newFixedPacer()
			}
			c := f.client(t, fastBackoff, p, func(c *Config) { c.MaxRetries = 0 })
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.GroupSummary(ctx, groupID)
			elapsed := time.Since(start)
			t.Logf("returned after %s and %d requests", elapsed.Round(time.Millisecond), f.requests.Load())
			if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want the deadline", err)
			}
			if !IsRateLimited(err) || !strings.Contains(err.Error(), "LINE was still throttling") ||
				!strings.Contains(err.Error(), msgRateLimited) || !strings.Contains(err.Error(), "get group chat summary") {
				t.Fatalf("error %q does not say that LINE was still throttling", err)
			}
			if IsNotFound(err) || IsForbidden(err) || hasStatus(err, http.StatusUnauthorized) {
				t.Fatal("status predicates disagree with a 429")
			}
			var reqErr *RequestError
			if !errors.As(err, &reqErr) || !reqErr.Cancelled {
				t.Fatalf("err = %#v, want a *RequestError of the deadline", err)
			}
			if got := f.requests.Load(); got <= 1 {
				t.Fatalf("%d requests, want more than max_retries+1: the rate limit is retried until the deadline", got)
			}
			// About the 1.5s deadline, both ways: a client that gave up after a few attempts
			// and called it the deadline would return at once. Only a wait that could not fit
			// the deadline may end the call before it: a backoff of at most 5ms here, or, with
			// the adaptive limiter at its floor of one request a second, a queue of up to 1s.
			least := 1500*time.Millisecond - 100*time.Millisecond
			if !fixed {
				least = 1500*time.Millisecond - time.Second - 100*time.Millisecond
			}
			if elapsed < least || elapsed > 20*time.Second {
				t.Fatalf("returned %s after the start, want about the 1.5s deadline (at least %s)", elapsed, least)
			}
		})
	}
}

// A backoff that would end after the deadline fails now instead of sleeping to it.
func TestBackoffPastTheDeadlineFailsNow(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, map[string]string{"message": "busy"})
	})
	c := f.client(t, backoffBounds{10 * time.Minute, 10 * time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	_, err := c.BotInfo(ctx)
	if elapsed := time.Since(start); elapsed > time.Minute {
		t.Fatalf("returned after %s, want at once", elapsed)
	}
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Cancelled || reqErr.Attempts != 1 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v, want the deadline after 1 attempt", err)
	}
	if !strings.Contains(err.Error(), "LINE last answered 503: busy") {
		t.Fatalf("error %q lacks LINE's last answer", err)
	}
	if f.requests.Load() != 1 {
		t.Fatalf("%d requests, want 1", f.requests.Load())
	}
}

// Ctrl-C while a call is throttled: context.Canceled, not the deadline.
func TestCancelWhileThrottled(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 429, map[string]string{"message": msgRateLimited})
	})
	c := f.client(t, fastBackoff, newFixedPacer())
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.requests.Load() < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.MemberCount(ctx, RoomChat(roomID))
	if !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// The caller's deadline passing during an attempt is the deadline; an attempt timing out is
// not.
func TestDeadlineDuringAnAttemptIsTheDeadline(t *testing.T) {
	release := make(chan struct{})
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := f.client(t, func(c *Config) { c.RequestTimeout = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.GroupSummary(ctx, groupID)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Cancelled || reqErr.TimedOut || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v, want the caller's deadline", err)
	}

	c = f.client(t, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 0 })
	_, err = c.GroupSummary(context.Background(), groupID)
	if !errors.As(err, &reqErr) || !reqErr.TimedOut || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v, want an attempt timeout that is not the caller's deadline", err)
	}
}

// Time queued in the pacer does not count against the per-attempt timeout: the pacer holds
// each attempt for three times request_timeout, and LINE answers at once.
func TestQueueTimeIsNotAttemptTime(t *testing.T) {
	const attemptTimeout = 400 * time.Millisecond
	const queue = 3 * attemptTimeout
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{})
	})
	p := &hookPacer{onWait: func(ctx context.Context, _ scope) error { return hold(ctx, queue) }}
	c := f.client(t, p, func(c *Config) { c.RequestTimeout, c.MaxRetries = attemptTimeout, 0 })
	for _, call := range []func(context.Context) error{
		func(ctx context.Context) error { _, err := c.MemberCount(ctx, GroupChat(groupID)); return err },
		func(ctx context.Context) error { return c.Leave(ctx, RoomChat(roomID)) },
	} {
		start := time.Now()
		if err := call(context.Background()); err != nil {
			t.Fatalf("%v: the time queued counted against the %s allowed for each attempt", err, attemptTimeout)
		}
		// A timer never fires early: the attempt really queued.
		if elapsed := time.Since(start); elapsed < queue || elapsed > queue+20*time.Second {
			t.Fatalf("the call took %s, want the %s queue and an answer at once", elapsed, queue)
		}
	}
	if n := f.requests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestQueuePastTheDeadlineIsQueuedNotANetworkFailure(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	// One request per 100 seconds: the first call spends the only token.
	c := f.client(t, func(c *Config) { c.RateLimit = 0.01 })
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.MemberCount(ctx, RoomChat(roomID))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Queued || reqErr.Attempts != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v, want a queued *RequestError that is the deadline", err)
	}
	if reqErr.TimedOut || !strings.Contains(err.Error(), "rate limiter") {
		t.Fatalf("error %q does not name the rate limiter", err)
	}
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Fatalf("refused after %s, want at once: the wait could never fit the deadline", elapsed)
	}
	if f.requests.Load() != 1 {
		t.Fatalf("%d requests, want 1", f.requests.Load())
	}
}

// redirectingLINE answers everything with a redirect to a second server, which must never
// hear from the client.
func redirectingLINE(t *testing.T, status int) (*fakeLINE, *fakeLINE) {
	target := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"count": 1, "access_token": "stolen", "expires_in": 900})
	})
	line := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, status)
	})
	return line, target
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	calls := map[string]func(c *Client) error{
		"GET": func(c *Client) error { _, err := c.MemberCount(context.Background(), GroupChat(groupID)); return err },
		"leave POST": func(c *Client) error {
			return c.Leave(context.Background(), GroupChat(groupID))
		},
	}
	for _, status := range []int{301, 302, 307, 308} {
		for name, call := range calls {
			line, target := redirectingLINE(t, status)
			err := call(line.client(t, fastBackoff))
			var redirErr *RedirectError
			if !errors.As(err, &redirErr) || redirErr.StatusCode != status || !strings.HasPrefix(redirErr.Location, target.URL) {
				t.Fatalf("%s, %d: err = %v, want a *RedirectError to the target", name, status, err)
			}
			if !strings.Contains(err.Error(), "LINE never redirects") {
				t.Errorf("%s: error %q", name, err)
			}
			if line.requests.Load() != 1 || target.requests.Load() != 0 {
				t.Fatalf("%s, %d: %d requests to LINE, %d to the target; want 1 and 0", name, status, line.requests.Load(), target.requests.Load())
			}
		}
	}
}

func TestTokenRequestIsNeverRedirected(t *testing.T) {
	var secretSeen atomic.Bool
	target := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		secretSeen.Store(r.PostForm.Get("client_secret") != "")
		writeJSON(w, 200, map[string]any{"access_token": "stolen", "expires_in": 900})
	})
	line := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c := line.client(t, fastBackoff, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, testChannelSecret
	})
	_, err := c.GroupSummary(context.Background(), groupID)
	var redirErr *RedirectError
	var tokenErr *TokenError
	if !errors.As(err, &redirErr) || !errors.As(err, &tokenErr) || redirErr.StatusCode != 307 {
		t.Fatalf("err = %v, want a *TokenError with a *RedirectError", err)
	}
	if target.requests.Load() != 0 || secretSeen.Load() {
		t.Fatal("the token form reached the redirect's target")
	}
	if line.requests.Load() != 1 || line.paths[0] != "POST /oauth2/v3/token" {
		t.Fatalf("requests to LINE: %v, want the one token request", line.paths)
	}
}

func TestUserAgentPrecedesTheSDKs(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		mu.Unlock()
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	const ua = "terraform-provider-line/1.2.3 (+https://registry.terraform.io/providers/tf-line/line) Terraform/1.11.4"
	// The SDK's own token, as it sends it without ours.
	if _, err := f.client(t).MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client(t, func(c *Config) { c.UserAgent = ua }).MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	sdk := agents[0]
	if !strings.HasPrefix(sdk, "LINE-BotSDK-Go/") || strings.Contains(sdk, " ") {
		t.Fatalf("the SDK sends User-Agent %q, want its one product token", sdk)
	}
	if agents[1] != ua+" "+sdk {
		t.Fatalf("User-Agent = %q, want %q", agents[1], ua+" "+sdk)
	}
}

// Every waiter of a failing issuance gets its failure, which costs max_retries+1 requests,
// whatever the parallelism.
func TestFailingTokenEndpointIsAskedOncePerIssuance(t *testing.T) {
	for name, hang := range map[string]bool{"500": false, "hang": true} {
		t.Run(name, func(t *testing.T) {
			release := make(chan struct{})
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/oauth2/v3/token" {
					t.Errorf("unexpected %s without a token", r.URL.Path)
					return
				}
				if hang {
					select {
					case <-r.Context().Done():
					case <-release:
					}
					return
				}
				writeJSON(w, 500, map[string]string{"message": "Internal server error"})
			})
			defer close(release)
			c := f.client(t, fastBackoff, func(c *Config) {
				c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, testChannelSecret
				c.MaxRetries, c.RequestTimeout = 1, 200*time.Millisecond
			})
			start := time.Now()
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
					defer cancel()
					_, err := c.MemberCount(ctx, GroupChat(groupID))
					var tokenErr *TokenError
					if !errors.As(err, &tokenErr) || tokenErr.Refused || errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("read %d: err = %v, want the issuance's failure", i, err)
					}
				}()
			}
			wg.Wait()
			if got := f.requests.Load(); got != 2 {
				t.Fatalf("%d token requests for 20 concurrent reads with max_retries 1, want 2", got)
			}
			// Two attempts of at most 200ms each: generous, far below a wait per reader. A
			// hung endpoint is waited for 200ms per attempt, no less.
			least := time.Duration(0)
			if hang {
				least = 2 * 200 * time.Millisecond
			}
			if elapsed := time.Since(start); elapsed < least || elapsed > 10*time.Second {
				t.Fatalf("failed after %s, want between %s and 10s", elapsed, least)
			}
		})
	}
}

// A waiter gives up at its own deadline; the issuance goes on for the others.
func TestTokenWaitersHonourTheirOwnContexts(t *testing.T) {
	gate := make(chan struct{})
	var issued atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v3/token" {
			issued.Add(1)
			<-gate
			writeJSON(w, 200, map[string]any{"access_token": "issued-1", "expires_in": 900})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 5})
	})
	c := f.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, testChannelSecret
		c.RequestTimeout = time.Minute
	})
	// The first caller starts the issuance and goes away.
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	patient := make(chan error, 1)
	go func() {
		for issued.Load() < 1 {
			time.Sleep(time.Millisecond)
		}
		_, err := c.MemberCount(context.Background(), RoomChat(roomID))
		patient <- err
	}()
	start := time.Now()
	_, err := c.MemberCount(short, GroupChat(groupID))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the short caller's deadline", err)
	}
	// Its 100ms deadline (made just before start), no less: the issuance was still going on.
	if elapsed := time.Since(start); elapsed < 90*time.Millisecond || elapsed > 30*time.Second {
		t.Fatalf("the short caller waited %s, want its 100ms deadline", elapsed)
	}
	close(gate)
	if err := <-patient; err != nil {
		t.Fatalf("the patient caller: %v, want the token the issuance got after the first caller left", err)
	}
	if issued.Load() != 1 {
		t.Fatalf("%d token requests, want 1", issued.Load())
	}
}

func TestTokenEndpointRateLimitIsRetried(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v3/token" {
			if n.Add(1) <= 3 {
				writeJSON(w, 429, map[string]string{"message": msgRateLimited})
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": "issued-1", "expires_in": 900})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 5})
	})
	c := f.client(t, fastBackoff, newFixedPacer(), func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.MaxRetries = "", testChannelID, testChannelSecret, 0
	})
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 4 {
		t.Fatalf("%d token requests, want 4", n.Load())
	}
}

func TestTokenErrorNamesTheOperationOnce(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "Invalid 'client_credentials'."})
	})
	c := f.client(t, func(c *Config) { c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, "wrong" })
	_, err := c.BotInfo(context.Background())
	if err == nil || strings.Count(strings.ToLower(err.Error()), "channel access token") != 1 {
		t.Fatalf("error %q, want the operation named once", err)
	}
}

func TestMemberProfilesOfAChatTheBotLeft(t *testing.T) {
	ids := []string{userID, "U0123456789abcdef0123456789abcdee"}
	for name, botThere := range map[string]bool{"bot removed": false, "bot still there": true} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/summary") && botThere {
					writeJSON(w, 200, map[string]string{"groupId": groupID, "groupName": "Ops"})
					return
				}
				writeJSON(w, 404, map[string]string{"message": "Not found"})
			})
			profiles, skipped, err := f.client(t).MemberProfiles(context.Background(), GroupChat(groupID), ids, 2)
			if botThere {
				if err != nil || len(profiles) != 0 || len(skipped) != 2 {
					t.Fatalf("profiles %v, skipped %v, err %v; want every member skipped", profiles, skipped, err)
				}
			} else {
				var apiErr *APIError
				if !IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Operation != "get group chat summary" ||
					!strings.Contains(err.Error(), "the bot is not in group chat "+groupID) {
					t.Fatalf("err = %v, want the membership check's 404", err)
				}
			}
			if got := f.requests.Load(); got != 3 {
				t.Fatalf("%d requests, want 2 profiles and 1 membership check", got)
			}
		})
	}
}

// A plain SDK client (no lineclient) proves that the fake redirect server really redirects:
// Go's default client follows it to the target.
func TestRedirectServerRedirectsForOtherClients(t *testing.T) {
	line, target := redirectingLINE(t, http.StatusTemporaryRedirect)
	api, err := messaging_api.NewMessagingApiAPI(testToken, messaging_api.WithEndpoint(line.URL),
		messaging_api.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetGroupMemberCount(groupID); err != nil {
		t.Fatal(err)
	}
	if target.requests.Load() != 1 {
		t.Fatalf("%d requests reached the target, want 1", target.requests.Load())
	}
}
