package linemock

import (
	"encoding/json"
	"strings"
	"testing"
)

// The validate endpoint and the message types beyond text (REFERENCE.md §15.1, §15.3, §15.4).

// flexMessage is a flex message object around a container (JSON).
func flexMessage(container string) string {
	return `{"type":"flex","altText":"Deploy status","contents":` + container + `}`
}

const statusCard = `{"type":"bubble","body":{"type":"box","layout":"vertical","contents":[` +
	`{"type":"text","text":"Deploy v1.2","weight":"bold"},{"type":"separator"},` +
	`{"type":"box","layout":"baseline","contents":[{"type":"icon","url":"https://example.com/ok.png"},{"type":"text","text":"passed"}]}]},` +
	`"footer":{"type":"box","layout":"horizontal","contents":[{"type":"button","action":{"type":"uri","label":"Logs","uri":"https://ci.example.com/1"}}]}}`

func TestValidatePush(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetMessageQuota(0) // validate uses no quota: it passes even with none left
	sticker := `{"type":"sticker","packageId":"446","stickerId":"1988"}`
	for _, body := range []string{
		validateMessages(`{"type":"text","text":"hi"}`),
		validateMessages(flexMessage(statusCard), sticker, textV2("{a}", `{"a":`+mentionAll+`}`)),
		// Other properties are ignored, the recipient among them.
		`{"to":"not an ID","notificationDisabled":"yes","messages":[` + sticker + `]}`,
	} {
		a := callBody(t, ts, "POST", validatePath, jsonHeader, body)
		if a.status != 200 || string(a.body) != "{}" {
			t.Errorf("validate %s: %d %s, want 200 {}", body, a.status, a.body)
		}
		checkCommonHeaders(t, a)
	}
	if len(s.PushedMessages()) != 0 || s.MessageUsage() != 0 {
		t.Errorf("validate sent %d messages, used %d", len(s.PushedMessages()), s.MessageUsage())
	}
	if n := s.CountRequests(EndpointValidatePush); n != 3 {
		t.Errorf("%d validate requests recorded, want 3", n)
	}
	for _, tc := range []struct {
		name, body string
		message    string
		details    []errorDetail
	}{
		{"no messages", `{"messages":[]}`, "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"messages missing", `{}`, "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"null, as the SDK sends a nil request", `null`, "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"six messages", validateMessages(sticker, sticker, sticker, sticker, sticker, sticker), "", []errorDetail{{detailMessagesSize, "messages"}}},
		{"not JSON", `{"messages":`, msgBodyNotJSON, nil},
		{"an array", `[]`, msgBodyNotJSON, nil},
		{"messages an object", `{"messages":{}}`, "The property, 'messages', in the request body is invalid (line: -, column: -)", nil},
		{"text too long", validateMessages(`{"type":"text","text":"` + strings.Repeat("a", 5001) + `"}`), "", []errorDetail{{detailTextLength, "messages[0].text"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := callBody(t, ts, "POST", validatePath, jsonHeader, tc.body)
			if tc.details != nil {
				wantDetails(t, a, tc.details...)
			} else {
				wantError(t, a, 400, tc.message)
			}
		})
	}
	// X-Line-Retry-Key is for the send endpoints only: 400, whatever its value.
	for _, key := range []string{"123e4567-e89b-12d3-a456-426614174000", " "} {
		wantError(t, callBody(t, ts, "POST", validatePath, withKey(key), validateMessages(sticker)), 400, msgRetryKey)
	}
	wantError(t, get(t, ts, validatePath), 405, msgMethodNotAllowed)
	wantError(t, callBody(t, ts, "POST", validatePath, map[string]string{"Authorization": ""}, "garbage"), 401, msgAuthHeaderRequired)
	if len(s.PushedMessages()) != 0 || s.MessageUsage() != 0 {
		t.Error("a refused validate sent or used something")
	}
}

// Validate has its own rate-limit bucket: a push bucket run dry does not slow it, and the
// other way round.
func TestValidatePushOwnRateLimit(t *testing.T) {
	_, ts, _ := newTestServer(t, nil, WithRateLimit(2))
	for range 2 {
		if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoRoom, "x")); a.status != 200 {
			t.Fatalf("push: %d", a.status)
		}
	}
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoRoom, "x")), 429, msgRateLimited)
	for range 2 {
		if a := callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(`{"type":"text","text":"x"}`)); a.status != 200 {
			t.Errorf("validate after push's bucket ran dry: %d %s", a.status, a.body)
		}
	}
	wantError(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(`{"type":"text","text":"x"}`)), 429, msgRateLimited)
}

// Faults reach validate by its name.
func TestValidatePushFaults(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	s.SetFault(EndpointValidatePush, Fault{Rate500: 1})
	wantError(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(`{"type":"text","text":"x"}`)), 500, msgInternal)
	if a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoRoom, "x")); a.status != 200 {
		t.Errorf("push under validate's fault: %d", a.status)
	}
}

