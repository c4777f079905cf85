package lineclient

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	testChannelID     = "1650000001"
	testChannelSecret = "s3cr3t-channel-secret"
)

// tokenLINE issues stateless tokens ("issued-1", "issued-2", …) for the right channel and
// accepts every one it issued and did not revoke, recording the token of each API request.
type tokenLINE struct {
	*fakeLINE
	issued atomic.Int32

	mu      sync.Mutex
	revoked map[string]bool
	used    []string // the bearer token of each Messaging API request, in order
	// gate, when set, holds the token endpoint's answers until it is closed (or the request
	// ends): a renewal in flight while a call is answered.
	gate chan struct{}
	// lifetime is each token's expires_in in seconds (900 when 0); fail makes the token
	// endpoint answer 500.
	lifetime int
	fail     bool
}

func newTokenLINE(t *testing.T) *tokenLINE {
	l := &tokenLINE{revoked: map[string]bool{}}
	l.fakeLINE = newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v3/token" {
			_ = r.ParseForm()
			if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != testChannelID ||
				r.PostForm.Get("client_secret") != testChannelSecret {
				writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "Invalid 'client_credentials'."})
				return
			}
			l.mu.Lock()
			gate, lifetime, fail := l.gate, cmp.Or(l.lifetime, 900), l.fail
			l.mu.Unlock()
			if fail {
				writeJSON(w, 500, map[string]string{"message": "Internal server error"})
				return
			}
			if gate != nil {
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
			n := l.issued.Add(1)
			writeJSON(w, 200, map[string]any{"token_type": "Bearer", "access_token": "issued-" + strconv.Itoa(int(n)), "expires_in": lifetime})
			return
		}
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		l.mu.Lock()
		l.used = append(l.used, token)
		revoked := l.revoked[token]
		l.mu.Unlock()
		n, err := strconv.Atoi(strings.TrimPrefix(token, "issued-"))
		if err != nil || n < 1 || n > int(l.issued.Load()) || revoked {
			writeJSON(w, 401, map[string]string{"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 2})
	})
	return l
}

// set changes the token endpoint's behaviour under the lock.
func (l *tokenLINE) set(f func(l *tokenLINE)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f(l)
}

func (l *tokenLINE) revoke(token string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.revoked[token] = true
}

// holdTokens holds the token endpoint's answers until the function it returns is called, or
// the test ends.
func (l *tokenLINE) holdTokens(t *testing.T) (release func()) {
	gate := make(chan struct{})
	l.mu.Lock()
	l.gate = gate
	l.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			l.mu.Lock()
			l.gate = nil
			l.mu.Unlock()
			close(gate)
		})
	}
	t.Cleanup(release) // before the server closes, which waits for the held answers
	return release
}

// calls is how many Messaging API requests LINE received.
func (l *tokenLINE) calls() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.used)
}

func (l *tokenLINE) lastUsed() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used[len(l.used)-1]
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestStatelessTokenIssuedOnceForConcurrentCalls(t *testing.T) {
	l := newTokenLINE(t)
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, testChannelSecret
	})
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if l.issued.Load() != 1 {
		t.Fatalf("%d tokens issued for 32 concurrent calls, want 1", l.issued.Load())
	}
}

