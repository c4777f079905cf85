package linemock

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Text message v2, as REFERENCE.md §15.2 records it: placeholders, substitution, limits,
// mentions' membership on push (never on validate).

const validatePath = "/v2/bot/message/validate/push"

// pushMessages is a push body carrying these message objects (JSON) as they are.
func pushMessages(to string, objects ...string) string {
	return `{"to":"` + to + `","messages":[` + strings.Join(objects, ",") + `],"notificationDisabled":false,"customAggregationUnits":null}`
}

func validateMessages(objects ...string) string {
	return `{"messages":[` + strings.Join(objects, ",") + `]}`
}

// textV2 is a textV2 object with the given text and substitution (JSON object, or "").
func textV2(text, substitution string) string {
	b, _ := json.Marshal(text)
	if substitution == "" {
		return `{"type":"textV2","text":` + string(b) + `}`
	}
	return `{"type":"textV2","text":` + string(b) + `,"substitution":` + substitution + `}`
}

func mentionUser(id string) string {
	return `{"type":"mention","mentionee":{"type":"user","userId":"` + id + `"}}`
}

const mentionAll = `{"type":"mention","mentionee":{"type":"all"}}`
const emojiEntry = `{"type":"emoji","productId":"5ac1bfd5040ab15980c9b435","emojiId":"002"}`

// wantMessageInvalid checks the "A message (messages[i]) …" family with these details.
func wantMessageInvalid(t *testing.T, a answer, i int, details ...errorDetail) {
	t.Helper()
	var body errorWithDetails
	if err := json.Unmarshal(a.body, &body); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	want := errorWithDetails{Message: msgMessageInvalid(i), Details: details}
	if a.status != 400 || body.Message != want.Message || fmt.Sprint(body.Details) != fmt.Sprint(want.Details) || body.SentMessages != nil {
		t.Errorf("answer %d %s; want 400 %+v", a.status, a.body, want)
	}
	checkCommonHeaders(t, a)
}

func TestTextV2PushRendersMentions(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	msg := textV2("{all} deploy of {{v1.2}} failed, {oncall} {fire} (cc {oncall})",
		`{"all":`+mentionAll+`,"oncall":`+mentionUser(DemoUserChika)+`,"fire":`+emojiEntry+`}`)
	a := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, msg, `{"type":"text","text":"{plain}"}`))
	if a.status != 200 {
		t.Fatalf("push: %d %s", a.status, a.body)
	}
	var res pushResponse
	_ = json.Unmarshal(a.body, &res)
	if len(res.SentMessages) != 2 || res.SentMessages[0].QuoteToken == "" {
		t.Errorf("sentMessages %+v: want two, with quote tokens", res.SentMessages)
	}
	got := s.PushedMessages()
	if len(got) != 1 {
		t.Fatalf("%d pushed", len(got))
	}
	p := got[0]
	if want := "@All deploy of {v1.2} failed, @Chika (emoji) (cc @Chika)"; p.Texts[0] != want {
		t.Errorf("shown %q, want %q", p.Texts[0], want)
	}
	if p.Texts[1] != "{plain}" {
		t.Errorf("a text message's braces are literal: shown %q", p.Texts[1])
	}
	if fmt.Sprint(p.Mentions) != fmt.Sprint([]string{"all", DemoUserChika}) {
		t.Errorf("mentions %q", p.Mentions)
	}
	if len(p.Messages) != 2 || string(p.Messages[0]) != msg {
		t.Errorf("messages recorded %s, want the object as sent %s", p.Messages, msg)
	}
	if p.Charged != 4 {
		t.Errorf("charged %d, want 4 (mentions cost nothing more)", p.Charged)
	}
}

func TestParseTextV2(t *testing.T) {
	for _, tc := range []struct {
		text  string
		parts string // literal runs quoted, keys bare
		err   string
	}{
		{"plain", `"plain"`, ""},
		{"{a} and {b_2}", `a " and " b_2`, ""},
		{"{{literal}}", `"{literal}"`, ""},
		{"{{{a}}}", `"{" a "}"`, ""},
		{"{a}}}", `a "}"`, ""},
		{"{{a}", "", detailUnpairedClose},
		{"x}y", "", detailUnpairedClose},
		{"{a", "", detailUnpairedOpen},
		{"{}", "", detailKeyPattern("")},
		{"{a-b}", "", detailKeyPattern("a-b")},
		{"{a{b}", "", detailKeyPattern("a{b")},
		{"{" + strings.Repeat("k", 21) + "}", "", detailKeyPattern(strings.Repeat("k", 21))},
		{"{" + strings.Repeat("k", 20) + "}", strings.Repeat("k", 20), ""},
		{"{キー}", "", detailKeyPattern("キー")},
	} {
		parts, details := parseTextV2(tc.text)
		var shown []string
		for _, p := range parts {
			if p.key != "" {
				shown = append(shown, p.key)
			} else {
				shown = append(shown, fmt.Sprintf("%q", p.literal))
			}
		}
		var gotErr string
		if len(details) > 0 {
			gotErr = details[0].Message
			if details[0].Property != "text" {
				t.Errorf("%q: property %q, want text", tc.text, details[0].Property)
			}
		}
		if gotErr != tc.err || (tc.err == "" && strings.Join(shown, " ") != tc.parts) {
			t.Errorf("parseTextV2(%q) = %s, %q; want %s, %q", tc.text, strings.Join(shown, " "), gotErr, tc.parts, tc.err)
		}
	}
}

