package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testSecret = "8c9a2f1e4b7d6a3c5e0f1a2b3c4d5e6f"
	groupID    = "C0c500000000000000000000000000001"
	roomID     = "R400b0000000000000000000000000001"
	userA      = "U1a2b3c4d5e6f708192a3b4c5d6e7f8091"
	userB      = "U2b3c4d5e6f708192a3b4c5d6e7f809102"
)

// sign computes X-Line-Signature as LINE does: HMAC-SHA256 of the body with the channel
// secret as key, in base64. Written here from LINE's description, not taken from the SDK.
func sign(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// callback wraps events in the body LINE posts.
func callback(events ...string) string {
	return `{"destination":"U0000000000000000000000000000b0t1","events":[` + strings.Join(events, ",") + `]}`
}

// event is one webhook event of the given type and source, in LINE's form.
func event(typ, source, extra string) string {
	e := `{"type":"` + typ + `","mode":"active","timestamp":1700000000000,"source":` + source +
		`,"webhookEventId":"01HZ0000000000000000000000","deliveryContext":{"isRedelivery":false}`
	if extra != "" {
		e += "," + extra
	}
	return e + "}"
}

func groupSource(user string) string {
	if user == "" {
		return `{"type":"group","groupId":"` + groupID + `"}`
	}
	return `{"type":"group","groupId":"` + groupID + `","userId":"` + user + `"}`
}

const replyToken = `"replyToken":"b60d432864f44d079f6d8efe86cf404b"`

var textMessage = replyToken + `,"message":{"id":"325708","type":"text","quoteToken":"q3Plxr4AgKd","text":"hello"}`

// syncBuffer is a bytes.Buffer safe to write from the handler and read from the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// post sends body to h with the given signature and returns the status.
func post(t *testing.T, h http.Handler, body, signature string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("X-Line-Signature", signature)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// Each signed event prints one line: type, chat kind and ID, and the user when LINE names one.
func TestSignedEventsPrintTheirIDs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		event string
		want  string
	}{
		{"join", event("join", groupSource(""), replyToken), "join         group " + groupID},
		{"leave", event("leave", groupSource(""), ""), "leave        group " + groupID},
		{"message in a group", event("message", groupSource(userA), textMessage),
			"message      group " + groupID + " user " + userA},
		{"message in a room", event("message", `{"type":"room","roomId":"`+roomID+`","userId":"`+userA+`"}`, textMessage),
			"message      room  " + roomID + " user " + userA},
		{"join of a room", event("join", `{"type":"room","roomId":"`+roomID+`"}`, replyToken), "join         room  " + roomID},
		{"members joined", event("memberJoined", groupSource(""),
			replyToken+`,"joined":{"members":[{"type":"user","userId":"`+userA+`"},{"type":"user","userId":"`+userB+`"}]}`),
			"memberJoined group " + groupID + " user " + userA + " " + userB},
		{"member left", event("memberLeft", groupSource(""), `"left":{"members":[{"type":"user","userId":"`+userB+`"}]}`),
			"memberLeft   group " + groupID + " user " + userB},
		{"follow", event("follow", `{"type":"user","userId":"`+userA+`"}`, replyToken+`,"follow":{"isUnblocked":false}`),
			"follow       user  " + userA},
		{"unfollow", event("unfollow", `{"type":"user","userId":"`+userA+`"}`, ""), "unfollow     user  " + userA},
		{"an event type the SDK does not know", event("somethingNew", groupSource(userA), ""),
			"somethingNew group " + groupID + " user " + userA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, diag syncBuffer
			h := newHandler(testSecret, &out, &diag)
			body := callback(tc.event)
			if code := post(t, h, body, sign(testSecret, body)); code != http.StatusOK {
				t.Fatalf("status %d, want 200; stderr: %s", code, diag.String())
			}
			if got := out.String(); got != tc.want+"\n" {
				t.Errorf("printed %q, want %q", got, tc.want+"\n")
			}
		})
	}
}

// A post with several events prints them in LINE's order; the console's Verify button (no
// events) gets 200 and prints nothing.
func TestSeveralEventsAndNone(t *testing.T) {
	var out, diag syncBuffer
	h := newHandler(testSecret, &out, &diag)
	body := callback(event("join", groupSource(""), replyToken), event("message", groupSource(userA), textMessage))
	if code := post(t, h, body, sign(testSecret, body)); code != http.StatusOK {
		t.Fatalf("status %d, want 200", code)
	}
	want := "join         group " + groupID + "\nmessage      group " + groupID + " user " + userA + "\n"
	if out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	empty := callback()
	before := out.String()
	if code := post(t, h, empty, sign(testSecret, empty)); code != http.StatusOK {
		t.Fatalf("verification post: status %d, want 200", code)
	}
	if out.String() != before {
		t.Errorf("a post without events printed %q", strings.TrimPrefix(out.String(), before))
	}
}