func TestMessageTypes(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	objects := []string{
		`{"type":"sticker","packageId":"446","stickerId":"1988"}`,
		`{"type":"image","originalContentUrl":"https://example.com/a.jpg","previewImageUrl":"https://example.com/a-p.jpg"}`,
		`{"type":"location","title":"Office","address":"Tokyo","latitude":35.6,"longitude":139.7}`,
		flexMessage(statusCard),
		`{"type":"template","altText":"Approve?","template":{"type":"confirm","text":"Approve?","actions":[]}}`,
	}
	a := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoRoom, objects...))
	if a.status != 200 {
		t.Fatalf("push: %d %s", a.status, a.body)
	}
	var res pushResponse
	_ = json.Unmarshal(a.body, &res)
	// Quote tokens come with text, textV2, sticker, image, video, template and flex only.
	for i, want := range []bool{true, true, false, true, true} {
		if (res.SentMessages[i].QuoteToken != "") != want {
			t.Errorf("sent message %d (%s): quote token %q, want one: %v", i, objects[i], res.SentMessages[i].QuoteToken, want)
		}
	}
	p := s.PushedMessages()[0]
	if strings.Join(p.Texts, "|") != "(sticker)|(image)|(location)|Deploy status|Approve?" {
		t.Errorf("shown %q", p.Texts)
	}
	for i, o := range objects {
		if string(p.Messages[i]) != o {
			t.Errorf("message %d recorded as %s, want %s", i, p.Messages[i], o)
		}
	}
	if len(p.Mentions) != 0 || p.Charged != 3 {
		t.Errorf("mentions %q, charged %d", p.Mentions, p.Charged)
	}
	// Each type's required properties, all together with absolute properties.
	wantDetails(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(
		`{"type":"sticker","packageId":"446"}`,
		`{"type":"image","originalContentUrl":""}`,
		`{"type":"flex","altText":"`+strings.Repeat("a", 1501)+`"}`,
		`{"type":"audio","originalContentUrl":"https://example.com/a.m4a","duration":null}`,
		`{"type":"coupon"}`)),
		errorDetail{detailMayNotBeEmpty, "messages[0].stickerId"},
		errorDetail{detailMayNotBeEmpty, "messages[1].originalContentUrl"},
		errorDetail{detailMayNotBeEmpty, "messages[1].previewImageUrl"},
		errorDetail{detailMayNotBeEmpty, "messages[2].contents"},
		errorDetail{detailAltTextLength, "messages[2].altText"},
		errorDetail{detailMayNotBeEmpty, "messages[3].duration"},
		errorDetail{detailMayNotBeEmpty, "messages[4].couponId"})
	// Observed form of an unknown type's detail, with today's list.
	wantDetails(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoRoom, `{"type":"poll"}`)),
		errorDetail{"Must be one of the following values: [text, textV2, image, video, audio, location, sticker, imagemap, template, flex, coupon]", "messages[0].type"})
	wantError(t, callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoRoom, `{"type":"flex","altText":"x","contents":"bubble"}`)),
		400, "The property, 'messages[0].contents', in the request body is invalid (line: -, column: -)")
	wantError(t, callBody(t, ts, "POST", validatePath, jsonHeader, validateMessages(`{"type":7}`)),
		400, "The property, 'messages[0].type', in the request body is invalid (line: -, column: -)")
}

