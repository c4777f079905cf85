package linemock

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Push and quota, as REFERENCE.md §14 records them.

const pushPath = "/v2/bot/message/push"

var jsonHeader = map[string]string{"Content-Type": "application/json; charset=UTF-8"}

func pushBody(to string, texts ...string) string {
	msgs := make([]string, len(texts))
	for i, s := range texts {
		b, _ := json.Marshal(s)
		msgs[i] = `{"type":"text","text":` + string(b) + `}`
	}
	return `{"to":"` + to + `","messages":[` + strings.Join(msgs, ",") + `],"notificationDisabled":false,"customAggregationUnits":null}`
}

func withKey(key string) map[string]string {
	return map[string]string{"Content-Type": "application/json", "X-Line-Retry-Key": key}
}

// wantDetails checks a 400 with details, as LINE gives for schema errors.
func wantDetails(t *testing.T, a answer, details ...errorDetail) {
	t.Helper()
	var body errorWithDetails
	if err := json.Unmarshal(a.body, &body); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	want := errorWithDetails{Message: msgBodyErrors(len(details)), Details: details}
	if a.status != 400 || body.Message != want.Message || fmt.Sprint(body.Details) != fmt.Sprint(want.Details) || body.SentMessages != nil {
		t.Errorf("answer %d %s; want 400 %+v", a.status, a.body, want)
	}
	checkCommonHeaders(t, a)
}

var sentIDPattern = regexp.MustCompile(`^[0-9]{18}$`)

func TestPushSends(t *testing.T) {
	s, ts, clock := newTestServer(t, nil)
	a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoGroupOps, "Deploy done", "🚀 v1.2"))
	if a.status != 200 {
		t.Fatalf("push: %d %s", a.status, a.body)
	}
	checkCommonHeaders(t, a)
	firstID := a.header.Get("X-Line-Request-Id")
	var res pushResponse
	if err := json.Unmarshal(a.body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.SentMessages) != 2 || res.SentMessages[0].ID == res.SentMessages[1].ID {
		t.Fatalf("sentMessages %+v: want two distinct", res.SentMessages)
	}
	for _, m := range res.SentMessages {
		if !sentIDPattern.MatchString(m.ID) || len(m.QuoteToken) < 20 {
			t.Errorf("sent message %+v: want an 18-digit id and a quote token", m)
		}
	}
	// One per person in the chat (Aiko, Ben, Chika, Daichi; not the bot), not per message.
	if u := s.MessageUsage(); u != 4 {
		t.Errorf("usage %d after pushing 2 messages to a chat of 4, want 4", u)
	}
	clock.Advance(time.Minute)
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, `{"to":"`+DemoUserEmi+`","messages":[{"type":"text","text":"hi"}],"notificationDisabled":true}`); a.status != 200 {
		t.Fatalf("push to a user: %d %s", a.status, a.body)
	}
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoRoom, "room")); a.status != 200 {
		t.Fatalf("push to a room: %d %s", a.status, a.body)
	}
	if a.header.Get("X-Line-Accepted-Request-Id") != "" {
		t.Error("a first push carries X-Line-Accepted-Request-Id")
	}
	if u := s.MessageUsage(); u != 4+1+3 {
		t.Errorf("usage %d, want 8", u)
	}
	got := s.PushedMessages()
	if len(got) != 3 {
		t.Fatalf("%d pushed, want 3", len(got))
	}
	if p := got[0]; p.To != DemoGroupOps || fmt.Sprint(p.Texts) != "[Deploy done 🚀 v1.2]" || p.NotificationDisabled || p.RetryKey != "" ||
		p.RequestID != firstID || p.Charged != 4 || !p.Time.Equal(testEpoch) ||
		fmt.Sprint(p.SentMessageIDs) != fmt.Sprint([]string{res.SentMessages[0].ID, res.SentMessages[1].ID}) {
		t.Errorf("first push recorded as %+v", p)
	}
	if p := got[1]; p.To != DemoUserEmi || !p.NotificationDisabled || p.Charged != 1 || !p.Time.Equal(testEpoch.Add(time.Minute)) {
		t.Errorf("second push recorded as %+v", p)
	}
	s.ResetPushed()
	if len(s.PushedMessages()) != 0 || s.MessageUsage() != 8 {
		t.Errorf("ResetPushed: %d left, usage %d (want 0 and the usage kept)", len(s.PushedMessages()), s.MessageUsage())
	}
}

