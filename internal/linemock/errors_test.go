package linemock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// messagingEndpoints are the ten Messaging API endpoints with paths that succeed in the
// demo world.
var messagingEndpoints = []struct {
	endpoint, method, path string
}{
	{EndpointGroupSummary, "GET", "/v2/bot/group/" + DemoGroupOps + "/summary"},
	{EndpointGroupMemberCount, "GET", "/v2/bot/group/" + DemoGroupOps + "/members/count"},
	{EndpointGroupMemberIDs, "GET", "/v2/bot/group/" + DemoGroupOps + "/members/ids"},
	{EndpointGroupMemberProfile, "GET", "/v2/bot/group/" + DemoGroupOps + "/member/" + DemoUserAiko},
	{EndpointGroupLeave, "POST", "/v2/bot/group/" + DemoGroupOps + "/leave"},
	{EndpointRoomMemberCount, "GET", "/v2/bot/room/" + DemoRoom + "/members/count"},
	{EndpointRoomMemberIDs, "GET", "/v2/bot/room/" + DemoRoom + "/members/ids"},
	{EndpointRoomMemberProfile, "GET", "/v2/bot/room/" + DemoRoom + "/member/" + DemoUserAiko},
	{EndpointRoomLeave, "POST", "/v2/bot/room/" + DemoRoom + "/leave"},
	{EndpointBotInfo, "GET", "/v2/bot/info"},
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func wantError(t *testing.T, a answer, status int, message string) {
	t.Helper()
	if a.status != status {
		t.Errorf("status %d, want %d (body %s)", a.status, status, a.body)
		return
	}
	if got := a.message(t); got != message {
		t.Errorf("message %q, want %q", got, message)
	}
	if len(a.json(t)) != 1 {
		t.Errorf("error body %s: want only \"message\"", a.body)
	}
	checkCommonHeaders(t, a)
}

func checkCommonHeaders(t *testing.T, a answer) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if id := a.header.Get("X-Line-Request-Id"); !uuidPattern.MatchString(id) {
		t.Errorf("X-Line-Request-Id %q is not a UUID", id)
	}
	if ra := a.header.Get("Retry-After"); ra != "" {
		t.Errorf("Retry-After %q: LINE sends none", ra)
	}
}

// The checks every endpoint shares, in the order of REFERENCE.md §12, with the literal
// messages of §4.
func TestEveryEndpointSharedChecks(t *testing.T) {
	cases := []struct {
		name    string
		headers map[string]string
		status  int
		message string
	}{
		{"no Authorization header", map[string]string{"Authorization": ""}, 401, msgAuthHeaderRequired},
		{"Basic scheme", map[string]string{"Authorization": "Basic ZGVtbzpkZW1v"}, 401, msgAuthHeaderRequired},
		{"Bearer without a token", map[string]string{"Authorization": "Bearer "}, 401, msgAuthHeaderRequired},
		{"token without a scheme", map[string]string{"Authorization": DemoToken}, 401, msgAuthHeaderRequired},
		{"unknown token", map[string]string{"Authorization": "Bearer not-a-token"}, 401, msgAuthFailed},
		{"token of another case", map[string]string{"Authorization": "Bearer DEMO-TOKEN"}, 401, msgAuthFailed},
		{"retry key", map[string]string{"X-Line-Retry-Key": "123e4567-e89b-12d3-a456-426655440001"}, 400, msgRetryKey},
		{"empty retry key", map[string]string{"X-Line-Retry-Key": " "}, 400, msgRetryKey},
		{"401 before retry key", map[string]string{"Authorization": "", "X-Line-Retry-Key": "k"}, 401, msgAuthHeaderRequired},
		{"bad token before retry key", map[string]string{"Authorization": "Bearer x", "X-Line-Retry-Key": "k"}, 401, msgAuthFailed},
	}
	for _, ep := range messagingEndpoints {
		for _, c := range cases {
			t.Run(ep.endpoint+"/"+c.name, func(t *testing.T) {
				s, ts, _ := newTestServer(t, nil)
				wantError(t, call(t, ts, ep.method, ep.path, c.headers), c.status, c.message)
				// The failed request changed nothing: the same call now succeeds.
				if a := call(t, ts, ep.method, ep.path, nil); a.status != 200 {
					t.Errorf("then a good request: status %d, body %s", a.status, a.body)
				}
				if n := s.CountRequests(ep.endpoint); n != 2 {
					t.Errorf("CountRequests(%q) = %d, want 2", ep.endpoint, n)
				}
			})
		}
		t.Run(ep.endpoint+"/scheme is case-insensitive", func(t *testing.T) {
			_, ts, _ := newTestServer(t, nil)
			if a := call(t, ts, ep.method, ep.path, map[string]string{"Authorization": "bearer " + DemoToken}); a.status != 200 {
				t.Errorf("status %d, body %s", a.status, a.body)
			}
		})
	}
}