// An issued token is fresh until shortly before its end, then renewed in the background while
// it is still served, and no longer served with request_timeout of life or less.
func TestStatelessTokenFreshRenewingExpired(t *testing.T) {
	l := newTokenLINE(t)
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.Now = "", testChannelID, testChannelSecret, clock.Now
		c.RequestTimeout = 30 * time.Second
	})
	call := func(advance time.Duration) {
		t.Helper()
		clock.Advance(advance)
		// A call is answered at once; the deadline fails one that waits for a held renewal.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
			t.Fatal(err)
		}
	}
	check := func(advance time.Duration, wantUsed string, wantIssued int32) {
		t.Helper()
		if used, issued := l.lastUsed(), l.issued.Load(); used != wantUsed || issued != wantIssued {
			t.Fatalf("after %s more: the call used %s with %d tokens issued; want %s and %d", advance, used, issued, wantUsed, wantIssued)
		}
	}
	step := func(advance time.Duration, wantUsed string, wantIssued int32) {
		t.Helper()
		call(advance)
		c.issuer.settleRenewal()
		check(advance, wantUsed, wantIssued)
	}
	step(0, "issued-1", 1)
	// Fresh until 15m - 30s (request_timeout) - 2m (renewal).
	step(12*time.Minute+29*time.Second, "issued-1", 1)
	// Renewing: still served while a new one is issued beside the call. LINE's answer to the
	// renewal is held until the call has been answered, so that the call cannot have used it.
	release := l.holdTokens(t)
	call(2 * time.Second)
	check(2*time.Second, "issued-1", 1)
	release()
	c.issuer.settleRenewal()
	check(0, "issued-1", 2)
	step(0, "issued-2", 2)
	// The new one is fresh for its own 12m30s.
	step(12*time.Minute+29*time.Second, "issued-2", 2)
	// Expired: 30s of life left is request_timeout's worth, too little to be served.
	step(2*time.Minute+time.Second, "issued-3", 3)
	// Past its end altogether.
	step(time.Hour, "issued-4", 4)
}

func TestWrongSecretFailsAfterOneTokenRequest(t *testing.T) {
	l := newTokenLINE(t)
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, "wrong"
	})
	for range 3 {
		_, err := c.BotInfo(context.Background())
		var tokenErr *TokenError
		if !errors.As(err, &tokenErr) || !tokenErr.Refused {
			t.Fatalf("err = %v, want a refused *TokenError", err)
		}
		if !strings.Contains(err.Error(), "Invalid 'client_credentials'.") {
			t.Fatalf("error %q lacks LINE's error_description", err)
		}
	}
	if got := l.requests.Load(); got != 1 {
		t.Fatalf("%d requests, want exactly one token request", got)
	}
}

func TestAccessTokenWinsOverChannelCredentials(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v3/token" {
			t.Error("a token was issued although an access token is configured")
		}
		writeJSON(w, 200, map[string]int{"count": 1})
	})
	c := f.client(t, func(c *Config) { c.ChannelID, c.ChannelSecret = testChannelID, testChannelSecret })
	if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
}

func TestNoCredentialsIsAnErrorAtUse(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatalf("New without credentials: %v; want credentials checked at use", err)
	}
	_, err = c.BotInfo(context.Background())
	var missing *MissingCredentialsError
	if !errors.As(err, &missing) {
		t.Fatalf("err = %v, want *MissingCredentialsError", err)
	}
}

// A long-lived channel access token is never "replaced": LINE's 401 to it is final, after
// one request.
func TestLongLivedTokenIsNeverReplaced(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]string{"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
	})
	c := f.client(t, func(c *Config) { c.ChannelID, c.ChannelSecret = testChannelID, testChannelSecret })
	_, err := c.MemberCount(context.Background(), GroupChat(groupID))
	if !hasStatus(err, http.StatusUnauthorized) || f.requests.Load() != 1 || !slices.Equal(f.paths, []string{"GET /v2/bot/group/" + groupID + "/members/count"}) {
		t.Fatalf("err = %v after %v, want LINE's 401 after the one request", err, f.paths)
	}
}

