package linemock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The contract tests check every success body the mock can give against LINE's official
// OpenAPI schemas, and every error body against their ErrorResponse schemas. LINE's schemas
// allow properties they do not declare, so the tests also refuse undeclared properties, and
// they check "uri" formats (which kin-openapi does not check by default) as https URLs: an
// empty pictureUrl would fail there. Error shapes: REFERENCE.md §3.

const openAPIDir = "testdata/line-openapi"

type contractSpec struct {
	doc    *openapi3.T
	router routers.Router
}

func loadSpec(t *testing.T, file string) contractSpec {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join(openAPIDir, file))
	if err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s is not a valid OpenAPI document: %v", file, err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("router for %s: %v", file, err)
	}
	return contractSpec{doc: doc, router: router}
}

// httpsURI checks OpenAPI's "uri" format the way LINE describes its picture URLs.
var httpsURI = openapi3.NewCallbackValidator(func(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute https URI", s)
	}
	return nil
})

var contractOptions = &openapi3filter.Options{
	IncludeResponseStatus:   true,
	MultiError:              true,
	SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidator("uri", httpsURI)},
}

// validateSuccess checks one 200 answer against the operation LINE's spec gives for it.
func (cs contractSpec) validateSuccess(t *testing.T, req *http.Request, a answer) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("%s %s: status %d, body %s; want 200", req.Method, req.URL.Path, a.status, a.body)
	}
	// Route as if the request went to https://api.line.me, the spec's only server.
	routed := req.Clone(context.Background())
	routed.URL = &url.URL{Scheme: "https", Host: "api.line.me", Path: req.URL.Path, RawQuery: req.URL.RawQuery}
	routed.Host = "api.line.me"
	route, params, err := cs.router.FindRoute(routed)
	if err != nil {
		t.Fatalf("%s %s: no route in LINE's spec: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: routed, PathParams: params, Route: route},
		Status:                 a.status,
		Header:                 a.header,
		Options:                contractOptions,
	}
	in.SetBodyBytes(a.body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: body %s does not match LINE's schema: %v", req.Method, req.URL.Path, a.body, err)
	}
	resp := route.Operation.Responses.Status(http.StatusOK)
	if resp == nil || resp.Value == nil {
		t.Fatalf("%s: no 200 response in the spec", route.Operation.OperationID)
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		// leaveGroup and leaveRoom declare no body; LINE's reference says it is {}.
		if string(a.body) != "{}" {
			t.Errorf("%s: body %s, want {}", route.Operation.OperationID, a.body)
		}
		return
	}
	checkDeclaredOnly(t, route.Operation.OperationID, mt.Schema.Value, a.body)
}

// validateError checks an error body against the spec's ErrorResponse schema.
func (cs contractSpec) validateError(t *testing.T, what string, body []byte) {
	t.Helper()
	ref := cs.doc.Components.Schemas["ErrorResponse"]
	if ref == nil || ref.Value == nil {
		t.Fatal("spec has no ErrorResponse schema")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: body %q is not JSON: %v", what, body, err)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s: body %s does not match ErrorResponse: %v", what, body, err)
	}
	checkDeclaredOnly(t, what, ref.Value, body)
}

// checkDeclaredOnly fails when the top-level object has a property the schema does not
// declare.
func checkDeclaredOnly(t *testing.T, what string, schema *openapi3.Schema, body []byte) {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatalf("%s: body %s is not a JSON object", what, body)
	}
	for k := range obj {
		if _, ok := schema.Properties[k]; !ok {
			t.Errorf("%s: property %q is not in LINE's schema (body %s)", what, k, body)
		}
	}
}

// contractWorld is the demo world plus what the demo lacks: a bot with a premium ID and no
// picture is tested on a second server; here, an empty group and an empty room.
func contractWorld() *Fixture {
	f := DemoFixture()
	f.Groups = append(f.Groups, Group{GroupID: "C" + strings.Repeat("e", 32), GroupName: "Empty"})
	f.Rooms = append(f.Rooms, Room{RoomID: "R" + strings.Repeat("e", 32)})
	return f
}

