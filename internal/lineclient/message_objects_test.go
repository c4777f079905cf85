package lineclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestCheckTextV2(t *testing.T) {
	all := map[string]string{"all": MentionAll}
	for _, tc := range []struct {
		name     string
		text     string
		mentions map[string]string
		want     []string // each problem's Error(), in order; nil: accepted
	}{
		{"@All", "{all} the deploy failed", all, nil},
		{"a user, twice, and literal braces", "{oncall} {{ack}} please, {oncall}", map[string]string{"oncall": userID}, nil},
		{"braces around a placeholder", "{{{all}}}", all, nil},
		{"placeholder without a mention", "{all} {oncall}", all, []string{`placeholder {oncall} has no mention`}},
		{"mention not used", "{all}", map[string]string{"all": MentionAll, "oncal": userID}, []string{`mention "oncal" is not used`}},
		{"placeholder key of another form", "{on-call}", map[string]string{"x": MentionAll}, []string{`placeholder {on-call} has a key other than`, `mention "x" is not used`}},
		{"empty placeholder", "{} {x}", map[string]string{"x": MentionAll}, []string{`placeholder {} has a key other than`}},
		{"mention key of another form", "hi", map[string]string{"on call": MentionAll}, []string{`mention "on call" has a key other than`}},
		{"mention key too long", "{" + strings.Repeat("k", 21) + "}", map[string]string{strings.Repeat("k", 21): MentionAll},
			[]string{`mention "` + strings.Repeat("k", 21) + `" has a key other than`, `placeholder {` + strings.Repeat("k", 21) + `} has a key other than`}},
		{"target neither all nor a user", "{a}", map[string]string{"a": "everyone"}, []string{`mention "a" mentions "everyone": give "all" (everyone), or "U" followed by 32`}},
		{"a group as the target", "{a}", map[string]string{"a": groupID}, []string{`mention "a" mentions "` + groupID + `"`}},
		{"unpaired {", "{all} costs {", all, []string{`the text has a '{' at character 13 without a '}' after it`}},
		{"unpaired }", "{all} 🚀 done}", all, []string{`the text has a '}' at character 13 without a '{' before it`}},
		// After an unpaired brace the text is not read further: no mention is called unused.
		{"unpaired { hides the rest", "{all} costs {x", map[string]string{"all": MentionAll, "x": MentionAll}, []string{`the text has a '{' at character 13`}},
		// A '{' opens a placeholder that the next '}' closes, whatever lies between.
		{"a brace inside a placeholder", "{ {all}", all, []string{`placeholder { {all} has a key other than`, `mention "all" is not used`}},
		{"21 placeholders", strings.Repeat("{all}", 21), all, []string{`the text has 21 placeholders: LINE allows at most 20 mentions`}},
		{"20 placeholders", strings.Repeat("{all}", 20), all, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckTextV2(tc.text, tc.mentions)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("CheckTextV2: %v", err)
				}
				return
			}
			var tmplErr *TemplateError
			if !errors.As(err, &tmplErr) || len(tmplErr.Problems) != len(tc.want) {
				t.Fatalf("CheckTextV2 = %v, want %d problems: %q", err, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if got := tmplErr.Problems[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("problem %d = %q, want it to start %q", i, got, w)
				}
			}
		})
	}
	many := map[string]string{}
	var text strings.Builder
	for i := range 21 {
		k := string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		many[k] = MentionAll
		text.WriteString("{" + k + "}")
		if i+1 == MaxMentions {
			if err := CheckTextV2(text.String(), many); err != nil {
				t.Errorf("%d mentions: %v", MaxMentions, err)
			}
		}
	}
	var tmplErr *TemplateError
	if err := CheckTextV2(text.String(), many); !errors.As(err, &tmplErr) ||
		!strings.Contains(err.Error(), "the mentions are 21: LINE allows at most 20") {
		t.Errorf("21 mentions: %v", err)
	}
}

