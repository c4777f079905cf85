package lineclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
)

func TestTextLengthCountsUTF16CodeUnits(t *testing.T) {
	for text, want := range map[string]int{
		"":                 0,
		"deploy done":      11,
		"デプロイ完了":           6,  // BMP: one unit each, though three UTF-8 bytes
		"🚀":                2,  // outside the BMP: a surrogate pair
		"ok 👍🏽":            7,  // thumbs up and a skin tone modifier, two units each
		"line1\r\nline2":   12, // \r\n is two
		"\xff":             1,  // invalid UTF-8 goes out as U+FFFD
		"$ is just a char": 16,
	} {
		if got := TextLength(text); got != want {
			t.Errorf("TextLength(%q) = %d, want %d", text, got, want)
		}
	}
}

// pushRecorder is a fake push endpoint that records each request's retry key and body.
type pushRecorder struct {
	mu     sync.Mutex
	keys   []string
	bodies []map[string]any
}

func (p *pushRecorder) record(t *testing.T, r *http.Request) int {
	t.Helper()
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Errorf("push body: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, r.Header.Get("X-Line-Retry-Key"))
	p.bodies = append(p.bodies, body)
	return len(p.keys)
}

func TestPushSendsOneTextMessageWithARetryKey(t *testing.T) {
	rec := &pushRecorder{}
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(t, r)
		writeJSON(w, 200, map[string]any{"sentMessages": []map[string]string{{"id": "461230966842064897", "quoteToken": "q"}}})
	})
	got, err := f.client(t).Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "deploy 🚀", NotificationDisabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.paths[0] != "POST /v2/bot/message/push" {
		t.Fatalf("request = %s", f.paths[0])
	}
	body := rec.bodies[0]
	if body["to"] != groupID || body["notificationDisabled"] != true {
		t.Errorf("body = %v", body)
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) != 1 {
		t.Fatalf("messages = %v, want one", body["messages"])
	}
	if msg, _ := msgs[0].(map[string]any); msg["type"] != "text" || msg["text"] != "deploy 🚀" {
		t.Errorf("message = %v, want a text message", msgs[0])
	}
	if _, err := uuid.Parse(rec.keys[0]); err != nil || got.RetryKey != rec.keys[0] {
		t.Errorf("X-Line-Retry-Key = %q, result's %q: want the same UUID", rec.keys[0], got.RetryKey)
	}
	if got.AlreadyAccepted || got.RequestID != "req-/v2/bot/message/push" || got.AcceptedRequestID != got.RequestID ||
		len(got.MessageIDs) != 1 || got.MessageIDs[0] != "461230966842064897" {
		t.Errorf("result = %+v", got)
	}
}

func TestPushEachCallHasItsOwnRetryKey(t *testing.T) {
	rec := &pushRecorder{}
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(t, r)
		writeJSON(w, 200, map[string]any{"sentMessages": []map[string]string{{"id": "1"}}})
	})
	c := f.client(t)
	for range 2 {
		if _, err := c.Push(context.Background(), Push{Chat: RoomChat(roomID), Text: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	if rec.keys[0] == rec.keys[1] {
		t.Fatalf("two pushes shared the retry key %s", rec.keys[0])
	}
}

// TestPushWhoseAnswerWasLostPostsOnce: LINE accepts the first attempt but its answer is a
// 500; the retry carries the same key, LINE answers 409, and that counts as delivered.
func TestPushWhoseAnswerWasLostPostsOnce(t *testing.T) {
	rec := &pushRecorder{}
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.record(t, r) == 1 {
			writeJSON(w, 500, map[string]string{"message": "Internal server error"})
			return
		}
		w.Header().Set("X-Line-Accepted-Request-Id", "req-accepted")
		writeJSON(w, 409, map[string]any{"message": "The retry key is already accepted",
			"sentMessages": []map[string]string{{"id": "42", "quoteToken": "q"}}})
	})
	got, err := f.client(t).Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "once"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.keys) != 2 || rec.keys[0] != rec.keys[1] || rec.keys[0] == "" {
		t.Fatalf("retry keys = %q, want two equal keys", rec.keys)
	}
	if !got.AlreadyAccepted || got.AcceptedRequestID != "req-accepted" || len(got.MessageIDs) != 1 || got.MessageIDs[0] != "42" {
		t.Fatalf("result = %+v, want the accepted request's receipt", got)
	}
}