// LINE's 401 to an issued token replaces it once: a new token, and the same request again. A
// second 401 is final.
func TestRejectedIssuedTokenIsReplacedOnce(t *testing.T) {
	l := newTokenLINE(t)
	c := l.client(t, func(c *Config) { c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, testChannelSecret })
	count := func() error { _, err := c.MemberCount(context.Background(), GroupChat(groupID)); return err }
	if err := count(); err != nil {
		t.Fatal(err)
	}
	l.revoke("issued-1")
	if err := count(); err != nil {
		t.Fatalf("a revoked token: %v, want it replaced", err)
	}
	if l.issued.Load() != 2 || !slices.Equal(l.used, []string{"issued-1", "issued-1", "issued-2"}) {
		t.Fatalf("%d tokens, used %v; want issued-1 refused once, then issued-2", l.issued.Load(), l.used)
	}
	// LINE refuses every token from now on: one replacement, then the 401 is final.
	l.revoke("issued-2")
	l.revoke("issued-3")
	err := count()
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Attempts != 2 {
		t.Fatalf("err = %v, want the second 401 after 2 attempts", err)
	}
	if l.issued.Load() != 3 || !slices.Equal(l.used[3:], []string{"issued-2", "issued-3"}) {
		t.Fatalf("%d tokens, used %v; want one more token and no third attempt", l.issued.Load(), l.used)
	}
}

// A short-lived token is renewed in the last third of its life before request_timeout, not
// from its first use: a lifetime of 2 minutes with request_timeout 30s is fresh for 50s.
func TestShortLivedTokenIsFreshForTwoThirdsOfItsLife(t *testing.T) {
	l := newTokenLINE(t)
	l.set(func(l *tokenLINE) { l.lifetime = 120 })
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.Now = "", testChannelID, testChannelSecret, clock.Now
		c.RequestTimeout = 30 * time.Second
	})
	for _, step := range []struct {
		advance time.Duration
		issued  int32
	}{{0, 1}, {49 * time.Second, 1}, {time.Second, 2}} {
		clock.Advance(step.advance)
		if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
			t.Fatal(err)
		}
		c.issuer.settleRenewal()
		if got := l.issued.Load(); got != step.issued {
			t.Fatalf("%s after the first call: %d tokens issued, want %d (renewal from 120s - 30s - 40s = 50s)",
				clock.Now().Sub(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)), got, step.issued)
		}
	}
}

// A failed issuance fails the call before it queues in the pacer: no ticket is taken for an
// attempt that has no token to carry.
func TestFailedIssuanceFailsTheCallBeforeThePacer(t *testing.T) {
	l := newTokenLINE(t)
	l.set(func(l *tokenLINE) { l.fail = true })
	p := &hookPacer{}
	c := l.client(t, p, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.MaxRetries = "", testChannelID, testChannelSecret, 0
	})
	_, err := c.MemberCount(context.Background(), GroupChat(groupID))
	var tokenErr *TokenError
	if !errors.As(err, &tokenErr) || !strings.Contains(err.Error(), "500") {
		t.Fatalf("err = %v, want the token endpoint's 500", err)
	}
	if waits, _, _ := p.recorded(); !slices.Equal(waits, []scope{scopeToken}) {
		t.Fatalf("the pacer was asked for %q, want the token request's scope only", waits)
	}
}

// IssueToken remembers a failed issuance as calls do: asked again within the memory (as long
// as the issuance took, at least a second), it fails at once with the same error; after it,
// it asks LINE again.
func TestIssueTokenRemembersAFailure(t *testing.T) {
	l := newTokenLINE(t)
	l.set(func(l *tokenLINE) { l.fail = true })
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.MaxRetries, c.Now = "", testChannelID, testChannelSecret, 0, clock.Now
	})
	_, first := c.IssueToken(context.Background())
	if first == nil || !strings.Contains(first.Error(), "500") {
		t.Fatalf("err = %v, want the token endpoint's 500", first)
	}
	for _, step := range []struct {
		advance  time.Duration
		requests int32
	}{{0, 1}, {999 * time.Millisecond, 1}, {time.Millisecond, 2}} {
		clock.Advance(step.advance)
		_, err := c.IssueToken(context.Background())
		if err == nil || l.requests.Load() != step.requests || (step.requests == 1 && !errors.Is(err, first)) {
			t.Fatalf("after %s more: err %v with %d token requests; want %d, and the remembered error while it is remembered",
				step.advance, err, l.requests.Load(), step.requests)
		}
	}
}

