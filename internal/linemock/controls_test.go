package linemock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestControlsGoAPI(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	summary := func(id string) answer { return get(t, ts, "/v2/bot/group/"+id+"/summary") }

	// Kick and invite, for groups and rooms.
	if err := s.KickBot(DemoGroupOps); err != nil {
		t.Fatal(err)
	}
	wantError(t, summary(DemoGroupOps), 404, msgNotFound)
	if joined, err := s.BotJoined(DemoGroupOps); err != nil || joined {
		t.Errorf("BotJoined after kick = %v, %v", joined, err)
	}
	if err := s.KickBot(DemoGroupOps); err != nil {
		t.Errorf("kicking twice: %v (idempotent)", err)
	}
	if err := s.InviteBot(DemoGroupOps); err != nil {
		t.Fatal(err)
	}
	if a := summary(DemoGroupOps); a.status != 200 {
		t.Errorf("summary after invite: %d", a.status)
	}
	if err := s.InviteBot(DemoRoomNotJoined); err != nil {
		t.Fatal(err)
	}
	if a := get(t, ts, "/v2/bot/room/"+DemoRoomNotJoined+"/members/count"); a.status != 200 || string(a.body) != `{"count":2}` {
		t.Errorf("room after invite: %d %s", a.status, a.body)
	}
	if err := s.KickBot(DemoRoom); err != nil {
		t.Fatal(err)
	}
	wantError(t, get(t, ts, "/v2/bot/room/"+DemoRoom+"/members/ids"), 404, msgNotFound)

	// Rename and picture.
	if err := s.RenameGroup(DemoGroupRelease, "Release train v2"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetGroupPicture(DemoGroupRelease, "https://example.com/r.png"); err != nil {
		t.Fatal(err)
	}
	want := `{"groupId":"` + DemoGroupRelease + `","groupName":"Release train v2","pictureUrl":"https://example.com/r.png"}`
	if a := summary(DemoGroupRelease); string(a.body) != want {
		t.Errorf("summary after rename: %s", a.body)
	}
	if err := s.SetGroupPicture(DemoGroupRelease, ""); err != nil {
		t.Fatal(err)
	}
	if a := summary(DemoGroupRelease); strings.Contains(string(a.body), "pictureUrl") {
		t.Errorf("picture removed but still sent: %s", a.body)
	}
	// A group the bot is not in can still change.
	if err := s.RenameGroup(DemoGroupNotJoined, "Old"); err != nil {
		t.Error(err)
	}

	// Users, groups, rooms, members.
	newUser := User{UserID: "U" + strings.Repeat("7", 32), DisplayName: "Nana", PictureURL: "https://example.com/n.png"}
	if err := s.AddUser(newUser); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMember(DemoGroupOps, newUser.UserID); err != nil {
		t.Fatal(err)
	}
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/member/"+newUser.UserID); a.status != 200 || !strings.Contains(string(a.body), "Nana") {
		t.Errorf("new member's profile: %d %s", a.status, a.body)
	}
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/count"); string(a.body) != `{"count":5}` {
		t.Errorf("count after AddMember: %s", a.body)
	}
	if err := s.RemoveMember(DemoGroupOps, DemoUserAiko); err != nil {
		t.Fatal(err)
	}
	wantError(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/member/"+DemoUserAiko), 404, msgNotFound)
	p := memberPage(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/ids"))
	if strings.Join(p.MemberIDs, ",") != strings.Join([]string{DemoUserBen, DemoUserChika, newUser.UserID}, ",") {
		t.Errorf("member IDs after changes: %v", p.MemberIDs)
	}
	g := Group{GroupID: "C" + strings.Repeat("7", 32), GroupName: "New", MemberIDs: []string{newUser.UserID}}
	if err := s.AddGroup(g); err != nil {
		t.Fatal(err)
	}
	g.MemberIDs[0] = DemoUserAiko // the server keeps its own copy
	if a := get(t, ts, "/v2/bot/group/"+g.GroupID+"/members/ids"); string(a.body) != `{"memberIds":["`+newUser.UserID+`"]}` {
		t.Errorf("new group's members: %s", a.body)
	}
	no := false
	r := Room{RoomID: "R" + strings.Repeat("7", 32), MemberIDs: []string{DemoUserAiko}, BotJoined: &no}
	if err := s.AddRoom(r); err != nil {
		t.Fatal(err)
	}
	if joined, _ := s.BotJoined(r.RoomID); joined {
		t.Error("new room with botJoined false: joined")
	}

	// Verified.
	s.SetVerified(false)
	wantError(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/ids"), 403, msgForbidden)
	s.SetVerified(true)
	memberPage(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/ids"))

	snap := s.Snapshot()
	if len(snap.Users) != len(DemoFixture().Users)+1 || len(snap.Groups) != 5 || len(snap.Rooms) != 3 {
		t.Errorf("snapshot: %d users, %d groups, %d rooms", len(snap.Users), len(snap.Groups), len(snap.Rooms))
	}
}

func TestControlsGoAPIErrors(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	unknownGroup := "C" + strings.Repeat("f", 32)
	unknownUser := "U" + strings.Repeat("f", 32)
	cases := []struct {
		name   string
		err    error
		status int
		want   string
	}{
		{"kick unknown group", s.KickBot(unknownGroup), 404, "not found"},
		{"kick unknown room", s.KickBot("R" + strings.Repeat("f", 32)), 404, "not found"},
		{"kick malformed", s.KickBot("nope"), 400, "must be a group ID"},
		{"invite unknown", s.InviteBot(unknownGroup), 404, "not found"},
		{"rename unknown", s.RenameGroup(unknownGroup, "x"), 404, "not found"},
		{"rename a room", s.RenameGroup(DemoRoom, "x"), 400, `must be "C"`},
		{"rename to empty", s.RenameGroup(DemoGroupOps, ""), 400, "must not be empty"},
		{"picture over http", s.SetGroupPicture(DemoGroupOps, "http://x/y.png"), 400, "https"},
		{"picture of unknown group", s.SetGroupPicture(unknownGroup, ""), 404, "not found"},
		{"add existing user", s.AddUser(User{UserID: DemoUserAiko, DisplayName: "A"}), 409, "already exists"},
		{"add user without name", s.AddUser(User{UserID: unknownUser}), 400, "displayName: required"},
		{"add the bot as a user", s.AddUser(User{UserID: DemoBotUserID, DisplayName: "B"}), 400, "bot"},
		{"add existing group", s.AddGroup(Group{GroupID: DemoGroupOps, GroupName: "x"}), 409, "already exists"},
		{"add group with unknown member", s.AddGroup(Group{GroupID: unknownGroup, GroupName: "x", MemberIDs: []string{unknownUser}}), 400, "not in users"},
		{"add room with bad ID", s.AddRoom(Room{RoomID: "R1"}), 400, `must be "R"`},
		{"add existing room", s.AddRoom(Room{RoomID: DemoRoom}), 409, "already exists"},
		{"add member twice", s.AddMember(DemoGroupOps, DemoUserAiko), 409, "already a member"},
		{"add unknown user", s.AddMember(DemoGroupOps, unknownUser), 404, "not found"},
		{"add the bot as a member", s.AddMember(DemoGroupOps, DemoBotUserID), 400, "InviteBot"},
		{"add member to unknown chat", s.AddMember(unknownGroup, DemoUserAiko), 404, "not found"},
		{"remove non-member", s.RemoveMember(DemoGroupRelease, DemoUserBen), 404, "not a member"},
		{"remove malformed user", s.RemoveMember(DemoGroupRelease, "U1"), 400, `must be "U"`},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(c.err.Error(), "linemock: ") || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to contain %q", c.name, c.err, c.want)
		}
		if got := statusOf(c.err); got != c.status {
			t.Errorf("%s: HTTP status %d, want %d", c.name, got, c.status)
		}
	}
	if _, err := s.BotJoined(unknownGroup); err == nil {
		t.Error("BotJoined(unknown) gave no error")
	}
	// Nothing above changed the world.
	if !jsonEqual(t, s.Snapshot(), DemoFixture()) {
		t.Error("failed controls changed the world")
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return string(x) == string(y)
}

func TestControlsHTTP(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	ctl := func(method, path, body string) answer {
		t.Helper()
		h := map[string]string{"Authorization": ""} // controls need no token
		if body != "" {
			h["Content-Type"] = "application/json"
		}
		return callBody(t, ts, method, path, h, body)
	}
	ok := func(a answer, want string) {
		t.Helper()
		if a.status != 200 {
			t.Fatalf("status %d, body %s", a.status, a.body)
		}
		if want != "" && string(a.body) != want {
			t.Errorf("body %s, want %s", a.body, want)
		}
		if a.header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
		}
	}

	ok(ctl("POST", "/_mock/chats/"+DemoGroupOps+"/kick", ""), `{"chatId":"`+DemoGroupOps+`","botJoined":false}`)
	if joined, _ := s.BotJoined(DemoGroupOps); joined {
		t.Error("kick over HTTP did not kick")
	}
	ok(ctl("GET", "/_mock/chats/"+DemoGroupOps, ""), `{"chatId":"`+DemoGroupOps+`","botJoined":false}`)
	ok(ctl("POST", "/_mock/chats/"+DemoGroupOps+"/invite", ""), `{"chatId":"`+DemoGroupOps+`","botJoined":true}`)
	ok(ctl("POST", "/_mock/groups/"+DemoGroupOps+"/rename", `{"groupName":"Ops alerts v2"}`), "{}")
	ok(ctl("PUT", "/_mock/groups/"+DemoGroupOps+"/picture", `{"pictureUrl":""}`), "{}")
	if a := get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"); string(a.body) != `{"groupId":"`+DemoGroupOps+`","groupName":"Ops alerts v2"}` {
		t.Errorf("summary after HTTP rename: %s", a.body)
	}
	nana := "U" + strings.Repeat("7", 32)
	ok(ctl("POST", "/_mock/users", `{"userId":"`+nana+`","displayName":"Nana"}`), "{}")
	ok(ctl("POST", "/_mock/chats/"+DemoRoom+"/members", `{"userId":"`+nana+`"}`), "{}")
	ok(ctl("DELETE", "/_mock/chats/"+DemoRoom+"/members/"+DemoUserAiko, ""), "{}")
	if a := get(t, ts, "/v2/bot/room/"+DemoRoom+"/members/ids"); string(a.body) != `{"memberIds":["`+DemoUserBen+`","`+DemoUserEmi+`","`+nana+`"]}` {
		t.Errorf("room members after HTTP changes: %s", a.body)
	}
	newGroup := "C" + strings.Repeat("7", 32)
	ok(ctl("POST", "/_mock/groups", `{"groupId":"`+newGroup+`","groupName":"N","memberIds":["`+nana+`"],"botJoined":false}`), "{}")
	newRoom := "R" + strings.Repeat("7", 32)
	ok(ctl("POST", "/_mock/rooms", `{"roomId":"`+newRoom+`"}`), "{}")
	if joined, err := s.BotJoined(newGroup); err != nil || joined {
		t.Errorf("group added over HTTP: joined %v, %v", joined, err)
	}
	ok(ctl("PUT", "/_mock/verified", `{"verified":false}`), `{"verified":false}`)
	ok(ctl("GET", "/_mock/verified", ""), `{"verified":false}`)
	wantError(t, get(t, ts, "/v2/bot/room/"+DemoRoom+"/members/ids"), 403, msgForbidden)
	ok(ctl("PUT", "/_mock/verified", `{"verified":true}`), "")

	// State is the snapshot as fixture JSON.
	a := ctl("GET", "/_mock/state", "")
	ok(a, "")
	state, err := ParseFixture(a.body)
	if err != nil {
		t.Fatalf("/_mock/state is not a valid fixture: %v", err)
	}
	if !jsonEqual(t, state, s.Snapshot()) {
		t.Error("/_mock/state differs from Snapshot")
	}

	// Requests and their counts; controls are not among them.
	a = ctl("GET", "/_mock/requests", "")
	ok(a, "")
	var reqs requestsBody
	if err := json.Unmarshal(a.body, &reqs); err != nil {
		t.Fatal(err)
	}
	if reqs.Total != 3 || len(reqs.Requests) != 3 || reqs.Counts[EndpointGroupSummary] != 1 || reqs.Counts[EndpointRoomMemberIDs] != 2 {
		t.Errorf("/_mock/requests: total %d, %d requests, counts %v", reqs.Total, len(reqs.Requests), reqs.Counts)
	}
	if r := reqs.Requests[0]; r.Method != "GET" || r.Endpoint != EndpointGroupSummary || r.Status != 200 || r.Header.Get("Authorization") == "" {
		t.Errorf("first recorded request %+v", r)
	}
	ok(ctl("DELETE", "/_mock/requests", ""), "{}")
	if s.CountRequests("") != 0 {
		t.Error("DELETE /_mock/requests left requests")
	}

	// Faults, by endpoint name (escaped) or "*".
	path := "/_mock/faults/" + url.PathEscape(EndpointBotInfo)
	ok(ctl("PUT", path, `{"rate429":1}`), `{"rate429":1}`)
	wantError(t, get(t, ts, "/v2/bot/info"), 429, msgRateLimited)
	ok(ctl("GET", "/_mock/faults", ""), fmt.Sprintf(`{"seed":%d,"faults":{"GET /v2/bot/info":{"rate429":1}}}`, s.Seed()))
	ok(ctl("DELETE", path, ""), "{}")
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("after deleting the fault: %d", a.status)
	}
	ok(ctl("PUT", "/_mock/faults/*", `{"latency":"1ms","rate500":1,"hang":false}`), `{"latency":"1ms","rate500":1}`)
	wantError(t, get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"), 500, msgInternal)
	ok(ctl("DELETE", "/_mock/faults", ""), "{}")
	if len(s.faultsSnapshot()) != 0 {
		t.Error("DELETE /_mock/faults left faults")
	}

	// Errors.
	s.ResetRequests()
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/_mock/chats/C" + strings.Repeat("f", 32) + "/kick", "", 404, "not found"},
		{"POST", "/_mock/chats/nope/kick", "", 400, "must be a group ID"},
		{"GET", "/_mock/chats/C" + strings.Repeat("f", 32), "", 404, "not found"},
		{"POST", "/_mock/groups/" + DemoGroupOps + "/rename", `{"name":"x"}`, 400, "unknown field"},
		{"POST", "/_mock/groups/" + DemoGroupOps + "/rename", `{"groupName":""}`, 400, "must not be empty"},
		{"POST", "/_mock/groups/" + DemoGroupOps + "/rename", `not json`, 400, "invalid JSON"},
		{"POST", "/_mock/chats/" + DemoGroupOps + "/members", `{"userId":"` + DemoUserAiko + `"}`, 409, "already a member"},
		{"DELETE", "/_mock/chats/" + DemoGroupRelease + "/members/" + DemoUserBen, "", 404, "not a member"},
		{"POST", "/_mock/users", `{"userId":"` + DemoUserAiko + `","displayName":"A"}`, 409, "already exists"},
		{"PUT", "/_mock/verified", `{}`, 400, "required"},
		{"PUT", "/_mock/faults/" + url.PathEscape("GET /v2/bot/nothing"), `{"rate429":1}`, 404, "unknown endpoint"},
		{"PUT", "/_mock/faults/*", `{"rate429":2}`, 400, "probability"},
		{"PUT", "/_mock/faults/*", `{"latency":"soon"}`, 400, "duration"},
		{"PUT", "/_mock/faults/*", `{"latency":"-1s"}`, 400, "duration"},
		{"GET", "/_mock/kick", "", 404, msgNotFound},
		{"DELETE", "/_mock/state", "", 405, msgMethodNotAllowed},
	} {
		a := ctl(c.method, c.path, c.body)
		if a.status != c.status || !strings.Contains(a.message(t), c.want) {
			t.Errorf("%s %s %s: %d %s; want %d and %q", c.method, c.path, c.body, a.status, a.body, c.status, c.want)
		}
	}
	if s.CountRequests("") != 0 {
		t.Errorf("controls were recorded: %d", s.CountRequests(""))
	}
}