func TestPushRefusesBadInputBeforeAnyRequest(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]any{}) })
	c := f.client(t)
	for name, p := range map[string]Push{
		"group ID":       {Chat: GroupChat("C1/../../info"), Text: "x"},
		"room as group":  {Chat: GroupChat(roomID), Text: "x"},
		"user as a chat": {Chat: RoomChat(userID), Text: "x"},
		"empty text":     {Chat: GroupChat(groupID), Text: ""},
		"5,001 units":    {Chat: GroupChat(groupID), Text: strings.Repeat("a", 4999) + "😀"},
	} {
		if _, err := c.Push(context.Background(), p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	var textErr *TextError
	if _, err := c.Push(context.Background(), Push{Chat: GroupChat(groupID), Text: strings.Repeat("😀", 2501)}); !errors.As(err, &textErr) ||
		textErr.Length != 5002 || !strings.Contains(err.Error(), "5002") {
		t.Errorf("long text: %v, want a TextError counting 5002", err)
	}
	if n := f.requests.Load(); n != 0 {
		t.Fatalf("%d requests for bad input, want none", n)
	}
	// Exactly the limit goes out.
	if _, err := c.Push(context.Background(), Push{Chat: GroupChat(groupID), Text: strings.Repeat("😀", 2500)}); err != nil {
		t.Fatalf("5,000 units: %v", err)
	}
}

func TestPushErrorsLINEGivesMeaning(t *testing.T) {
	for _, tc := range []struct {
		name             string
		status           int
		message          string
		notInChat, limit bool
	}{
		{"bot not in chat", 400, "Failed to send messages", true, false},
		{"monthly limit", 429, "You have reached your monthly limit.", false, true},
		{"schema error", 400, "The request body has 1 error(s)", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) {
				writeJSON(w, tc.status, map[string]string{"message": tc.message})
			})
			// Three retries allowed, none made: each of these answers is final.
			_, err := f.client(t).Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "x"})
			if n := f.requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Message != tc.message {
				t.Fatalf("err = %v", err)
			}
			if IsNotInChat(err) != tc.notInChat || IsMonthlyLimit(err) != tc.limit {
				t.Fatalf("IsNotInChat = %v, IsMonthlyLimit = %v", IsNotInChat(err), IsMonthlyLimit(err))
			}
			if !strings.Contains(err.Error(), "push a message to group chat "+groupID) {
				t.Fatalf("err = %v, want the chat named", err)
			}
		})
	}
}

// The rate limit's 429 is not the monthly limit: waiting fixes it, so the client retries it.
func TestRateLimitIsNotTheMonthlyLimit(t *testing.T) {
	err := &APIError{StatusCode: 429, Message: "The API rate limit has been exceeded. Try again later."}
	if IsMonthlyLimit(err) || !IsRateLimited(err) {
		t.Fatalf("IsMonthlyLimit = %v, IsRateLimited = %v", IsMonthlyLimit(err), IsRateLimited(err))
	}
}

func TestMessageQuota(t *testing.T) {
	for _, tc := range []struct {
		name  string
		quota map[string]any
		want  Quota
	}{
		{"limited", map[string]any{"type": "limited", "value": 1000}, Quota{Limited: true, Limit: 1000, Used: 37}},
		{"unlimited, value absent", map[string]any{"type": "none"}, Quota{Used: 37}},
		{"unlimited, value ignored", map[string]any{"type": "none", "value": 5}, Quota{Used: 37}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/v2/bot/message/quota":
					writeJSON(w, 200, tc.quota)
				case "/v2/bot/message/quota/consumption":
					writeJSON(w, 200, map[string]any{"totalUsage": 37})
				default:
					t.Errorf("unexpected %s", r.URL.Path)
				}
			})
			got, err := f.client(t).MessageQuota(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("quota = %+v, want %+v", got, tc.want)
			}
			if n := f.requests.Load(); n != 2 {
				t.Fatalf("%d requests, want 2", n)
			}
		})
	}
}

func TestMessageQuotaFailsWhenEitherReadFails(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/bot/message/quota/consumption" {
			writeJSON(w, 401, map[string]string{"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
			return
		}
		writeJSON(w, 200, map[string]any{"type": "none"})
	})
	_, err := f.client(t).MessageQuota(context.Background())
	if !hasStatus(err, http.StatusUnauthorized) || !strings.Contains(err.Error(), "quota consumption") {
		t.Fatalf("err = %v, want the consumption read's 401", err)
	}
}