func TestContract(t *testing.T) {
	messaging := loadSpec(t, "messaging-api.yml")
	tokens := loadSpec(t, "channel-access-token.yml")
	cases := 0
	check := func(t *testing.T, spec contractSpec, ts *httptest.Server, method, path string, form url.Values) answer {
		t.Helper()
		var req *http.Request
		if form != nil {
			req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, path, nil)
			req.Header.Set("Authorization", "Bearer "+DemoToken)
		}
		a := callBody(t, ts, method, path, headerMap(req.Header), form.Encode())
		spec.validateSuccess(t, req, a)
		cases++
		return a
	}

	f := contractWorld()
	_, ts, _ := newTestServer(t, f)

	check(t, messaging, ts, "GET", "/v2/bot/info", nil)
	for _, g := range f.Groups {
		if !trueUnlessFalse(g.BotJoined) {
			continue
		}
		base := "/v2/bot/group/" + g.GroupID
		check(t, messaging, ts, "GET", base+"/summary", nil)
		check(t, messaging, ts, "GET", base+"/members/count", nil)
		cases += walkMemberIDs(t, messaging, ts, base)
		profiles := 0
		for _, m := range g.MemberIDs {
			if profiles < 3 && !userByID(f, m).NoConsent { // a sample is enough for 251 members
				check(t, messaging, ts, "GET", base+"/member/"+m, nil)
				profiles++
			}
		}
	}
	for _, r := range f.Rooms {
		base := "/v2/bot/room/" + r.RoomID
		if trueUnlessFalse(r.BotJoined) {
			check(t, messaging, ts, "GET", base+"/members/count", nil)
			cases += walkMemberIDs(t, messaging, ts, base)
			for _, m := range r.MemberIDs {
				check(t, messaging, ts, "GET", base+"/member/"+m, nil)
			}
		}
		check(t, messaging, ts, "POST", base+"/leave", nil) // 200 {} whether or not the bot is in it
	}
	for _, g := range f.Groups {
		if trueUnlessFalse(g.BotJoined) {
			check(t, messaging, ts, "POST", "/v2/bot/group/"+g.GroupID+"/leave", nil)
		}
	}
	a := check(t, tokens, ts, "POST", "/oauth2/v3/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DemoChannelID}, "client_secret": {DemoChannelSecret},
	})
	var tok statelessTokenResponse
	if err := json.Unmarshal(a.body, &tok); err != nil || tok.ExpiresIn != 900 || tok.TokenType != "Bearer" {
		t.Errorf("token body %s: want token_type Bearer and expires_in 900", a.body)
	}

	// A bot with a premium ID and no picture: the other shape of bot info.
	other := DemoFixture()
	other.Bot.PremiumID, other.Bot.PictureURL, other.Bot.ChatMode, other.Bot.MarkAsReadMode = "@ops", "", "chat", "manual"
	_, ts2, _ := newTestServer(t, other)
	check(t, messaging, ts2, "GET", "/v2/bot/info", nil)

	// Error bodies: one of each kind, against the ErrorResponse schemas.
	_, ts3, _ := newTestServer(t, nil)
	errorsCases := []struct {
		spec   contractSpec
		method string
		path   string
		header map[string]string
		form   string
		status int
	}{
		{messaging, "GET", "/v2/bot/info", map[string]string{"Authorization": ""}, "", 401},
		{messaging, "GET", "/v2/bot/info", map[string]string{"Authorization": "Bearer nope"}, "", 401},
		{messaging, "GET", "/v2/bot/group/Cbad/summary", nil, "", 400},
		{messaging, "GET", "/v2/bot/group/" + DemoGroupNotJoined + "/summary", nil, "", 404},
		{messaging, "POST", "/v2/bot/group/" + DemoGroupNotJoined + "/leave", nil, "", 404},
		{messaging, "GET", "/v2/bot/room/" + DemoRoom + "/members/ids?start=garbage", nil, "", 400},
		{messaging, "GET", "/nowhere", nil, "", 404},
		{messaging, "DELETE", "/v2/bot/info", nil, "", 405},
		{tokens, "POST", "/oauth2/v3/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "grant_type=client_credentials&client_id=1&client_secret=x", 400},
		{tokens, "POST", "/oauth2/v3/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "grant_type=password", 400},
	}
	for _, c := range errorsCases {
		a := callBody(t, ts3, c.method, c.path, c.header, c.form)
		if a.status != c.status {
			t.Errorf("%s %s: status %d, want %d (body %s)", c.method, c.path, a.status, c.status, a.body)
		}
		c.spec.validateError(t, fmt.Sprintf("%s %s → %d", c.method, c.path, c.status), a.body)
		cases++
	}
	_, limited, _ := newTestServer(t, nil, WithRateLimit(1))
	get(t, limited, "/v2/bot/info") // use up the bucket of one
	if a := get(t, limited, "/v2/bot/info"); a.status != http.StatusTooManyRequests {
		t.Errorf("second request with a limit of 1: status %d, want 429", a.status)
	} else {
		messaging.validateError(t, "429", a.body)
		cases++
	}
	// The JWT variant's 404 uses the Messaging API error shape (REFERENCE.md §3, §9); its
	// 400s and its token are the token endpoint's.
	a = callBody(t, ts3, "POST", "/oauth2/v3/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		assertionForm(signAssertion(t, testAssertionKey(t), "unregistered-kid", goodClaims(testEpoch))).Encode())
	if a.status != http.StatusNotFound {
		t.Errorf("JWT with an unknown kid: status %d, want 404", a.status)
	}
	messaging.validateError(t, "JWT token request", a.body)
	cases++
	keyed, keyedTS, _ := newTestServer(t, nil)
	registerTestKey(t, keyed)
	a = check(t, tokens, keyedTS, "POST", "/oauth2/v3/token", assertionForm(signAssertion(t, testAssertionKey(t), testKID, goodClaims(testEpoch))))
	if a.status != http.StatusOK {
		t.Errorf("JWT with a registered key: status %d %s, want 200", a.status, a.body)
	}
	expired := goodClaims(testEpoch)
	expired["exp"] = testEpoch.Add(-time.Second).Unix()
	a = callBody(t, keyedTS, "POST", "/oauth2/v3/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		assertionForm(signAssertion(t, testAssertionKey(t), testKID, expired)).Encode())
	if a.status != http.StatusBadRequest {
		t.Errorf("expired JWT: status %d, want 400", a.status)
	}
	tokens.validateError(t, "expired JWT", a.body)
	cases++

	if cases < 40 {
		t.Errorf("only %d contract cases ran; the world should give more", cases)
	}
	t.Logf("contract cases validated against LINE's OpenAPI schemas: %d", cases)
}

// walkMemberIDs checks every page of a chat's member IDs and returns how many pages it saw.
func walkMemberIDs(t *testing.T, spec contractSpec, ts *httptest.Server, base string) int {
	t.Helper()
	pages, start := 0, ""
	for {
		path := base + "/members/ids"
		if start != "" {
			path += "?start=" + url.QueryEscape(start)
		}
		req := httptest.NewRequest("GET", path, nil)
		a := get(t, ts, path)
		spec.validateSuccess(t, req, a)
		pages++
		var body memberIDsResponse
		if err := json.Unmarshal(a.body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Next == "" || pages > 10 {
			return pages
		}
		start = body.Next
	}
}

func userByID(f *Fixture, id string) User {
	for _, u := range f.Users {
		if u.UserID == id {
			return u
		}
	}
	return User{}
}

func headerMap(h http.Header) map[string]string {
	m := map[string]string{}
	for k := range h {
		m[k] = h.Get(k)
	}
	if _, ok := m["Authorization"]; !ok {
		m["Authorization"] = ""
	}
	return m
}

// TestOpenAPICopiesMatchShared keeps testdata/line-openapi identical to the project's
// shared reference copy, when that folder is present.
func TestOpenAPICopiesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "line-openapi")
	if _, err := os.Stat(shared); errors.Is(err, os.ErrNotExist) {
		t.Logf("%s not present; nothing to compare", shared)
		return
	}
	for _, name := range []string{"messaging-api.yml", "channel-access-token.yml", "LICENSE"} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(openAPIDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s", filepath.Join(openAPIDir, name), filepath.Join(shared, name))
		}
	}
}

// TestContractPushAndQuota checks the push and quota bodies (REFERENCE.md §14) against
// LINE's schemas: the 200s, and the error bodies the spec declares for push (400 with
// details, 409 with sentMessages, 429).
func TestContractPushAndQuota(t *testing.T) {
	messaging := loadSpec(t, "messaging-api.yml")
	s, ts, _ := newTestServer(t, nil)
	cases := 0
	success := func(method, path, body string, header map[string]string) answer {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		a := callBody(t, ts, method, path, header, body)
		messaging.validateSuccess(t, req, a)
		cases++
		return a
	}
	const key = "d3d3d3d3-1111-4222-8333-444444444444"
	body := pushBody(DemoGroupOps, "one", "two", "three", "four", "five")
	// The body the mock accepts is one LINE's schema accepts (less the SDK's
	// "customAggregationUnits":null, which the schema does not allow but LINE takes).
	reqSchema := messaging.doc.Components.Schemas["PushMessageRequest"]
	var reqValue any
	if err := json.Unmarshal([]byte(strings.Replace(body, `,"customAggregationUnits":null`, "", 1)), &reqValue); err != nil {
		t.Fatal(err)
	}
	if err := reqSchema.Value.VisitJSON(reqValue, openapi3.MultiErrors()); err != nil {
		t.Errorf("push body %s does not match PushMessageRequest: %v", body, err)
	}
	success("POST", pushPath, body, withKey(key))
	success("POST", pushPath, pushBody(DemoUserAiko, "one"), jsonHeader)
	success("GET", "/v2/bot/message/quota", "", nil)
	success("GET", "/v2/bot/message/quota/consumption", "", nil)
	s.SetMessageQuota(100)
	if a := success("GET", "/v2/bot/message/quota", "", nil); !strings.Contains(string(a.body), `"value":100`) {
		t.Errorf("limited quota: %s", a.body)
	}

	for _, c := range []struct {
		name   string
		header map[string]string
		body   string
		status int
	}{
		{"409 retry key", withKey(key), body, 409},
		{"400 details", jsonHeader, `{"to":"","messages":[]}`, 400},
		{"400 to", jsonHeader, pushBody("someone", "x"), 400},
		{"400 recipient", jsonHeader, pushBody(DemoGroupNotJoined, "x"), 400},
		{"400 retry key", withKey("nope"), body, 400},
	} {
		a := callBody(t, ts, "POST", pushPath, c.header, c.body)
		if a.status != c.status {
			t.Errorf("%s: status %d %s, want %d", c.name, a.status, a.body, c.status)
		}
		messaging.validateError(t, c.name, a.body)
		cases++
	}
	s.SetMessageQuota(0)
	a := callBody(t, ts, "POST", pushPath, jsonHeader, pushBody(DemoRoom, "x"))
	if a.status != 429 {
		t.Errorf("monthly limit: %d", a.status)
	}
	messaging.validateError(t, "429 monthly limit", a.body)
	cases++
	t.Logf("push and quota contract cases: %d", cases)
}

// TestContractMessagesAndValidate checks the message objects the mock accepts (textV2 with
// mentions and emoji, flex, sticker, image; REFERENCE.md §15) against their schemas in LINE's
// OpenAPI file, and the validate endpoint's answers against the spec: 200 (declared without
// a body; LINE's reference says {}) and the error bodies of both families.
func TestContractMessagesAndValidate(t *testing.T) {
	messaging := loadSpec(t, "messaging-api.yml")
	s, ts, _ := newTestServer(t, nil)
	schema := func(name string) *openapi3.Schema {
		t.Helper()
		ref := messaging.doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Fatalf("no schema %s in LINE's spec", name)
		}
		return ref.Value
	}
	conforms := func(what, name string, raw []byte) {
		t.Helper()
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := schema(name).VisitJSON(v, openapi3.MultiErrors()); err != nil {
			t.Errorf("%s %s does not match %s: %v", what, raw, name, err)
		}
	}
	// LINE's schemas declare the subtypes by discriminator without oneOf, so each object is
	// checked against its own type's schema, down to the substitution and the container.
	byType := map[string]string{"textV2": "TextMessageV2", "flex": "FlexMessage", "sticker": "StickerMessage", "image": "ImageMessage", "text": "TextMessage"}
	accepted := []string{
		textV2("{all} {oncall} {fire}", `{"all":`+mentionAll+`,"oncall":`+mentionUser(DemoUserAiko)+`,"fire":`+emojiEntry+`}`),
		flexMessage(statusCard),
		`{"type":"sticker","packageId":"446","stickerId":"1988"}`,
		`{"type":"image","originalContentUrl":"https://example.com/a.jpg","previewImageUrl":"https://example.com/a-p.jpg"}`,
		`{"type":"text","text":"plain"}`,
	}
	body := validateMessages(accepted...)
	conforms("validate body", "ValidateMessageRequest", []byte(body))
	conforms("push body", "PushMessageRequest", []byte(strings.Replace(pushMessages(DemoGroupOps, accepted...), `,"customAggregationUnits":null`, "", 1)))
	for _, obj := range accepted {
		var m struct {
			Type         string                     `json:"type"`
			Substitution map[string]json.RawMessage `json:"substitution"`
			Contents     json.RawMessage            `json:"contents"`
		}
		if err := json.Unmarshal([]byte(obj), &m); err != nil {
			t.Fatal(err)
		}
		conforms(m.Type+" message", byType[m.Type], []byte(obj))
		for k, sub := range m.Substitution {
			var entry struct {
				Type      string          `json:"type"`
				Mentionee json.RawMessage `json:"mentionee"`
			}
			_ = json.Unmarshal(sub, &entry)
			if entry.Type == "emoji" {
				conforms("substitution "+k, "EmojiSubstitutionObject", sub)
				continue
			}
			conforms("substitution "+k, "MentionSubstitutionObject", sub)
			target := "AllMentionTarget"
			if strings.Contains(string(entry.Mentionee), `"user"`) {
				target = "UserMentionTarget"
			}
			conforms("mentionee "+k, target, entry.Mentionee)
		}
		if m.Contents != nil {
			conforms("flex container", "FlexBubble", m.Contents)
		}
	}

	req := httptest.NewRequest("POST", validatePath, strings.NewReader(body))
	messaging.validateSuccess(t, req, callBody(t, ts, "POST", validatePath, jsonHeader, body))
	push := callBody(t, ts, "POST", pushPath, jsonHeader, pushMessages(DemoGroupOps, accepted...))
	messaging.validateSuccess(t, httptest.NewRequest("POST", pushPath, nil), push)
	cases := 2
	for _, c := range []struct {
		name, path, body string
		header           map[string]string
	}{
		{"schema family", validatePath, `{"messages":[]}`, jsonHeader},
		{"textV2 family", validatePath, validateMessages(textV2("{!owe}", "")), jsonHeader},
		{"flex family", validatePath, validateMessages(flexMessage(`{"type":"bubble"}`)), jsonHeader},
		{"retry key", validatePath, body, withKey("123e4567-e89b-12d3-a456-426614174000")},
		{"mention of a stranger", pushPath, pushMessages(DemoGroupOps, textV2("{u}", `{"u":`+mentionUser(DemoUserEmi)+`}`)), jsonHeader},
	} {
		a := callBody(t, ts, "POST", c.path, c.header, c.body)
		if a.status != 400 {
			t.Errorf("%s: %d %s, want 400", c.name, a.status, a.body)
		}
		messaging.validateError(t, c.name, a.body)
		cases++
	}
	if n := len(s.PushedMessages()); n != 1 {
		t.Errorf("%d pushed, want 1", n)
	}
	t.Logf("message and validate contract cases: %d", cases)
}