func TestRetryKeyBeforeBadID(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	a := call(t, ts, "GET", "/v2/bot/group/Cbad/summary", map[string]string{"X-Line-Retry-Key": "k"})
	wantError(t, a, 400, msgRetryKey)
}

// REFERENCE.md §4 and §10: a malformed ID is a 400 naming the parameter.
func TestMalformedIDs(t *testing.T) {
	upper := "C" + strings.ToUpper(DemoGroupOps[1:])
	short := DemoGroupOps[:32]
	long := DemoGroupOps + "0"
	cases := []struct {
		name, method, path, param string
	}{
		{"group summary, garbage", "GET", "/v2/bot/group/Cxyz/summary", "groupId"},
		{"group summary, uppercase hex", "GET", "/v2/bot/group/" + upper + "/summary", "groupId"},
		{"group summary, 32 chars", "GET", "/v2/bot/group/" + short + "/summary", "groupId"},
		{"group summary, 34 chars", "GET", "/v2/bot/group/" + long + "/summary", "groupId"},
		{"group summary, room ID", "GET", "/v2/bot/group/" + DemoRoom + "/summary", "groupId"},
		{"group summary, user ID", "GET", "/v2/bot/group/" + DemoUserAiko + "/summary", "groupId"},
		{"group summary, escaped slash", "GET", "/v2/bot/group/C0c5%2F0000000000000000000000000001/summary", "groupId"},
		{"group count", "GET", "/v2/bot/group/C123/members/count", "groupId"},
		{"group ids", "GET", "/v2/bot/group/C123/members/ids", "groupId"},
		{"group profile, bad group", "GET", "/v2/bot/group/C123/member/" + DemoUserAiko, "groupId"},
		{"group profile, bad group and user", "GET", "/v2/bot/group/C123/member/U123", "groupId"},
		{"group profile, bad user", "GET", "/v2/bot/group/" + DemoGroupOps + "/member/U123", "userId"},
		{"group profile, group ID as user", "GET", "/v2/bot/group/" + DemoGroupOps + "/member/" + DemoGroupOps, "userId"},
		{"group leave", "POST", "/v2/bot/group/C123/leave", "groupId"},
		{"room count", "GET", "/v2/bot/room/R123/members/count", "roomId"},
		{"room count, group ID", "GET", "/v2/bot/room/" + DemoGroupOps + "/members/count", "roomId"},
		{"room ids", "GET", "/v2/bot/room/R123/members/ids", "roomId"},
		{"room profile, bad room", "GET", "/v2/bot/room/R123/member/" + DemoUserAiko, "roomId"},
		{"room profile, bad user", "GET", "/v2/bot/room/" + DemoRoom + "/member/Uxyz", "userId"},
		{"room leave", "POST", "/v2/bot/room/R123/leave", "roomId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts, _ := newTestServer(t, nil)
			wantError(t, call(t, ts, c.method, c.path, nil), 400, "The value for the '"+c.param+"' parameter is invalid")
		})
	}
}