func TestPushErrors(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	long := strings.Repeat("a", 4999)
	cases := []struct {
		name string
		body string
		// one of: a plain message, or details
		message string
		details []errorDetail
	}{
		{"not JSON", `{"to":`, msgBodyNotJSON, nil},
		{"not an object", `[1]`, msgBodyNotJSON, nil},
		{"two values", `{} {}`, msgBodyNotJSON, nil},
		{"empty body", ``, msgBodyNotJSON, nil},
		{"to a number", `{"to":1,"messages":[]}`, "The property, 'to', in the request body is invalid (line: -, column: -)", nil},
		{"to a name", pushBody("ops-team", "x"), "The property, 'to', in the request body is invalid (line: -, column: -)", nil},
		{"to upper-case hex", pushBody("C"+strings.Repeat("A", 32), "x"), "The property, 'to', in the request body is invalid (line: -, column: -)", nil},
		{"messages an object", `{"to":"` + DemoGroupOps + `","messages":{}}`, "The property, 'messages', in the request body is invalid (line: -, column: -)", nil},
		{"notificationDisabled a string", `{"to":"` + DemoGroupOps + `","messages":[{"type":"text","text":"x"}],"notificationDisabled":"yes"}`, "The property, 'notificationDisabled', in the request body is invalid (line: -, column: -)", nil},
		{"customAggregationUnits a string", `{"to":"` + DemoGroupOps + `","messages":[{"type":"text","text":"x"}],"customAggregationUnits":"u"}`, "The property, 'customAggregationUnits', in the request body is invalid (line: -, column: -)", nil},
		{"text a number", `{"to":"` + DemoGroupOps + `","messages":[{"type":"text","text":5}]}`, "The property, 'messages[0].text', in the request body is invalid (line: -, column: -)", nil},
		{"message a string", `{"to":"` + DemoGroupOps + `","messages":["hi"]}`, "The property, 'messages[0]', in the request body is invalid (line: -, column: -)", nil},
		{"to empty", pushBody("", "x"), "", []errorDetail{{detailMayNotBeEmpty, "to"}}},
		{"to missing", `{"messages":[{"type":"text","text":"x"}]}`, "", []errorDetail{{detailMayNotBeEmpty, "to"}}},
		{"no messages", pushBody(DemoGroupOps), "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"messages missing", `{"to":"` + DemoGroupOps + `"}`, "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"six messages", pushBody(DemoGroupOps, "1", "2", "3", "4", "5", "6"), "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"empty text", pushBody(DemoGroupOps, "ok", ""), "", []errorDetail{{detailMayNotBeEmpty, "messages[1].text"}}},
		{"5001 characters", pushBody(DemoGroupOps, long+"ab"), "", []errorDetail{{detailTextLength, "messages[0].text"}}},
		// An emoji outside the BMP counts 2 UTF-16 code units: 4999 + 2 = 5001.
		{"4999 plus an emoji", pushBody(DemoGroupOps, long+"😀"), "", []errorDetail{{detailTextLength, "messages[0].text"}}},
		// "\r\n" counts 2: 4999 + 2.
		{"4999 plus CRLF", pushBody(DemoGroupOps, long+"\r\n"), "", []errorDetail{{detailTextLength, "messages[0].text"}}},
		{"no type", `{"to":"` + DemoGroupOps + `","messages":[{"text":"x"}]}`, "", []errorDetail{{detailMayNotBeEmpty, "messages[0].type"}}},
		{"an unknown type", `{"to":"` + DemoGroupOps + `","messages":[{"type":"poll","text":"x"}]}`, "", []errorDetail{{msgTypeOneOf, "messages[0].type"}}},
		{"every error at once", `{"to":"","messages":[{"type":"text","text":""},{"type":"text"}]}`, "",
			[]errorDetail{{detailMayNotBeEmpty, "to"}, {detailMayNotBeEmpty, "messages[0].text"}, {detailMayNotBeEmpty, "messages[1].text"}}},
		{"unknown user", pushBody("U"+strings.Repeat("9", 32), "x"), msgFailedToSend, nil},
		{"the bot itself", pushBody(DemoBotUserID, "x"), msgFailedToSend, nil},
		{"group the bot left", pushBody(DemoGroupNotJoined, "x"), msgFailedToSend, nil},
		{"unknown group", pushBody("C"+strings.Repeat("9", 32), "x"), msgFailedToSend, nil},
		{"room the bot left", pushBody(DemoRoomNotJoined, "x"), msgFailedToSend, nil},
		{"unknown room", pushBody("R"+strings.Repeat("9", 32), "x"), msgFailedToSend, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := callBody(t, ts, "POST", pushPath, jsonHeader, c.body)
			if c.details != nil {
				wantDetails(t, a, c.details...)
			} else {
				wantError(t, a, 400, c.message)
			}
		})
	}
	// Exactly 5000, with an emoji: accepted.
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoGroupOps, strings.Repeat("a", 4998)+"😀")); a.status != 200 {
		t.Errorf("5000 UTF-16 code units: %d %s", a.status, a.body)
	}
	if n := len(s.PushedMessages()); n != 1 || s.MessageUsage() != 4 {
		t.Errorf("after the errors and one good push: %d pushed, usage %d; want 1 and 4", n, s.MessageUsage())
	}
	// The SDK's own encoding of optional fields is accepted: unknown message fields are ignored.
	sdkLike := `{"to":"` + DemoRoom + `","messages":[{"text":"x","type":"text","quoteToken":"q"}],"notificationDisabled":false,"customAggregationUnits":[]}`
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, sdkLike); a.status != 200 {
		t.Errorf("SDK-shaped body: %d %s", a.status, a.body)
	}
}