// Every textV2 problem answers the same on push and on validate, and sends nothing.
func TestTextV2Errors(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	many := func(n int, entry func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`"k%d":%s`, i, entry(i))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	keysOf := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "{k%d}", i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name    string
		msg     string
		details []errorDetail
	}{
		{"observed: a key of another pattern", textV2("{!owe} : x", `{"!owe":`+mentionAll+`}`), []errorDetail{{detailKeyPattern("!owe"), "text"}}},
		{"placeholder without an entry", textV2("hi {who}", ""), []errorDetail{{detailKeyUndefined("who"), "text"}}},
		{"unpaired {", textV2("hi {who", `{"who":`+mentionAll+`}`), []errorDetail{{detailUnpairedOpen, "text"}}},
		{"unpaired }", textV2("hi who}", ""), []errorDetail{{detailUnpairedClose, "text"}}},
		{"entry without type", textV2("{a}", `{"a":{"mentionee":{"type":"all"}}}`), []errorDetail{{detailMayNotBeEmpty, "substitution.a.type"}}},
		{"entry of another type", textV2("{a}", `{"a":{"type":"sticker"}}`), []errorDetail{{detailSubstType, "substitution.a.type"}}},
		{"entry not an object", textV2("{a}", `{"a":"all"}`), []errorDetail{{detailInvalidProperty, "substitution.a"}}},
		{"mention without mentionee", textV2("{a}", `{"a":{"type":"mention"}}`), []errorDetail{{detailMayNotBeEmpty, "substitution.a.mentionee"}}},
		{"mentionee of another type", textV2("{a}", `{"a":{"type":"mention","mentionee":{"type":"group"}}}`), []errorDetail{{detailMentioneeType, "substitution.a.mentionee.type"}}},
		{"user without ID", textV2("{a}", `{"a":{"type":"mention","mentionee":{"type":"user"}}}`), []errorDetail{{detailMayNotBeEmpty, "substitution.a.mentionee.userId"}}},
		{"user ID malformed", textV2("{a}", `{"a":`+mentionUser(DemoGroupOps)+`}`), []errorDetail{{detailInvalidUserID, "substitution.a.mentionee.userId"}}},
		{"emoji without IDs", textV2("{e}", `{"e":{"type":"emoji"}}`), []errorDetail{{detailMayNotBeEmpty, "substitution.e.productId"}, {detailMayNotBeEmpty, "substitution.e.emojiId"}}},
		{"21 mentions", textV2(keysOf(21), many(21, func(int) string { return mentionAll })), []errorDetail{{detailMentionCount, "text"}}},
		{"21 emoji", textV2(keysOf(21), many(21, func(int) string { return emojiEntry })), []errorDetail{{detailEmojiCount, "text"}}},
		{"101 entries, 21 mentions", textV2(keysOf(21), many(101, func(int) string { return mentionAll })),
			[]errorDetail{{detailSubstSize, "substitution"}, {detailMentionCount, "text"}}},
		// Undefined keys are looked for once every key has the pattern and the braces pair up.
		{"every problem of one message", textV2("{a-b} {c}", `{"x":{"type":"mention"}}`),
			[]errorDetail{{detailMayNotBeEmpty, "substitution.x.mentionee"}, {detailKeyPattern("a-b"), "text"}}},
		{"every undefined key", textV2("{a} {b} {a}", `{"c":`+mentionAll+`}`),
			[]errorDetail{{detailKeyUndefined("a"), "text"}, {detailKeyUndefined("b"), "text"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The bad message is the second: the index names it.
			ok := `{"type":"text","text":"fine"}`
			wantMessageInvalid(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, ok, tc.msg)), 1, tc.details...)
			wantMessageInvalid(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(ok, tc.msg)), 1, tc.details...)
		})
	}
	// Schema errors of a textV2 come in the other family, with absolute properties, and win.
	wantDetails(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, textV2("", ""), textV2("{!}", ""))),
		errorDetail{detailMayNotBeEmpty, "messages[0].text"})
	wantDetails(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(textV2(strings.Repeat("{a}", 1667), `{"a":`+mentionAll+`}`))),
		errorDetail{detailTextLength, "messages[0].text"})
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, `{"type":"textV2","text":"x","substitution":[]}`)),
		400, "The property, 'messages[0].substitution', in the request body is invalid (line: -, column: -)")
	if n := len(s.PushedMessages()); n != 0 {
		t.Errorf("%d pushed, want none", n)
	}
}