// REFERENCE.md §6, §7: an unknown chat and one the bot is not in are the same 404.
func TestNotFound(t *testing.T) {
	unknownGroup := "C" + strings.Repeat("f", 32)
	unknownRoom := "R" + strings.Repeat("f", 32)
	unknownUser := "U" + strings.Repeat("f", 32)
	cases := []struct {
		name, method, path string
	}{
		{"unknown group summary", "GET", "/v2/bot/group/" + unknownGroup + "/summary"},
		{"unknown group count", "GET", "/v2/bot/group/" + unknownGroup + "/members/count"},
		{"unknown group ids", "GET", "/v2/bot/group/" + unknownGroup + "/members/ids"},
		{"unknown group profile", "GET", "/v2/bot/group/" + unknownGroup + "/member/" + DemoUserAiko},
		{"unknown group leave", "POST", "/v2/bot/group/" + unknownGroup + "/leave"},
		{"not-joined group summary", "GET", "/v2/bot/group/" + DemoGroupNotJoined + "/summary"},
		{"not-joined group count", "GET", "/v2/bot/group/" + DemoGroupNotJoined + "/members/count"},
		{"not-joined group ids", "GET", "/v2/bot/group/" + DemoGroupNotJoined + "/members/ids"},
		{"not-joined group profile", "GET", "/v2/bot/group/" + DemoGroupNotJoined + "/member/" + DemoUserBen},
		{"not-joined group leave", "POST", "/v2/bot/group/" + DemoGroupNotJoined + "/leave"},
		{"unknown room count", "GET", "/v2/bot/room/" + unknownRoom + "/members/count"},
		{"unknown room ids", "GET", "/v2/bot/room/" + unknownRoom + "/members/ids"},
		{"unknown room profile", "GET", "/v2/bot/room/" + unknownRoom + "/member/" + DemoUserAiko},
		{"unknown room leave", "POST", "/v2/bot/room/" + unknownRoom + "/leave"},
		{"not-joined room count", "GET", "/v2/bot/room/" + DemoRoomNotJoined + "/members/count"},
		{"not-joined room ids", "GET", "/v2/bot/room/" + DemoRoomNotJoined + "/members/ids"},
		{"not-joined room profile", "GET", "/v2/bot/room/" + DemoRoomNotJoined + "/member/" + DemoUserEmi},
		{"group profile, user not in group", "GET", "/v2/bot/group/" + DemoGroupRelease + "/member/" + DemoUserBen},
		{"group profile, unknown user", "GET", "/v2/bot/group/" + DemoGroupOps + "/member/" + unknownUser},
		{"group profile, no consent", "GET", "/v2/bot/group/" + DemoGroupOps + "/member/" + DemoUserDaichi},
		{"group profile, the bot", "GET", "/v2/bot/group/" + DemoGroupOps + "/member/" + DemoBotUserID},
		{"room profile, user not in room", "GET", "/v2/bot/room/" + DemoRoom + "/member/" + DemoUserChika},
		{"room profile, unknown user", "GET", "/v2/bot/room/" + DemoRoom + "/member/" + unknownUser},
		{"group 404 before bad start", "GET", "/v2/bot/group/" + DemoGroupNotJoined + "/members/ids?start=garbage"},
		{"room 404 before bad start", "GET", "/v2/bot/room/" + unknownRoom + "/members/ids?start=garbage"},
		{"room has no summary", "GET", "/v2/bot/room/" + DemoRoom + "/summary"},
		{"unknown path", "GET", "/v2/bot/nothing"},
		{"unknown path with trailing slash", "GET", "/v2/bot/info/"},
		{"root", "GET", "/"},
		{"unclean path", "GET", "/v2/bot/group/" + DemoGroupOps + "/../" + DemoGroupOps + "/summary"},
		{"double slash", "GET", "/v2/bot//info"},
		{"unknown control", "GET", "/_mock/nothing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts, _ := newTestServer(t, nil)
			wantError(t, call(t, ts, c.method, c.path, nil), 404, msgNotFound)
		})
	}
}