// The shared checks apply to push and quota too, before the body.
func TestPushAndQuotaSharedChecks(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	for _, ep := range []struct{ method, path, body string }{
		{"POST", pushPath, pushBody(DemoGroupOps, "x")},
		{"GET", "/v2/bot/message/quota", ""},
		{"GET", "/v2/bot/message/quota/consumption", ""},
	} {
		wantError(t, callBody(t, ts, ep.method, ep.path, map[string]string{"Authorization": ""}, ep.body), 401, msgAuthHeaderRequired)
		wantError(t, callBody(t, ts, ep.method, ep.path, map[string]string{"Authorization": "Bearer nope"}, ep.body), 401, msgAuthFailed)
		if ep.method == "GET" {
			wantError(t, callBody(t, ts, ep.method, ep.path, map[string]string{"X-Line-Retry-Key": "123e4567-e89b-12d3-a456-426614174000"}, ""), 400, msgRetryKey)
			wantError(t, call(t, ts, "POST", ep.path, nil), 405, msgMethodNotAllowed)
		}
	}
	wantError(t, get(t, ts, pushPath), 405, msgMethodNotAllowed)
	// Auth comes before the body: a bad body without a token is a 401.
	wantError(t, callBody(t, ts, "POST", pushPath, map[string]string{"Authorization": ""}, "garbage"), 401, msgAuthHeaderRequired)
}