func TestParseMessages(t *testing.T) {
	sticker := `{"type":"sticker","packageId":"446","stickerId":"1988"}`
	for _, tc := range []struct{ in, want string }{
		{`[` + sticker + `]`, ""},
		{" [\n  " + sticker + ",\n  {\"type\":\"text\",\"text\":\"hi\"}\n]\n", ""},
		{`[`, "is not valid JSON: unexpected EOF"},
		{`[{"type":"text",}]`, "is not valid JSON: invalid character '}' looking for beginning of object key string (at byte 17)"},
		{sticker, "is JSON object, not an array of message objects"},
		{`"hello"`, "is JSON string, not an array"},
		{`null`, "is JSON null"},
		{`[]`, "holds 0 message objects: LINE sends 1 to 5 in one push"},
		{`[` + strings.TrimSuffix(strings.Repeat(sticker+",", 6), ",") + `]`, "holds 6 message objects"},
		{`[` + strings.TrimSuffix(strings.Repeat(sticker+",", MaxMessages), ",") + `]`, ""},
		{`[` + sticker + `,"text"]`, "has an element [1] that is not a JSON object"},
		{`[{"text":"hi"}]`, `has an element [0] without a "type"`},
		{`[{"type":""}]`, `has an element [0] without a "type"`},
		{`[` + sticker + `] []`, "holds more than one JSON value"},
		{`[` + sticker + `] {}`, "holds more than one JSON value"},
		{`[` + sticker + `]]`, `has "]" after the array of message objects (at byte 58): give one JSON array`},
		{`[` + sticker + "]\n}", `has "}" after the array of message objects (at byte 59)`},
		{`[` + sticker + `] x`, `has "x" after the array of message objects (at byte 59)`},
		{`[` + sticker + "] \t\r\n", ""},
	} {
		msgs, err := ParseMessages(tc.in)
		if tc.want == "" {
			if err != nil || len(msgs) == 0 {
				t.Errorf("ParseMessages(%q) = %v, %v", tc.in, msgs, err)
			}
			continue
		}
		var msgErr *MessagesError
		if !errors.As(err, &msgErr) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseMessages(%q) error = %v, want it to start %q", tc.in, err, tc.want)
		}
	}
}

func TestPushTextV2WithMentions(t *testing.T) {
	rec := &pushRecorder{}
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(t, r)
		writeJSON(w, 200, map[string]any{"sentMessages": []map[string]string{{"id": "1"}}})
	})
	_, err := f.client(t).Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "{all} {{v2}} failed, {oncall}",
		Mentions: map[string]string{"all": MentionAll, "oncall": userID}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(rec.bodies[0]["messages"])
	want := `[{"substitution":{"all":{"mentionee":{"type":"all"},"type":"mention"},"oncall":{"mentionee":{"type":"user","userId":"` +
		userID + `"},"type":"mention"}},"text":"{all} {{v2}} failed, {oncall}","type":"textV2"}]`
	if string(got) != want {
		t.Errorf("messages = %s\nwant       %s", got, want)
	}
	// Without mentions (nil or empty), the text is a plain text message, braces and all.
	for _, m := range []map[string]string{nil, {}} {
		if _, err := f.client(t).Push(context.Background(), Push{Chat: RoomChat(roomID), Text: "{literal}", Mentions: m}); err != nil {
			t.Fatal(err)
		}
	}
	for _, body := range rec.bodies[1:] {
		if got, _ := json.Marshal(body["messages"]); string(got) != `[{"text":"{literal}","type":"text"}]` {
			t.Errorf("plain text sent as %s", got)
		}
	}
}