// REFERENCE.md §13: wrong methods and unknown paths.
func TestWrongMethod(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	for _, c := range []struct{ method, path, allow string }{
		{"POST", "/v2/bot/info", "GET"},
		{"HEAD", "/v2/bot/info", "GET"},
		{"DELETE", "/v2/bot/group/" + DemoGroupOps + "/summary", "GET"},
		{"GET", "/v2/bot/group/" + DemoGroupOps + "/leave", "POST"},
		{"PUT", "/v2/bot/room/" + DemoRoom + "/members/ids", "GET"},
		{"GET", "/oauth2/v3/token", "POST"},
		{"POST", "/_mock/state", "GET"},
	} {
		a := call(t, ts, c.method, c.path, nil)
		if c.method == "HEAD" {
			if a.status != 405 {
				t.Errorf("HEAD %s: status %d, want 405", c.path, a.status)
			}
			continue
		}
		wantError(t, a, 405, msgMethodNotAllowed)
		if got := a.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
	// The group was not left by the GET.
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"); a.status != 200 {
		t.Errorf("group summary after GET …/leave: %d", a.status)
	}
}

// REFERENCE.md §6: members/ids is for verified or premium accounts only.
func TestMemberIDsForbiddenWhenUnverified(t *testing.T) {
	f := DemoFixture()
	no := false
	f.Verified = &no
	_, ts, _ := newTestServer(t, f)
	for _, path := range []string{
		"/v2/bot/group/" + DemoGroupOps + "/members/ids",
		"/v2/bot/room/" + DemoRoom + "/members/ids",
		// 403 comes before 404 and before the start check.
		"/v2/bot/group/" + DemoGroupNotJoined + "/members/ids",
		"/v2/bot/group/C" + strings.Repeat("f", 32) + "/members/ids",
		"/v2/bot/room/" + DemoRoom + "/members/ids?start=garbage",
	} {
		wantError(t, get(t, ts, path), 403, msgForbidden)
	}
	// …but after the ID check.
	wantError(t, get(t, ts, "/v2/bot/group/Cx/members/ids"), 400, msgInvalidParam("groupId"))
	// Other endpoints do not need a verified account.
	for _, path := range []string{
		"/v2/bot/group/" + DemoGroupOps + "/members/count",
		"/v2/bot/group/" + DemoGroupOps + "/summary",
		"/v2/bot/group/" + DemoGroupOps + "/member/" + DemoUserAiko,
		"/v2/bot/info",
	} {
		if a := get(t, ts, path); a.status != 200 {
			t.Errorf("GET %s unverified: status %d, body %s", path, a.status, a.body)
		}
	}
}