func TestPushRetryKey(t *testing.T) {
	s, ts, clock := newTestServer(t, nil)
	const key = "123e4567-e89b-12d3-a456-426614174000"
	first := callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoGroupRelease, "once"))
	if first.status != 200 {
		t.Fatalf("first push: %d %s", first.status, first.body)
	}
	firstID := first.header.Get("X-Line-Request-Id")
	var sent pushResponse
	_ = json.Unmarshal(first.body, &sent)

	// The same key again, even upper-case and with another body: 409, nothing sent.
	for _, k := range []string{key, strings.ToUpper(key)} {
		a := callBody(t, ts, "POST", pushPath, withKey(k), pushBody(DemoGroupOps, "changed"))
		want := `{"message":"` + msgRetryKeyAccepted + `","sentMessages":` + mustJSON(t, sent.SentMessages) + `}`
		if a.status != 409 || string(a.body) != want {
			t.Errorf("repeat %q: %d %s; want 409 %s", k, a.status, a.body, want)
		}
		if got := a.header.Get("X-Line-Accepted-Request-Id"); got != firstID {
			t.Errorf("X-Line-Accepted-Request-Id %q, want the first request's %q", got, firstID)
		}
		if id := a.header.Get("X-Line-Request-Id"); id == firstID || !uuidPattern.MatchString(id) {
			t.Errorf("the 409 has request ID %q: want a new one", id)
		}
	}
	if n := len(s.PushedMessages()); n != 1 || s.MessageUsage() != 2 {
		t.Errorf("%d pushed, usage %d; want 1 and 2", n, s.MessageUsage())
	}
	if p := s.PushedMessages()[0]; p.RetryKey != key || p.RequestID != firstID {
		t.Errorf("pushed %+v: want the key and the first request ID", p)
	}

	// A request that fails does not use its key up.
	const other = "00000000-0000-4000-8000-00000000000a"
	wantError(t, callBody(t, ts, "POST", pushPath, withKey(other), pushBody(DemoGroupNotJoined, "x")), 400, msgFailedToSend)
	if a := callBody(t, ts, "POST", pushPath, withKey(other), pushBody(DemoGroupOps, "x")); a.status != 200 {
		t.Errorf("the key of a failed push, reused: %d %s", a.status, a.body)
	}

	// Kept 24 hours by the mock's clock, then new.
	clock.Advance(24*time.Hour - time.Second)
	if a := callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoGroupOps, "x")); a.status != 409 {
		t.Errorf("just under 24h: %d", a.status)
	}
	clock.Advance(time.Second)
	if a := callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoGroupOps, "x")); a.status != 200 {
		t.Errorf("after 24h: %d %s", a.status, a.body)
	}

	// An empty header is no key (the SDK always sends the header); pushes without a key
	// are never 409.
	for range 2 {
		if a := callBody(t, ts, "POST", pushPath, withKey(" "), pushBody(DemoGroupOps, "x")); a.status != 200 {
			t.Errorf("empty key: %d %s", a.status, a.body)
		}
	}
	// Upper-case hex digits, up to F, make a key; the same key in lower case is the same key.
	const upper = "ABCDEF01-2345-4678-9ABC-DEF0FFFFFFFF"
	if a := callBody(t, ts, "POST", pushPath, withKey(upper), pushBody(DemoGroupOps, "x")); a.status != 200 {
		t.Errorf("upper-case key %q: %d %s, want 200", upper, a.status, a.body)
	}
	if a := callBody(t, ts, "POST", pushPath, withKey(strings.ToLower(upper)), pushBody(DemoGroupOps, "x")); a.status != 409 {
		t.Errorf("upper-case key %q again in lower case: %d %s, want 409", upper, a.status, a.body)
	}
	for _, bad := range []string{"k", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g", "123E4567-E89B-12D3-A456-42661417400G", "{123e4567-e89b-12d3-a456-426614174000}"} {
		wantError(t, callBody(t, ts, "POST", pushPath, withKey(bad), pushBody(DemoGroupOps, "x")), 400, msgInvalidRetryKey)
	}
	// A malformed key is refused before the body is looked at.
	wantError(t, callBody(t, ts, "POST", pushPath, withKey("k"), "garbage"), 400, msgInvalidRetryKey)
}

// A push whose answer is lost was sent; the retry with the same key gets 409 naming it.
func TestPushLostResponseThenRetry(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	const key = "a0a0a0a0-1111-4222-8333-444444444444"
	s.SetFault(EndpointPushMessage, Fault{LostResponse: 1})
	lost := callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoRoom, "exactly once"))
	wantError(t, lost, 500, msgInternal)
	if lost.header.Get("X-Line-Accepted-Request-Id") != "" {
		t.Error("the lost answer leaked a header of the real one")
	}
	s.ClearFaults()
	retry := callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoRoom, "exactly once"))
	if retry.status != 409 || retry.header.Get("X-Line-Accepted-Request-Id") != lost.header.Get("X-Line-Request-Id") {
		t.Errorf("retry: %d %s, accepted %q; want 409 naming %q", retry.status, retry.body,
			retry.header.Get("X-Line-Accepted-Request-Id"), lost.header.Get("X-Line-Request-Id"))
	}
	if got := s.PushedMessages(); len(got) != 1 || got[0].Texts[0] != "exactly once" || s.MessageUsage() != 3 {
		t.Errorf("pushed %+v, usage %d: want one push to three people", got, s.MessageUsage())
	}
	if r := s.Requests(); len(r) != 2 || !r[0].Lost || r[0].Status != 500 || r[1].Status != 409 {
		t.Errorf("recorded %+v", r)
	}
}

