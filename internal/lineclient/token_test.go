package lineclient

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testChannelID     = "1650000001"
	testChannelSecret = "s3cr3t-channel-secret"
)

// tokenLINE issues stateless tokens ("issued-1", "issued-2", …) for the right channel and
// accepts only the newest on the Messaging API.
type tokenLINE struct {
	*fakeLINE
	issued atomic.Int32
}

func newTokenLINE(t *testing.T) *tokenLINE {
	l := &tokenLINE{}
	l.fakeLINE = newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v3/token" {
			_ = r.ParseForm()
			if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != testChannelID ||
				r.PostForm.Get("client_secret") != testChannelSecret {
				writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "Invalid 'client_credentials'."})
				return
			}
			n := l.issued.Add(1)
			writeJSON(w, 200, map[string]any{"token_type": "Bearer", "access_token": "issued-" + strconv.Itoa(int(n)), "expires_in": 900})
			return
		}
		if r.Header.Get("Authorization") != "Bearer issued-"+strconv.Itoa(int(l.issued.Load())) {
			writeJSON(w, 401, map[string]string{"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
			return
		}
		writeJSON(w, 200, map[string]int{"count": 2})
	})
	return l
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

func TestStatelessTokenRenewedBeforeExpiry(t *testing.T) {
	l := newTokenLINE(t)
	clock := &testClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret, c.Now = "", testChannelID, testChannelSecret, clock.Now
	})
	call := func() {
		t.Helper()
		if _, err := c.MemberCount(context.Background(), GroupChat(groupID)); err != nil {
			t.Fatal(err)
		}
	}
	call()
	clock.Advance(10 * time.Minute) // 5 minutes left: still used
	call()
	if l.issued.Load() != 1 {
		t.Fatalf("%d tokens issued within the first 10 minutes, want 1", l.issued.Load())
	}
	clock.Advance(4 * time.Minute) // 1 minute left: renewed first
	call()
	if l.issued.Load() != 2 {
		t.Fatalf("%d tokens issued after 14 minutes, want 2", l.issued.Load())
	}
	clock.Advance(time.Hour)
	call()
	if l.issued.Load() != 3 {
		t.Fatalf("%d tokens issued after expiry, want 3", l.issued.Load())
	}
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