func TestPushMessagesAsWritten(t *testing.T) {
	var raw []string
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Messages []json.RawMessage `json:"messages"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		for _, m := range body.Messages {
			raw = append(raw, string(m))
		}
		writeJSON(w, 200, map[string]any{"sentMessages": []map[string]string{{"id": "1"}, {"id": "2"}}})
	})
	msgs, err := ParseMessages(`[
  {"type": "flex", "altText": "Deploy <ok> & done", "contents": {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": []}}, "x-unknown": [1, 2.50]},
  {"type": "sticker", "packageId": "446", "stickerId": "1988"}
]`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.client(t).Push(context.Background(), Push{Chat: GroupChat(groupID), Messages: msgs})
	if err != nil || len(res.MessageIDs) != 2 {
		t.Fatalf("Push = %+v, %v", res, err)
	}
	// The objects as written, down to key order, unknown fields and number forms; only
	// whitespace goes, and the SDK's encoder escapes <, > and & as \u003c, \u003e, \u0026.
	want := []string{
		`{"type":"flex","altText":"Deploy \u003cok\u003e \u0026 done","contents":{"type":"bubble","body":{"type":"box","layout":"vertical","contents":[]}},"x-unknown":[1,2.50]}`,
		`{"type":"sticker","packageId":"446","stickerId":"1988"}`,
	}
	if strings.Join(raw, "\n") != strings.Join(want, "\n") {
		t.Errorf("sent\n%s\nwant\n%s", strings.Join(raw, "\n"), strings.Join(want, "\n"))
	}
}

func TestPushRefusesBadMessagesBeforeAnyRequest(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]any{}) })
	c := f.client(t)
	sticker := json.RawMessage(`{"type":"sticker","packageId":"1","stickerId":"1"}`)
	for name, p := range map[string]Push{
		"unused mention":       {Chat: GroupChat(groupID), Text: "hi", Mentions: map[string]string{"a": MentionAll}},
		"bad target":           {Chat: GroupChat(groupID), Text: "{a}", Mentions: map[string]string{"a": "U1"}},
		"text and messages":    {Chat: GroupChat(groupID), Text: "hi", Messages: []json.RawMessage{sticker}},
		"mentions, messages":   {Chat: GroupChat(groupID), Mentions: map[string]string{"a": MentionAll}, Messages: []json.RawMessage{sticker}},
		"no messages":          {Chat: GroupChat(groupID), Messages: []json.RawMessage{}},
		"six messages":         {Chat: GroupChat(groupID), Messages: []json.RawMessage{sticker, sticker, sticker, sticker, sticker, sticker}},
		"not an object":        {Chat: GroupChat(groupID), Messages: []json.RawMessage{json.RawMessage(`"hi"`)}},
		"neither text nor any": {Chat: GroupChat(groupID)},
		"retry key not a UUID": {Chat: GroupChat(groupID), Text: "hi", RetryKey: "run-42"},
	} {
		if _, err := c.Push(context.Background(), p); err == nil {
			t.Errorf("%s: Push went through", name)
		}
		if p.RetryKey != "" {
			continue // validate takes no retry key
		}
		if err := c.ValidatePush(context.Background(), p); err == nil {
			t.Errorf("%s: ValidatePush went through", name)
		}
	}
	if n := f.requests.Load(); n != 0 {
		t.Fatalf("%d requests for bad input, want none", n)
	}
	// Exactly MaxMessages go out.
	if _, err := c.Push(context.Background(), Push{Chat: GroupChat(groupID), Messages: slices.Repeat([]json.RawMessage{sticker}, MaxMessages)}); err != nil {
		t.Fatalf("%d messages: %v", MaxMessages, err)
	}
}

// A key the caller gives is used on every attempt; LINE's 409 on the very first attempt (an
// earlier call was accepted) is delivered, with the accepted request's ID.
func TestPushWithTheCallersRetryKey(t *testing.T) {
	const key = "3f2b6c1e-8d4a-5b7c-9e0f-1a2b3c4d5e6f"
	rec := &pushRecorder{}
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.record(t, r) == 1 {
			writeJSON(w, 503, map[string]string{"message": "Internal server error"})
			return
		}
		w.Header().Set("X-Line-Accepted-Request-Id", "req-of-yesterday")
		writeJSON(w, 409, map[string]any{"message": "The retry key is already accepted", "sentMessages": []map[string]string{{"id": "7"}}})
	})
	got, err := f.client(t).Push(context.Background(), Push{Chat: GroupChat(groupID), Text: "once", RetryKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.keys) != 2 || rec.keys[0] != key || rec.keys[1] != key {
		t.Errorf("retry keys %q, want %q twice", rec.keys, key)
	}
	if !got.AlreadyAccepted || got.RetryKey != key || got.AcceptedRequestID != "req-of-yesterday" || got.MessageIDs[0] != "7" {
		t.Errorf("result %+v", got)
	}
}

func TestValidatePush(t *testing.T) {
	var bodies []string
	var keys []string
	answer := func(w http.ResponseWriter) { writeJSON(w, 200, map[string]any{}) }
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, strings.TrimSpace(string(b)))
		keys = append(keys, r.Header.Values("X-Line-Retry-Key")...)
		answer(w)
	})
	c := f.client(t)
	if err := c.ValidatePush(context.Background(), Push{Text: "{all} hi", Mentions: map[string]string{"all": MentionAll}}); err != nil {
		t.Fatal(err)
	}
	if f.paths[0] != "POST /v2/bot/message/validate/push" || len(keys) != 0 ||
		bodies[0] != `{"messages":[{"text":"{all} hi","substitution":{"all":{"mentionee":{"type":"all"},"type":"mention"}},"type":"textV2"}]}` {
		t.Errorf("request %s %s, retry keys %q", f.paths[0], bodies[0], keys)
	}

	// LINE's refusal keeps its reason and property, and stays an *APIError underneath.
	answer = func(w http.ResponseWriter) {
		writeJSON(w, 400, map[string]any{"message": "A message (messages[0]) in the request body is invalid",
			"details": []map[string]string{{"message": "invalid property", "property": "/footer/contents/2"}}})
	}
	err := c.ValidatePush(context.Background(), Push{Messages: []json.RawMessage{json.RawMessage(`{"type":"flex"}`)}})
	var invalid *InvalidMessageError
	var apiErr *APIError
	if !errors.As(err, &invalid) || len(invalid.Details) != 1 || invalid.Details[0].Property != "/footer/contents/2" ||
		!errors.As(err, &apiErr) || apiErr.Message != "A message (messages[0]) in the request body is invalid" {
		t.Fatalf("err = %#v", err)
	}
	if want := "validate the message with LINE: LINE answered 400: A message (messages[0]) in the request body is invalid " +
		"(X-Line-Request-Id: req-/v2/bot/message/validate/push; 1 attempt): invalid property (property /footer/contents/2)"; err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	// Without details, a 400 stays a plain *APIError.
	answer = func(w http.ResponseWriter) { writeJSON(w, 400, map[string]any{"message": "Bad"}) }
	if err := c.ValidatePush(context.Background(), Push{Text: "x"}); errors.As(err, &invalid) || !errors.As(err, &apiErr) {
		t.Errorf("err = %#v", err)
	}
}

// Against the mock: mentions, a refused Flex, a stranger's mention, a caller's retry key.
func TestMessagesAgainstTheMock(t *testing.T) {
	mock, err := linemock.New(linemock.DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock)
	t.Cleanup(func() { mock.Close(); ts.Close() })
	c, err := New(Config{Endpoint: ts.URL, AccessToken: linemock.DemoToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := Push{Chat: GroupChat(linemock.DemoGroupOps), Text: "{all} deploy failed, {oncall}",
		Mentions: map[string]string{"all": MentionAll, "oncall": linemock.DemoUserBen}, RetryKey: "9b1de7a2-0c4f-5e6d-8a7b-1c2d3e4f5a6b"}
	if err := c.ValidatePush(ctx, p); err != nil {
		t.Fatalf("ValidatePush: %v", err)
	}
	first, err := c.Push(ctx, p)
	if err != nil || first.AlreadyAccepted {
		t.Fatalf("Push = %+v, %v", first, err)
	}
	again, err := c.Push(ctx, p)
	if err != nil || !again.AlreadyAccepted || again.AcceptedRequestID != first.RequestID || again.MessageIDs[0] != first.MessageIDs[0] {
		t.Fatalf("the same key again = %+v, %v; want LINE's 409 naming %s", again, err, first.RequestID)
	}
	if pushed := mock.PushedMessages(); len(pushed) != 1 || pushed[0].Texts[0] != "@All deploy failed, @Ben" {
		t.Fatalf("pushed %+v", pushed)
	}

	flex, err := ParseMessages(`[{"type":"flex","altText":"status","contents":{"type":"bubble","body":{"type":"box","layout":"vertical",
		"contents":[{"type":"text","text":"ok"},{"type":"spacer"}]}}}]`)
	if err != nil {
		t.Fatal(err)
	}
	err = c.ValidatePush(ctx, Push{Messages: flex})
	var invalid *InvalidMessageError
	if !errors.As(err, &invalid) || invalid.Details[0].Property != "/body/contents/1" || invalid.Details[0].Message != "invalid property" {
		t.Fatalf("ValidatePush of a spacer: %v", err)
	}

	stranger := Push{Chat: GroupChat(linemock.DemoGroupOps), Text: "{u}", Mentions: map[string]string{"u": linemock.DemoUserEmi}}
	if err := c.ValidatePush(ctx, stranger); err != nil {
		t.Errorf("validate cannot tell a stranger: %v", err)
	}
	if _, err := c.Push(ctx, stranger); !IsNotInChat(err) {
		t.Errorf("push mentioning a stranger: %v, want LINE's 400 Failed to send messages", err)
	}
	if got := MentionedUsers(flex); got != nil {
		t.Errorf("MentionedUsers(flex) = %q", got)
	}
	if got := MentionedUsers([]json.RawMessage{json.RawMessage(`{"type":"textV2","text":"{b}{a}","substitution":{` +
		`"a":{"type":"mention","mentionee":{"type":"user","userId":"` + linemock.DemoUserEmi + `"}},` +
		`"b":{"type":"mention","mentionee":{"type":"all"}},"c":{"type":"emoji","productId":"p","emojiId":"e"}}}`)}); len(got) != 1 || got[0] != linemock.DemoUserEmi {
		t.Errorf("MentionedUsers = %q", got)
	}
}

// detailed400 is LINE's 400 refusing a message object, with its details.
func detailed400(w http.ResponseWriter) {
	writeJSON(w, 400, map[string]any{"message": "A message (messages[0]) in the request body is invalid",
		"details": []map[string]string{{"message": "invalid property", "property": "/footer/contents/2"}}})
}

// LINE's reason and property survive a retry before the 400: a push that met a 503 first may
// have been delivered, and is refused with the details all the same.
func TestInvalidMessageDetailsSurviveAnEarlier5xx(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 503, map[string]string{"message": "Service unavailable"})
			return
		}
		detailed400(w)
	})
	_, err := f.client(t, fastBackoff).Push(context.Background(), Push{Chat: GroupChat(groupID),
		Messages: []json.RawMessage{json.RawMessage(`{"type":"flex"}`)}})
	var invalid *InvalidMessageError
	if !errors.As(err, &invalid) || len(invalid.Details) != 1 || invalid.Details[0].Property != "/footer/contents/2" ||
		!strings.HasSuffix(err.Error(), ": invalid property (property /footer/contents/2)") {
		t.Fatalf("err = %v, want LINE's details", err)
	}
	if !MayHaveTakenEffect(err) || n.Load() != 2 {
		t.Fatalf("MayHaveTakenEffect = %v after %d requests, want true after the 503 and the 400", MayHaveTakenEffect(err), n.Load())
	}
}

// Validating changes nothing at LINE, though it is a POST: its 5xx never "may have taken
// effect", LINE's details survive a retry, and it goes with less than min(request_timeout, 2s)
// left, as a read does.
func TestValidatePushIsNoWrite(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, _ *http.Request) {
		switch n.Add(1) {
		case 1:
			writeJSON(w, 503, map[string]string{"message": "Service unavailable"})
		case 2:
			detailed400(w)
		case 3:
			writeJSON(w, 501, map[string]string{"message": "Not implemented"})
		default:
			writeJSON(w, 200, map[string]any{})
		}
	})
	c := f.client(t, fastBackoff, func(c *Config) { c.RequestTimeout = 30 * time.Second })
	flex := Push{Messages: []json.RawMessage{json.RawMessage(`{"type":"flex"}`)}}
	err := c.ValidatePush(context.Background(), flex)
	var invalid *InvalidMessageError
	if !errors.As(err, &invalid) || len(invalid.Details) != 1 || MayHaveTakenEffect(err) {
		t.Fatalf("a 503 then a 400: err = %v, MayHaveTakenEffect = %v; want LINE's details, and false", err, MayHaveTakenEffect(err))
	}
	if err := c.ValidatePush(context.Background(), flex); err == nil || !hasStatus(err, 501) || MayHaveTakenEffect(err) {
		t.Fatalf("a 501: err = %v, MayHaveTakenEffect = %v; want the 501, and false", err, MayHaveTakenEffect(err))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1900*time.Millisecond)
	defer cancel()
	if err := c.ValidatePush(ctx, flex); err != nil {
		t.Fatalf("with 1.9s left: %v, want it sent", err)
	}
	if n.Load() != 4 {
		t.Fatalf("%d requests, want 4", n.Load())
	}
}