func TestControlsNotFaultedNorAuthenticated(t *testing.T) {
	s, ts, _ := newTestServer(t, nil, WithRateLimit(1))
	s.SetFault(AllEndpoints, Fault{Rate500: 1, Hang: false})
	for range 3 {
		a := callBody(t, ts, "GET", "/_mock/state", map[string]string{"Authorization": ""}, "")
		if a.status != http.StatusOK {
			t.Fatalf("/_mock/state under faults and rate limit: %d", a.status)
		}
	}
}

func TestControlsHTTPNewFaultsAndRateLimit(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	ctl := func(method, path, body string) answer {
		t.Helper()
		return callBody(t, ts, method, path, map[string]string{"Authorization": "", "Content-Type": "application/json"}, body)
	}
	okBody := func(a answer, want string) {
		t.Helper()
		if a.status != 200 || string(a.body) != want {
			t.Errorf("answer %d %s, want 200 %s", a.status, a.body, want)
		}
	}

	leave := "/_mock/faults/" + url.PathEscape(EndpointGroupLeave)
	okBody(ctl("PUT", leave, `{"lost_response":1}`), `{"lost_response":1}`)
	if f := s.faultsSnapshot()[EndpointGroupLeave]; f != (Fault{LostResponse: 1}) {
		t.Errorf("stored %+v", f)
	}
	wantError(t, post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"), 500, msgInternal)
	if joined, _ := s.BotJoined(DemoGroupOps); joined {
		t.Error("lost_response over HTTP: the leave was not carried out")
	}

	okBody(ctl("PUT", "/_mock/faults/*", `{"redirect_to":"http://127.0.0.1:9/x/","rate500":0.5}`), `{"rate500":0.5,"redirect_to":"http://127.0.0.1:9/x"}`)
	if f := s.faultsSnapshot()[AllEndpoints]; f != (Fault{Rate500: 0.5, RedirectTo: "http://127.0.0.1:9/x"}) {
		t.Errorf("stored %+v", f)
	}
	okBody(ctl("GET", "/_mock/faults", ""), fmt.Sprintf(`{"seed":%d,"faults":{"*":{"rate500":0.5,"redirect_to":"http://127.0.0.1:9/x"},"%s":{"lost_response":1}}}`, s.Seed(), EndpointGroupLeave))
	// The redirect comes before the 500 draw: every request is redirected.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for range 5 {
		req, _ := http.NewRequest("GET", ts.URL+"/v2/bot/group/"+DemoGroupAllHands+"/summary", nil)
		res, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 307 || res.Header.Get("Location") != "http://127.0.0.1:9/x/v2/bot/group/"+DemoGroupAllHands+"/summary" {
			t.Errorf("redirect over HTTP: %d Location %q", res.StatusCode, res.Header.Get("Location"))
		}
	}

	okBody(ctl("GET", "/_mock/rate-limit", ""), `{"per_second":0}`)
	okBody(ctl("PUT", "/_mock/rate-limit", `{"per_second":2}`), `{"per_second":2}`)
	if s.RateLimit() != 2 {
		t.Errorf("RateLimit() = %d after PUT", s.RateLimit())
	}
	okBody(ctl("GET", "/_mock/rate-limit", ""), `{"per_second":2}`)
	s.ClearFaults()
	for range 2 {
		if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
			t.Fatalf("within the limit: %d", a.status)
		}
	}
	wantError(t, get(t, ts, "/v2/bot/info"), 429, msgRateLimited)
	okBody(ctl("PUT", "/_mock/rate-limit", `{"per_second":0}`), `{"per_second":0}`)
	if a := get(t, ts, "/v2/bot/info"); a.status != 200 {
		t.Errorf("limit off over HTTP: %d", a.status)
	}

	for _, c := range []struct {
		method, path, body string
		want               string
	}{
		{"PUT", "/_mock/faults/*", `{"lost_response":1.5}`, "lost_response 1.5: want a probability"},
		{"PUT", "/_mock/faults/*", `{"lost_response":-0.1}`, "lost_response -0.1: want a probability"},
		{"PUT", "/_mock/faults/*", `{"redirect_to":"ftp://x"}`, "redirect_to"},
		{"PUT", "/_mock/faults/*", `{"redirect_to":"/relative"}`, "redirect_to"},
		{"PUT", "/_mock/faults/*", `{"redirect_to":"http://h/?q=1"}`, "redirect_to"},
		{"PUT", "/_mock/rate-limit", `{}`, `"per_second" is required`},
		{"PUT", "/_mock/rate-limit", `{"per_second":-1}`, `"per_second" is required`},
		{"PUT", "/_mock/rate-limit", `{"perSecond":5}`, "unknown field"},
	} {
		a := ctl(c.method, c.path, c.body)
		if a.status != 400 || !strings.Contains(a.message(t), c.want) {
			t.Errorf("%s %s %s: %d %s; want 400 and %q", c.method, c.path, c.body, a.status, a.body, c.want)
		}
	}
	if f := s.faultsSnapshot(); len(f) != 0 || s.RateLimit() != 0 {
		t.Errorf("refused controls changed something: faults %v, limit %d", f, s.RateLimit())
	}
	if a := ctl("DELETE", "/_mock/rate-limit", ""); a.status != 405 || a.header.Get("Allow") != "GET, PUT" {
		t.Errorf("DELETE /_mock/rate-limit: %d Allow %q", a.status, a.header.Get("Allow"))
	}
}