// A renewal that fails when the token has only request_timeout of life left is the call's
// error: the token is no longer served, so no warning says that it is.
func TestRenewalFailingAtTheMarginIsAnErrorNotAWarning(t *testing.T) {
	l := newTokenLINE(t)
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.MaxRetries, c.Now = "", testChannelID, testChannelSecret, 0, clock.Now
		c.RequestTimeout = 30 * time.Second
	})
	var log bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &log)
	if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	l.set(func(l *tokenLINE) { l.fail = true })
	clock.Advance(15*time.Minute - 30*time.Second) // request_timeout of life left
	_, err := c.MemberCount(ctx, GroupChat(groupID))
	var tokenErr *TokenError
	if used := l.calls(); !errors.As(err, &tokenErr) || used != 1 {
		t.Fatalf("err = %v after %d calls reached LINE, want the renewal's failure and no call with the old token", err, used)
	}
	if warns := warnings(t, &log); len(warns) != 0 {
		t.Fatalf("warnings %v, want none: the token is not served any more", warns)
	}
}

// LINE's expires_in is taken as it comes up to 24 hours (its stateless tokens live 15
// minutes), as 24 hours beyond, and is an error when not positive: a token that claims to
// live for decades is renewed within a day, and one without a lifetime is refused.
func TestIssuedTokenLifetimeIsClamped(t *testing.T) {
	for _, tc := range []struct {
		expiresIn int64
		want      time.Duration // 0: an error
	}{
		{900, 15 * time.Minute},
		{86400, 24 * time.Hour},
		{86401, 24 * time.Hour},
		{math.MaxInt32, 24 * time.Hour},
		{0, 0},
		{-1, 0},
	} {
		t.Run(strconv.FormatInt(tc.expiresIn, 10), func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) {
				writeJSON(w, 200, map[string]any{"token_type": "Bearer", "access_token": "issued", "expires_in": tc.expiresIn})
			})
			clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
			c := f.client(t, func(c *Config) {
				c.AccessToken, c.ChannelID, c.ChannelSecret, c.Now = "", testChannelID, testChannelSecret, clock.Now
			})
			tok, err := c.IssueToken(context.Background())
			switch {
			case tc.want == 0 && (err == nil || !strings.Contains(err.Error(), "LINE answered without a token or lifetime")):
				t.Fatalf("err = %v, want the lifetime refused", err)
			case tc.want != 0 && (err != nil || !tok.ExpiresAt.Equal(clock.Now().Add(tc.want))):
				t.Fatalf("token expires at %s (err %v), want %s from now", tok.ExpiresAt, err, tc.want)
			}
		})
	}
}