func TestMessageQuota(t *testing.T) {
	s, ts, clock := newTestServer(t, nil)
	quota := func() string { t.Helper(); return string(get(t, ts, "/v2/bot/message/quota").body) }
	usage := func() string { t.Helper(); return string(get(t, ts, "/v2/bot/message/quota/consumption").body) }
	if q, u := quota(), usage(); q != `{"type":"none"}` || u != `{"totalUsage":0}` || s.MessageQuota() != Unlimited {
		t.Errorf("defaults: %s %s", q, u)
	}
	s.SetMessageQuota(10)
	if q := quota(); q != `{"type":"limited","value":10}` {
		t.Errorf("limit 10: %s", q)
	}
	// Ops has 4 people: two pushes fit (8), a third would make 12 > 10.
	for i := range 2 {
		if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoGroupOps, "x", "y", "z")); a.status != 200 {
			t.Fatalf("push %d: %d %s", i+1, a.status, a.body)
		}
	}
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoGroupOps, "x")), 429, msgMonthlyLimit)
	if u := usage(); u != `{"totalUsage":8}` || len(s.PushedMessages()) != 2 {
		t.Errorf("after the refused push: %s, %d pushed", u, len(s.PushedMessages()))
	}
	// A smaller chat still fits: Release has 2 people (8 + 2 = 10).
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoGroupRelease, "x")); a.status != 200 {
		t.Errorf("push that just fits: %d %s", a.status, a.body)
	}
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoUserAiko, "x")), 429, msgMonthlyLimit)
	// The limit comes after the recipient check.
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoGroupNotJoined, "x")), 400, msgFailedToSend)
	// A refused key is not used up.
	const key = "b1b1b1b1-1111-4222-8333-444444444444"
	wantError(t, callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoUserAiko, "x")), 429, msgMonthlyLimit)
	s.SetMessageQuota(Unlimited)
	if a := callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoUserAiko, "x")); a.status != 200 {
		t.Errorf("the key of a push refused for the limit, reused: %d", a.status)
	}
	if q, u := quota(), usage(); q != `{"type":"none"}` || u != `{"totalUsage":11}` {
		t.Errorf("unlimited again: %s %s", q, u)
	}
	s.SetMessageQuota(0)
	if q := quota(); q != `{"type":"limited","value":0}` {
		t.Errorf("limit 0: %s", q)
	}
	s.SetMessageQuota(-5)
	if s.MessageQuota() != Unlimited {
		t.Errorf("SetMessageQuota(-5): %d, want Unlimited", s.MessageQuota())
	}
	s.SetMessageUsage(42)
	if u := usage(); u != `{"totalUsage":42}` {
		t.Errorf("SetMessageUsage(42): %s", u)
	}
	// A new month in Japan starts from 0: 2026-08-01 09:00 UTC is 18:00 JST; the month ends
	// at 2026-08-31 15:00 UTC.
	clock.Advance(time.Date(2026, 8, 31, 14, 59, 0, 0, time.UTC).Sub(clock.Now()))
	if u := usage(); u != `{"totalUsage":42}` {
		t.Errorf("last minute of August in Japan: %s", u)
	}
	clock.Advance(time.Minute)
	if u := usage(); u != `{"totalUsage":0}` {
		t.Errorf("September in Japan: %s", u)
	}
}