func memberPage(t *testing.T, a answer) memberIDsResponse {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("status %d, body %s", a.status, a.body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &raw); err != nil {
		t.Fatal(err)
	}
	if n, ok := raw["next"]; ok && string(n) == `""` {
		t.Errorf("next is sent empty: %s", a.body)
	}
	var p memberIDsResponse
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// REFERENCE.md §6 and §13: pages of 100, continuation tokens valid 24 hours.
func TestMemberIDsPagination(t *testing.T) {
	_, ts, clock := newTestServer(t, nil)
	base := "/v2/bot/group/" + DemoGroupAllHands + "/members/ids"
	p1 := memberPage(t, get(t, ts, base))
	p2 := memberPage(t, get(t, ts, base+"?start="+url.QueryEscape(p1.Next)))
	p3 := memberPage(t, get(t, ts, base+"?start="+url.QueryEscape(p2.Next)))
	if len(p1.MemberIDs) != 100 || len(p2.MemberIDs) != 100 || len(p3.MemberIDs) != 50 {
		t.Fatalf("page sizes %d, %d, %d; want 100, 100, 50", len(p1.MemberIDs), len(p2.MemberIDs), len(p3.MemberIDs))
	}
	if p1.Next == "" || p2.Next == "" || p3.Next != "" {
		t.Errorf("next: %q, %q, %q; want two tokens then none", p1.Next, p2.Next, p3.Next)
	}
	seen := map[string]bool{}
	for _, id := range append(append(p1.MemberIDs, p2.MemberIDs...), p3.MemberIDs...) {
		if seen[id] {
			t.Errorf("%s listed twice", id)
		}
		seen[id] = true
	}
	if len(seen) != DemoGroupAllHandsListedCount || seen[DemoUserDaichi] || seen[DemoBotUserID] {
		t.Errorf("%d distinct IDs (Daichi listed: %v, bot listed: %v); want %d, neither listed",
			len(seen), seen[DemoUserDaichi], seen[DemoBotUserID], DemoGroupAllHandsListedCount)
	}
	if p1.MemberIDs[0] != DemoUserAiko {
		t.Errorf("first member %s, want the fixture's order (Aiko first)", p1.MemberIDs[0])
	}

	// A token can be used again while it lives.
	again := memberPage(t, get(t, ts, base+"?start="+url.QueryEscape(p1.Next)))
	if again.MemberIDs[0] != p2.MemberIDs[0] {
		t.Errorf("reusing a token gave another page")
	}
	// An empty start is no start.
	if p := memberPage(t, get(t, ts, base+"?start=")); p.MemberIDs[0] != p1.MemberIDs[0] {
		t.Errorf("start= did not give the first page")
	}

	// Bound to its chat: another chat's token is refused, even a chat with many members.
	other := "/v2/bot/group/" + DemoGroupOps + "/members/ids?start=" + url.QueryEscape(p1.Next)
	wantError(t, get(t, ts, other), 400, msgInvalidStart)
	roomPath := "/v2/bot/room/" + DemoRoom + "/members/ids?start=" + url.QueryEscape(p1.Next)
	wantError(t, get(t, ts, roomPath), 400, msgInvalidStart)

	// Garbage and tampered tokens.
	for _, bad := range []string{"garbage", "jxEWCEEP", p1.Next + "A", p1.Next[:len(p1.Next)-2], strings.ToUpper(p1.Next), "%%%"} {
		wantError(t, get(t, ts, base+"?start="+url.QueryEscape(bad)), 400, msgInvalidStart)
	}

	// A token lives 24 hours of the mock's clock.
	clock.Advance(24*time.Hour - time.Second)
	memberPage(t, get(t, ts, base+"?start="+url.QueryEscape(p1.Next)))
	clock.Advance(time.Second)
	wantError(t, get(t, ts, base+"?start="+url.QueryEscape(p1.Next)), 400, msgInvalidStart)
	// A fresh walk works again.
	if p := memberPage(t, get(t, ts, base)); len(p.MemberIDs) != 100 || p.Next == "" {
		t.Errorf("fresh first page after expiry: %d IDs, next %q", len(p.MemberIDs), p.Next)
	}
}

func TestMemberIDsTokenFromAnotherServer(t *testing.T) {
	_, ts1, _ := newTestServer(t, nil)
	_, ts2, _ := newTestServer(t, nil)
	base := "/v2/bot/group/" + DemoGroupAllHands + "/members/ids"
	p := memberPage(t, get(t, ts1, base))
	wantError(t, get(t, ts2, base+"?start="+url.QueryEscape(p.Next)), 400, msgInvalidStart)
}

func TestMemberIDsExactlyOneHundred(t *testing.T) {
	f := DemoFixture()
	g := Group{GroupID: "C" + strings.Repeat("1", 32), GroupName: "Hundred"}
	for _, u := range f.Users[5:105] {
		g.MemberIDs = append(g.MemberIDs, u.UserID)
	}
	f.Groups = append(f.Groups, g)
	_, ts, _ := newTestServer(t, f)
	p := memberPage(t, get(t, ts, "/v2/bot/group/"+g.GroupID+"/members/ids"))
	if len(p.MemberIDs) != 100 || p.Next != "" {
		t.Errorf("100 members: %d IDs, next %q; want one full page and no next", len(p.MemberIDs), p.Next)
	}
}

func TestMemberIDsEmpty(t *testing.T) {
	f := DemoFixture()
	f.Groups = append(f.Groups, Group{GroupID: "C" + strings.Repeat("2", 32), GroupName: "Lonely bot"})
	f.Rooms = append(f.Rooms, Room{RoomID: "R" + strings.Repeat("2", 32), MemberIDs: []string{DemoUserDaichi}})
	_, ts, _ := newTestServer(t, f)
	for _, path := range []string{
		"/v2/bot/group/C" + strings.Repeat("2", 32) + "/members/ids",
		"/v2/bot/room/R" + strings.Repeat("2", 32) + "/members/ids", // only a member without consent
	} {
		a := get(t, ts, path)
		if a.status != 200 || string(a.body) != `{"memberIds":[]}` {
			t.Errorf("GET %s: %d %s; want 200 {\"memberIds\":[]}", path, a.status, a.body)
		}
	}
	a := get(t, ts, "/v2/bot/room/R"+strings.Repeat("2", 32)+"/members/count")
	if a.status != 200 || string(a.body) != `{"count":1}` {
		t.Errorf("count of a room with one member without consent: %s", a.body)
	}
}

// REFERENCE.md §11: consent decides listing and profiles, not the count.
func TestCountsAndConsent(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	for path, want := range map[string]string{
		"/v2/bot/group/" + DemoGroupOps + "/members/count":      `{"count":4}`, // Daichi counted, bot not
		"/v2/bot/group/" + DemoGroupRelease + "/members/count":  `{"count":2}`,
		"/v2/bot/group/" + DemoGroupAllHands + "/members/count": `{"count":251}`,
		"/v2/bot/room/" + DemoRoom + "/members/count":           `{"count":3}`,
	} {
		if a := get(t, ts, path); a.status != 200 || string(a.body) != want {
			t.Errorf("GET %s: %d %s, want %s", path, a.status, a.body, want)
		}
	}
	p := memberPage(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/ids"))
	if strings.Join(p.MemberIDs, ",") != strings.Join([]string{DemoUserAiko, DemoUserBen, DemoUserChika}, ",") {
		t.Errorf("ops member IDs %v: want Aiko, Ben, Chika (Daichi has no consent)", p.MemberIDs)
	}
}

// REFERENCE.md §6, §8: optional fields are left out, never "".
func TestOmittedFields(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	cases := []struct {
		path, body string
	}{
		{"/v2/bot/group/" + DemoGroupRelease + "/summary", `{"groupId":"` + DemoGroupRelease + `","groupName":"Release train"}`},
		{"/v2/bot/group/" + DemoGroupOps + "/member/" + DemoUserBen, `{"displayName":"Ben","userId":"` + DemoUserBen + `"}`},
		{"/v2/bot/room/" + DemoRoom + "/member/" + DemoUserBen, `{"displayName":"Ben","userId":"` + DemoUserBen + `"}`},
		{"/v2/bot/group/" + DemoGroupOps + "/member/" + DemoUserAiko, `{"displayName":"Aiko","userId":"` + DemoUserAiko + `","pictureUrl":"https://profile.line-scdn.net/demo/aiko.png"}`},
		{"/v2/bot/info", `{"userId":"` + DemoBotUserID + `","basicId":"@123abcde","displayName":"Ops Bot","pictureUrl":"` + DemoBotPictureURL + `","chatMode":"bot","markAsReadMode":"auto"}`},
	}
	for _, c := range cases {
		a := get(t, ts, c.path)
		if a.status != 200 || string(a.body) != c.body {
			t.Errorf("GET %s:\n got %d %s\nwant 200 %s", c.path, a.status, a.body, c.body)
		}
		checkCommonHeaders(t, a)
	}
	f := DemoFixture()
	f.Bot.PictureURL, f.Bot.PremiumID = "", "@ops"
	_, ts2, _ := newTestServer(t, f)
	want := `{"userId":"` + DemoBotUserID + `","basicId":"@123abcde","premiumId":"@ops","displayName":"Ops Bot","chatMode":"bot","markAsReadMode":"auto"}`
	if a := get(t, ts2, "/v2/bot/info"); string(a.body) != want {
		t.Errorf("bot info with premium ID and no picture:\n got %s\nwant %s", a.body, want)
	}
}

// REFERENCE.md §6, §7: leaving a group twice is 404; a room the bot is not in is 200.
func TestLeave(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	group := "/v2/bot/group/" + DemoGroupOps
	// No body and no Content-Type, as the SDK sends it.
	req, _ := http.NewRequest("POST", ts.URL+group+"/leave", nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("leave group: %d", res.StatusCode)
	}
	if got := s.Requests()[0].Header.Get("Content-Type"); got != "" {
		t.Fatalf("test sent Content-Type %q", got)
	}
	for _, sub := range []string{"/summary", "/members/count", "/members/ids", "/member/" + DemoUserAiko} {
		wantError(t, get(t, ts, group+sub), 404, msgNotFound)
	}
	wantError(t, post(t, ts, group+"/leave"), 404, msgNotFound) // leaving twice
	if joined, _ := s.BotJoined(DemoGroupOps); joined {
		t.Error("BotJoined after leave = true")
	}

	room := "/v2/bot/room/" + DemoRoom
	for i := range 2 { // leaving a room twice: 200 {} both times
		if a := post(t, ts, room+"/leave"); a.status != 200 || string(a.body) != "{}" {
			t.Errorf("leave room #%d: %d %s, want 200 {}", i+1, a.status, a.body)
		}
	}
	wantError(t, get(t, ts, room+"/members/count"), 404, msgNotFound)
	if a := post(t, ts, "/v2/bot/room/"+DemoRoomNotJoined+"/leave"); a.status != 200 || string(a.body) != "{}" {
		t.Errorf("leave a room the bot is not in: %d %s, want 200 {}", a.status, a.body)
	}
	// Leaving with a body and a Content-Type is fine too; the body is ignored.
	a := callBody(t, ts, "POST", "/v2/bot/group/"+DemoGroupRelease+"/leave", map[string]string{"Content-Type": "application/json"}, `{"x":1}`)
	if a.status != 200 || string(a.body) != "{}" {
		t.Errorf("leave with a body: %d %s", a.status, a.body)
	}
	// The other chats are untouched.
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupAllHands+"/summary"); a.status != 200 {
		t.Errorf("another group after leaving: %d", a.status)
	}
}

// REFERENCE.md §5: a token bucket per endpoint, shared by every ID.
func TestRateLimit(t *testing.T) {
	_, ts, _ := newTestServer(t, nil, WithRateLimit(3))
	summary := func(id string) answer { return get(t, ts, "/v2/bot/group/"+id+"/summary") }
	// 401s do not take from the bucket: auth comes first.
	for range 5 {
		wantError(t, call(t, ts, "GET", "/v2/bot/group/"+DemoGroupOps+"/summary", map[string]string{"Authorization": ""}), 401, msgAuthHeaderRequired)
	}
	full := time.Now() // the bucket is full until its first request, just after this
	for i, id := range []string{DemoGroupOps, DemoGroupRelease, DemoGroupAllHands} {
		if a := summary(id); a.status != 200 {
			t.Fatalf("request %d: %d", i+1, a.status)
		}
	}
	// The bucket is per endpoint template: every groupId shares it…
	wantError(t, summary(DemoGroupOps), 429, msgRateLimited)
	wantError(t, summary(DemoGroupRelease), 429, msgRateLimited)
	// …and the limit comes before the ID and 404 checks.
	wantError(t, summary("Cbad"), 429, msgRateLimited)
	// Other endpoints have their own bucket.
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/count"); a.status != 200 {
		t.Errorf("another endpoint: %d", a.status)
	}
	// The bucket refills gradually, by the wall clock (REFERENCE.md §5): a third of a second
	// after it was full gives one request back, no sooner (it held three at most), and not
	// much later. Asked every 10ms until it answers, so that no sleep decides the outcome.
	for {
		a := summary(DemoGroupOps)
		if a.status == 200 {
			break
		}
		wantError(t, a, 429, msgRateLimited)
		if time.Since(full) > 5*time.Second {
			t.Fatal("no request came back within 5s at 3 a second")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if back := time.Since(full); back < time.Second/3 {
		t.Errorf("a fourth request got through %s after the bucket of 3/s was full, want at least a third of a second", back)
	}
}

func TestRateLimitDefaultAndOff(t *testing.T) {
	req := func() *http.Request {
		r := httptest.NewRequest("GET", "/v2/bot/info", nil)
		r.Header.Set("Authorization", "Bearer "+DemoToken)
		return r
	}
	count429 := func(s *Server, n int) int {
		got := 0
		for range n {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req())
			if w.Code == http.StatusTooManyRequests {
				got++
			}
		}
		return got
	}
	def, err := New(DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	// The default bucket holds 2,000 and refills at 2,000/s: the first 429 comes after at
	// least 2,000 and at most 2,000 + 2,000/s × elapsed requests.
	begin := time.Now()
	allowed := 0
	for allowed < 200000 {
		w := httptest.NewRecorder()
		def.ServeHTTP(w, req())
		if w.Code == http.StatusTooManyRequests {
			break
		}
		allowed++
	}
	elapsed := time.Since(begin)
	if most := DefaultRateLimit + int(float64(DefaultRateLimit)*elapsed.Seconds()) + 1; allowed < DefaultRateLimit || allowed > most {
		t.Errorf("first 429 after %d requests in %v; want between %d and %d", allowed, elapsed, DefaultRateLimit, most)
	}
	off, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	if n := count429(off, 3000); n != 0 {
		t.Errorf("rate limit off: %d answers were 429", n)
	}
}

func TestRecordedRequests(t *testing.T) {
	s, ts, clock := newTestServer(t, nil)
	call(t, ts, "GET", "/v2/bot/group/"+DemoGroupAllHands+"/members/ids?start=abc", map[string]string{"User-Agent": "LINE-BotSDK-Go/8.22.0"})
	clock.Advance(time.Minute)
	post(t, ts, "/v2/bot/room/"+DemoRoom+"/leave")
	get(t, ts, "/nowhere")
	get(t, ts, "/_mock/state") // controls are not recorded
	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3: %+v", len(reqs), reqs)
	}
	r := reqs[0]
	if r.Method != "GET" || r.Endpoint != EndpointGroupMemberIDs || r.Path != "/v2/bot/group/"+DemoGroupAllHands+"/members/ids" ||
		r.Query.Get("start") != "abc" || r.Status != 400 || !r.Time.Equal(testEpoch) ||
		r.Header.Get("User-Agent") != "LINE-BotSDK-Go/8.22.0" || r.Header.Get("Authorization") != "Bearer "+DemoToken {
		t.Errorf("first request recorded as %+v", r)
	}
	if r := reqs[1]; r.Method != "POST" || r.Endpoint != EndpointRoomLeave || r.Status != 200 || !r.Time.Equal(testEpoch.Add(time.Minute)) {
		t.Errorf("second request recorded as %+v", r)
	}
	if r := reqs[2]; r.Endpoint != "" || r.Status != 404 {
		t.Errorf("unknown path recorded as %+v", r)
	}
	if s.CountRequests("") != 3 || s.CountRequests(EndpointRoomLeave) != 1 || s.CountRequests(EndpointBotInfo) != 0 {
		t.Errorf("counts: all %d, leave %d, info %d", s.CountRequests(""), s.CountRequests(EndpointRoomLeave), s.CountRequests(EndpointBotInfo))
	}
	// The returned slice is a copy.
	reqs[0].Header.Set("Authorization", "changed")
	if s.Requests()[0].Header.Get("Authorization") == "changed" {
		t.Error("Requests returned the server's own headers")
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 || s.CountRequests("") != 0 {
		t.Error("ResetRequests left requests behind")
	}
}

func TestRecordedRequestsBounded(t *testing.T) {
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	n := 2*maxRecorded + 10
	for range n {
		r := httptest.NewRequest("GET", "/v2/bot/info", nil)
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	if got := len(s.Requests()); got != maxRecorded {
		t.Errorf("%d requests kept, want the last %d", got, maxRecorded)
	}
	if got := s.CountRequests(EndpointBotInfo); got != n {
		t.Errorf("CountRequests = %d, want the exact %d", got, n)
	}
}

// LINE writes the message's angle brackets as they are; so does the mock.
func TestErrorBodiesAreWrittenLiterally(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	a := call(t, ts, "GET", "/v2/bot/info", map[string]string{"Authorization": ""})
	want := `{"message":"` + msgAuthHeaderRequired + `"}`
	if string(a.body) != want {
		t.Fatalf("body = %s, want %s", a.body, want)
	}
}