// A post whose signature does not verify is refused with 400 and prints nothing on standard
// output: signed with another secret, over another body, malformed, or missing.
func TestUnverifiedPostsAreRefused(t *testing.T) {
	body := callback(event("join", groupSource(""), replyToken))
	for _, tc := range []struct{ name, signature string }{
		{"another secret", sign("0123456789abcdef0123456789abcdef", body)},
		{"another body", sign(testSecret, body+" ")},
		{"not base64", "not a signature!"},
		{"missing", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, diag syncBuffer
			h := newHandler(testSecret, &out, &diag)
			if code := post(t, h, body, tc.signature); code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", code)
			}
			if out.String() != "" {
				t.Errorf("printed %q for an unverified post", out.String())
			}
			if !strings.Contains(diag.String(), "X-Line-Signature does not verify with LINE_CHANNEL_SECRET") {
				t.Errorf("stderr does not say why: %q", diag.String())
			}
		})
	}
}

// A signed body that is not a webhook request, and methods other than POST, are refused too.
func TestOtherBadRequests(t *testing.T) {
	var out, diag syncBuffer
	h := newHandler(testSecret, &out, &diag)
	bad := `{"events":[{"type":`
	if code := post(t, h, bad, sign(testSecret, bad)); code != http.StatusBadRequest {
		t.Errorf("malformed body: status %d, want 400", code)
	}
	if strings.Contains(diag.String(), bad) {
		t.Errorf("stderr quotes the body: %q", diag.String())
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/callback", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != http.MethodPost {
		t.Errorf("GET: status %d, Allow %q; want 405, POST", rec.Code, rec.Header().Get("Allow"))
	}
	huge := callback(event("message", groupSource(userA), replyToken+`,"message":{"id":"1","type":"text","quoteToken":"q","text":"`+
		strings.Repeat("x", maxBody)+`"}`))
	if code := post(t, h, huge, sign(testSecret, huge)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", code)
	}
	if out.String() != "" {
		t.Errorf("printed %q", out.String())
	}
}

// Without LINE_CHANNEL_SECRET the command says what to set and exits 2, before listening.
func TestMissingSecret(t *testing.T) {
	var stdout, stderr syncBuffer
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0"}, func(string) string { return "" }, &stdout, &stderr)
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "LINE_CHANNEL_SECRET is not set") || strings.Contains(stderr.String(), "listening") {
		t.Errorf("stderr = %q, want the missing secret named and no listener", stderr.String())
	}
	if stdout.String() != "" {
		t.Errorf("stdout = %q", stdout.String())
	}
	if code := run(context.Background(), []string{"extra"}, func(string) string { return testSecret }, &stdout, &stderr); code != 2 {
		t.Errorf("an extra argument: exit code %d, want 2", code)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

var listeningLine = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[0-9]+)$`)

// The command as a whole: it listens on -addr, prints a join event LINE posts, and stops on
// its context (SIGINT or SIGTERM) with exit code 0.
func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout syncBuffer
	printed := make(chan struct{}, 1)
	out := writerFunc(func(p []byte) (int, error) {
		n, err := stdout.Write(p)
		select {
		case printed <- struct{}{}:
		default:
		}
		return n, err
	})
	errR, errW := io.Pipe()
	done := make(chan int, 1)
	getenv := func(name string) string {
		if name == envSecret {
			return testSecret
		}
		return ""
	}
	go func() {
		code := run(ctx, []string{"-addr", "127.0.0.1:0"}, getenv, out, errW)
		errW.Close()
		done <- code
	}()
	lines := bufio.NewScanner(errR)
	if !lines.Scan() {
		t.Fatal("no output on stderr")
	}
	m := listeningLine.FindStringSubmatch(lines.Text())
	if m == nil {
		t.Fatalf("first stderr line %q, want listening on http://127.0.0.1:PORT", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, errR) }()

	body := callback(event("join", groupSource(""), replyToken))
	req, err := http.NewRequest(http.MethodPost, m[1]+"/callback", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Line-Signature", sign(testSecret, body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	// The answer leaves at the handler's flush, before it prints: wait for the line.
	select {
	case <-printed:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing printed within 10s of LINE's post")
	}
	if got, want := stdout.String(), "join         group "+groupID+"\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d after stop, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("lineids did not stop within 10s of its context ending")
	}
}