func TestControlsHTTPPushAndQuota(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	ctl := func(method, path, body string) answer {
		t.Helper()
		return callBody(t, ts, method, path, map[string]string{"Authorization": "", "Content-Type": "application/json"}, body)
	}
	wantBody := func(a answer, want string) {
		t.Helper()
		if a.status != 200 || string(a.body) != want {
			t.Errorf("answer %d %s, want 200 %s", a.status, a.body, want)
		}
	}
	wantBody(ctl("GET", "/_mock/quota", ""), `{"limit":-1,"used":0}`)
	wantBody(ctl("PUT", "/_mock/quota", `{"limit":5}`), `{"limit":5,"used":0}`)
	wantBody(ctl("PUT", "/_mock/quota", `{"used":3}`), `{"limit":5,"used":3}`)
	if s.MessageQuota() != 5 || s.MessageUsage() != 3 {
		t.Errorf("Go view: %d %d", s.MessageQuota(), s.MessageUsage())
	}
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoRoom, "x")), 429, msgMonthlyLimit)
	wantBody(ctl("PUT", "/_mock/quota", `{"limit":-1,"used":0}`), `{"limit":-1,"used":0}`)
	wantBody(ctl("GET", "/_mock/messages", ""), `{"messages":[]}`)
	a := callBody(t, ts, "POST", pushPath, withKey("c2c2c2c2-1111-4222-8333-444444444444"), pushBody(DemoRoom, "hello"))
	if a.status != 200 {
		t.Fatalf("push: %d %s", a.status, a.body)
	}
	var got messagesBody
	if err := json.Unmarshal(ctl("GET", "/_mock/messages", "").body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 || got.Messages[0].To != DemoRoom || got.Messages[0].Texts[0] != "hello" ||
		got.Messages[0].RetryKey != "c2c2c2c2-1111-4222-8333-444444444444" || got.Messages[0].RequestID != a.header.Get("X-Line-Request-Id") ||
		got.Messages[0].Charged != 3 {
		t.Errorf("GET /_mock/messages: %+v", got)
	}
	wantBody(ctl("DELETE", "/_mock/messages", ""), `{}`)
	if len(s.PushedMessages()) != 0 {
		t.Error("DELETE /_mock/messages left messages")
	}
	for _, c := range []struct{ body, want string }{
		{`{}`, `want "limit"`},
		{`{"limit":-2}`, `"limit" must be -1`},
		{`{"used":-1}`, `"used" must not be negative`},
		{`{"max":1}`, "unknown field"},
	} {
		if a := ctl("PUT", "/_mock/quota", c.body); a.status != 400 || !strings.Contains(a.message(t), c.want) {
			t.Errorf("PUT /_mock/quota %s: %d %s; want 400 %q", c.body, a.status, a.body, c.want)
		}
	}
	// Faults reach the new endpoints by name, over HTTP too.
	wantBody(ctl("PUT", "/_mock/faults/"+strings.ReplaceAll(EndpointMessageQuota, " ", "%20"), `{"rate500":1}`), `{"rate500":1}`)
	wantError(t, get(t, ts, "/v2/bot/message/quota"), 500, msgInternal)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Pushes racing with one key send once: the key check, the send and remembering the key
// are one step.
func TestPushRetryKeyConcurrent(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	const workers = 12
	const key = "f5f5f5f5-1111-4222-8333-444444444444"
	statuses := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- callBody(t, ts, "POST", pushPath, withKey(key), pushBody(DemoRoom, "once")).status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for st := range statuses {
		count[st]++
	}
	if count[200] != 1 || count[409] != workers-1 || len(s.PushedMessages()) != 1 || s.MessageUsage() != 3 {
		t.Errorf("statuses %v, %d pushed, usage %d; want one 200, the rest 409, one push costing 3", count, len(s.PushedMessages()), s.MessageUsage())
	}
}

// A body over LINE's 2 MB gets 413, on push and on validate, and nothing is sent; one of
// exactly 2 MB is read and judged on its content.
func TestBodyOverTwoMegabytes(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	body := func(size int) string {
		head := `{"to":"` + DemoGroupOps + `","messages":[{"type":"text","text":"`
		tail := `"}]}`
		return head + strings.Repeat("a", size-len(head)-len(tail)) + tail
	}
	for _, path := range []string{"/v2/bot/message/push", "/v2/bot/message/validate/push"} {
		if a := callBody(t, ts, "POST", path, map[string]string{"Content-Type": "application/json"}, body(maxPushBodyBytes+1)); a.status != 413 || a.message(t) != msgBodyTooLarge {
			t.Errorf("%s with %d bytes: %d %s, want 413 %q", path, maxPushBodyBytes+1, a.status, a.body, msgBodyTooLarge)
		}
		// Exactly 2 MB is read: the text is too long, which LINE says in its own words.
		if a := callBody(t, ts, "POST", path, map[string]string{"Content-Type": "application/json"}, body(maxPushBodyBytes)); a.status != 400 || !strings.Contains(string(a.body), detailTextLength) {
			t.Errorf("%s with %d bytes: %d %s, want 400 with %q", path, maxPushBodyBytes, a.status, a.body, detailTextLength)
		}
	}
	if n := len(s.PushedMessages()); n != 0 {
		t.Errorf("%d messages pushed, want none", n)
	}
}