// An issuance's bound is every attempt's time, the backoffs between them and the rate limit's
// room; it saturates rather than overflow to a negative bound, and takes no time to compute
// however many retries are allowed.
func TestIssueBoundNeverOverflows(t *testing.T) {
	const forever = time.Duration(math.MaxInt64)
	for _, tc := range []struct {
		name           string
		attemptTimeout time.Duration
		maxRetries     int
		want           time.Duration
	}{
		{"the defaults", 30 * time.Second, 5, 6*30*time.Second + rateLimitRoom + (250+500+1000+2000+4000)*time.Millisecond},
		{"no retries", 30 * time.Second, 0, 30*time.Second + rateLimitRoom},
		{"many retries", time.Second, 100, 101*time.Second + rateLimitRoom +
			(250+500+1000+2000+4000)*time.Millisecond + 95*retryWaitMax},
		{"a huge request_timeout", forever / 2, 3, forever},
		{"the longest request_timeout", forever, 0, forever},
		{"the most retries", 5 * time.Minute, math.MaxInt, forever},
	} {
		if got := issueBound(tc.attemptTimeout, tc.maxRetries, retryWaitMin, retryWaitMax); got != tc.want {
			t.Errorf("%s: bound %s, want %s", tc.name, got, tc.want)
		}
	}
	// Backoffs of 3, 6, then 7 (the most) nanoseconds.
	if got, want := issueBound(time.Second, 3, 3, 7), 4*time.Second+rateLimitRoom+16; got != want {
		t.Errorf("backoffs between 3ns and 7ns: bound %s, want %s", got, want)
	}
	if got := issueBound(time.Second, 5, forever/4, forever/4); got != forever {
		t.Errorf("backoffs of a quarter of forever: bound %s, want %s", got, forever)
	}
	// From the 31st on, a backoff is the most (backoff), even while doubling would stay below.
	if got, want := issueBound(0, 31, 1, 1<<31), rateLimitRoom+(1<<30-1)+1<<31; got != want {
		t.Errorf("31 backoffs from 1ns: bound %d, want %d", got, want)
	}
	// Saturating arithmetic: exact up to the most, the most beyond.
	if got, want := mulSaturating(forever/3, 3), forever/3*3; got != want {
		t.Errorf("mulSaturating(forever/3, 3) = %d, want %d", got, want)
	}
	if got := mulSaturating(forever/3+1, 3); got != forever {
		t.Errorf("mulSaturating(forever/3+1, 3) = %d, want %d", got, forever)
	}
	if got := addSaturating(forever-1, 2); got != forever {
		t.Errorf("addSaturating(forever-1, 2) = %d, want %d", got, forever)
	}
}

// settleRenewal waits for the background renewal in flight, if any: tests move the clock on
// only once it has ended.
func (s *issuer) settleRenewal() {
	s.mu.Lock()
	done := s.renewal
	s.mu.Unlock()
	if done == nil {
		return
	}
	<-done
	s.mu.Lock()
	if s.renewal == done {
		s.renewal = nil
	}
	s.mu.Unlock()
}

// Calls during the renewal window, while the renewal is in flight, start nothing more: not a
// goroutine each (as a waiter on the shared issuance would be), and not another request.
func TestOneRenewalInFlightHoweverManyCalls(t *testing.T) {
	bubble(t, func(t *testing.T) {
		gate := make(chan struct{})
		var issuances atomic.Int32
		w := wireFunc(func(req *http.Request) (*http.Response, error) {
			if req.URL.Path != "/oauth2/v3/token" {
				return jsonAnswer(req, 200, `{"count":1}`), nil
			}
			if issuances.Add(1) > 1 {
				select { // the renewal is held until the test lets it go
				case <-gate:
				case <-req.Context().Done():
					return nil, req.Context().Err()
				}
			}
			return jsonAnswer(req, 200, issuedJSON), nil
		})
		c := testClient(t, Config{ChannelID: testChannelID, ChannelSecret: testChannelSecret, Transport: w}, &hookPacer{})
		ctx := context.Background()
		if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
			t.Fatal(err)
		}
		// Into the renewal window: 15 minutes of life, renewed from 2m30s before the end.
		time.Sleep(15*time.Minute - DefaultRequestTimeout - 2*time.Minute + time.Second)
		if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the renewal is held at the gate
		before := bubbleGoroutines()
		for range 200 {
			if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait() // anything the calls started and ended has exited
		if grew := bubbleGoroutines() - before; grew != 0 {
			t.Errorf("200 calls while the renewal is in flight left %d more goroutines, want none", grew)
		}
		close(gate)
		c.issuer.settleRenewal()
		if n := issuances.Load(); n != 2 {
			t.Fatalf("%d token requests, want the first and one renewal", n)
		}
	})
}

// bubbleGoroutines counts the goroutines of synctest bubbles (of the test running, since no
// test of this package runs in parallel), leaving out the test binary's others, which come
// and go with earlier tests' connections.
func bubbleGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), ", synctest bubble ")
		}
		buf = make([]byte, 2*len(buf))
	}
}