func TestFlexChecks(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	box := func(contents string) string {
		return `{"type":"box","layout":"vertical","contents":[` + contents + `]}`
	}
	text := `{"type":"text","text":"hi"}`
	bubble := func(blocks string) string { return `{"type":"bubble"` + blocks + `}` }
	for _, tc := range []struct {
		name      string
		container string
		detail    *errorDetail
	}{
		{"status card", statusCard, nil},
		{"hero image only", bubble(`,"hero":{"type":"image","url":"https://example.com/h.png"}`), nil},
		{"carousel of two", `{"type":"carousel","contents":[` + bubble(`,"body":`+box(text)) + `,` + bubble(`,"footer":`+box("")) + `]}`, nil},
		{"every component type", bubble(`,"body":` + box(`{"type":"button","action":{"type":"message","label":"a","text":"a"}},{"type":"image","url":"https://example.com/i.png"},`+
			`{"type":"video","url":"https://example.com/v.mp4","previewUrl":"https://example.com/p.png","altContent":{"type":"text","text":"v"}},`+
			`{"type":"icon","url":"https://example.com/i.png"},{"type":"text","contents":[{"type":"span","text":"s"}]},{"type":"separator"},{"type":"filler"}`)), nil},
		// Observed: LINE's answer for the spacer, which it no longer accepts.
		{"observed: a spacer in the footer", bubble(`,"body":` + box(text) + `,"footer":` + box(text+`,`+text+`,{"type":"spacer","size":"sm"}`)), &errorDetail{detailInvalidProperty, "/footer/contents/2"}},
		{"observed: a bubble without blocks", bubble(""), &errorDetail{detailNoBlock, "/"}},
		{"an unknown component deep down", bubble(`,"body":` + box(box(text+`,{"type":"chart"}`))), &errorDetail{detailInvalidProperty, "/body/contents/0/contents/1"}},
		{"a component without type", bubble(`,"body":` + box(`{"text":"hi"}`)), &errorDetail{detailInvalidProperty, "/body/contents/0"}},
		{"an unknown container", `{"type":"bubbles","body":` + box(text) + `}`, &errorDetail{detailInvalidProperty, "/"}},
		{"a body that is not a box", bubble(`,"body":` + text), &errorDetail{detailInvalidProperty, "/body"}},
		{"a hero that is text", bubble(`,"hero":` + text), &errorDetail{detailInvalidProperty, "/hero"}},
		{"a box without layout", bubble(`,"body":{"type":"box","contents":[]}`), &errorDetail{detailInvalidProperty, "/body/layout"}},
		{"a box without contents", bubble(`,"body":{"type":"box","layout":"vertical"}`), &errorDetail{detailInvalidProperty, "/body/contents"}},
		{"an empty carousel", `{"type":"carousel","contents":[]}`, &errorDetail{detailCarouselSize, "/contents"}},
		{"12 bubbles, LINE's most", `{"type":"carousel","contents":[` + strings.TrimSuffix(strings.Repeat(bubble(`,"body":`+box(text))+",", 12), ",") + `]}`, nil},
		{"13 bubbles", `{"type":"carousel","contents":[` + strings.TrimSuffix(strings.Repeat(bubble(`,"body":`+box(text))+",", 13), ",") + `]}`, &errorDetail{detailCarouselSize, "/contents"}},
		{"a carousel of a box", `{"type":"carousel","contents":[` + bubble(`,"body":`+box(text)) + `,` + box(text) + `]}`, &errorDetail{detailInvalidProperty, "/contents/1"}},
		{"a blockless bubble in a carousel", `{"type":"carousel","contents":[` + bubble("") + `]}`, &errorDetail{detailNoBlock, "/contents/0"}},
		{"a spacer in a carousel", `{"type":"carousel","contents":[` + bubble(`,"body":`+box(`{"type":"spacer"}`)) + `]}`, &errorDetail{detailInvalidProperty, "/contents/0/body/contents/0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{validatePath, pushPath} {
				body := validateMessages(`{"type":"text","text":"first"}`, flexMessage(tc.container))
				if path == pushPath {
					body = pushMessages(DemoGroupRelease, `{"type":"text","text":"first"}`, flexMessage(tc.container))
				}
				a := callBody(t, ts, "POST", path, jsonHeader, body)
				if tc.detail == nil {
					if a.status != 200 {
						t.Errorf("%s: %d %s, want 200", path, a.status, a.body)
					}
					continue
				}
				wantMessageInvalid(t, a, 1, *tc.detail)
			}
		})
	}
	if n := len(s.PushedMessages()); n != 5 {
		t.Errorf("%d pushed, want the 5 good ones", n)
	}
}

// An altText holds at most 1,500 (REFERENCE.md §15.1), counted in UTF-16 code units as the
// mock counts text: exactly 1,500 passes, 1,501 does not. A 🚀 is two units.
func TestAltTextLength(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	message := func(typ, altText string) string {
		switch typ {
		case "flex":
			return `{"type":"flex","altText":"` + altText + `","contents":` + statusCard + `}`
		default:
			return `{"type":"template","altText":"` + altText + `","template":{"type":"buttons","text":"t","actions":[{"type":"message","label":"a","text":"a"}]}}`
		}
	}
	for _, typ := range []string{"flex", "template"} {
		for _, path := range []string{validatePath, pushPath} {
			body := func(altText string) string {
				if path == pushPath {
					return pushMessages(DemoRoom, message(typ, altText))
				}
				return validateMessages(message(typ, altText))
			}
			for _, altText := range []string{strings.Repeat("a", maxAltTextLength), strings.Repeat("🚀", maxAltTextLength/2)} {
				if a := callBody(t, ts, "POST", path, jsonHeader, body(altText)); a.status != 200 {
					t.Errorf("%s %s, altText of exactly %d units: %d %s, want 200", path, typ, maxAltTextLength, a.status, a.body)
				}
			}
			for _, altText := range []string{strings.Repeat("a", maxAltTextLength+1), strings.Repeat("a", maxAltTextLength-1) + "🚀"} {
				wantDetails(t, callBody(t, ts, "POST", path, jsonHeader, body(altText)), errorDetail{detailAltTextLength, "messages[0].altText"})
			}
		}
	}
}