// The limits hold exactly: 100 entries, 20 mentions and 20 emoji in the text; an unused
// entry is accepted, and a key used twice counts twice.
func TestTextV2Limits(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	entries := make([]string, 0, 100)
	for i := range 100 {
		entry := emojiEntry
		if i < 50 {
			entry = mentionAll
		}
		entries = append(entries, fmt.Sprintf(`"k%d":%s`, i, entry))
	}
	hundred := "{" + strings.Join(entries, ",") + "}"
	uses := func(mentions, emojis int) string {
		var b strings.Builder
		for i := range mentions {
			fmt.Fprintf(&b, "{k%d}", i%3) // three mention keys, used over and over
		}
		for i := range emojis {
			fmt.Fprintf(&b, "{k%d}", 50+i)
		}
		return b.String()
	}
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, textV2(uses(20, 20), hundred))); a.status != 200 {
		t.Errorf("100 entries, 20 mentions and 20 emoji used: %d %s", a.status, a.body)
	}
	wantMessageInvalid(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, textV2(uses(21, 0), hundred))), 0,
		errorDetail{detailMentionCount, "text"})
	wantMessageInvalid(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(textV2(uses(0, 21), hundred))), 0,
		errorDetail{detailEmojiCount, "text"})
	wantMessageInvalid(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(textV2("{k0}", hundred[:len(hundred)-1]+`,"k100":`+mentionAll+"}"))), 0,
		errorDetail{detailSubstSize, "substitution"})
	unused := textV2("{a}", `{"a":`+mentionAll+`,"spare":`+mentionUser(DemoUserEmi)+`}`)
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, unused)); a.status != 200 {
		t.Errorf("an unused entry (Emi is not in Ops, but nothing mentions her): %d %s", a.status, a.body)
	}
	if p := s.PushedMessages(); len(p) != 2 || fmt.Sprint(p[1].Mentions) != "[all]" || fmt.Sprint(p[0].Mentions) != "[all]" {
		t.Errorf("pushed %+v", p)
	}
}

// Mentions need a group or room holding every mentioned user: push checks it (400 "Failed to
// send messages", nothing sent); validate, which has no recipient, never does.
func TestTextV2MentionMembership(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	mention := func(id string) string { return textV2("{u} look", `{"u":`+mentionUser(id)+`}`) }
	for _, tc := range []struct {
		name, to, msg string
		ok            bool
	}{
		{"a member", DemoGroupOps, mention(DemoUserBen), true},
		{"a member without consent", DemoGroupOps, mention(DemoUserDaichi), true},
		{"a member of a room", DemoRoom, mention(DemoUserEmi), true},
		{"@All in a room", DemoRoom, textV2("{a}", `{"a":`+mentionAll+`}`), true},
		{"a stranger to the chat", DemoGroupOps, mention(DemoUserEmi), false},
		{"an unknown user", DemoGroupOps, mention("U" + strings.Repeat("0", 32)), false},
		{"the bot", DemoGroupOps, mention(DemoBotUserID), false},
		{"one stranger among members", DemoGroupOps, textV2("{a} {b}", `{"a":`+mentionUser(DemoUserAiko)+`,"b":`+mentionUser(DemoUserEmi)+`}`), false},
		{"a mention to a user", DemoUserAiko, textV2("{a}", `{"a":`+mentionAll+`}`), false},
		{"a user mentioned to herself", DemoUserAiko, mention(DemoUserAiko), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.PushedMessages())
			usage := s.MessageUsage()
			a := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(tc.to, tc.msg))
			if tc.ok && a.status != 200 {
				t.Errorf("push: %d %s, want 200", a.status, a.body)
			}
			if !tc.ok {
				wantError(t, a, 400, msgFailedToSend)
				if len(s.PushedMessages()) != before || s.MessageUsage() != usage {
					t.Error("a refused push was sent or charged")
				}
			}
			if v := callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(tc.msg)); v.status != 200 || string(v.body) != "{}" {
				t.Errorf("validate: %d %s, want 200 {}", v.status, v.body)
			}
		})
	}
	// Text messages (v1) mention no one: a push to a user goes out.
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoUserAiko, `{"type":"text","text":"{u}"}`)); a.status != 200 {
		t.Errorf("text with braces to a user: %d %s", a.status, a.body)
	}
	// A member removed since: the mention is refused.
	if err := s.RemoveMember(DemoGroupOps, DemoUserBen); err != nil {
		t.Fatal(err)
	}
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, mention(DemoUserBen))), 400, msgFailedToSend)
}
