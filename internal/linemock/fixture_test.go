package linemock

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	fxBot   = "U" + "b0000000000000000000000000000000"
	fxAiko  = "U" + "a0000000000000000000000000000001"
	fxBen   = "U" + "a0000000000000000000000000000002"
	fxGroup = "C" + "c0000000000000000000000000000001"
	fxRoom  = "R" + "d0000000000000000000000000000001"
)

// minimalFixture is the JSON the malformed cases start from, built by hand so the tests
// read the format as users write it.
func minimalFixture() map[string]any {
	return map[string]any{
		"access_tokens": []any{"t1"},
		"channels":      []any{map[string]any{"id": "1650000001", "secret": "s"}},
		"bot": map[string]any{"userId": fxBot, "basicId": "@123abcde", "displayName": "Bot",
			"chatMode": "bot", "markAsReadMode": "auto"},
		"users": []any{
			map[string]any{"userId": fxAiko, "displayName": "Aiko", "pictureUrl": "https://example.com/a.png"},
			map[string]any{"userId": fxBen, "displayName": "Ben", "noConsent": true},
		},
		"groups": []any{map[string]any{"groupId": fxGroup, "groupName": "G", "memberIds": []any{fxAiko, fxBen}}},
		"rooms":  []any{map[string]any{"roomId": fxRoom, "memberIds": []any{fxAiko}}},
	}
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFixtureDefaults(t *testing.T) {
	f, err := ParseFixture(encode(t, minimalFixture()))
	if err != nil {
		t.Fatal(err)
	}
	if f.Verified != nil || f.Groups[0].BotJoined != nil || f.Rooms[0].BotJoined != nil {
		t.Errorf("left-out optional fields should decode as nil: %+v", f)
	}
	s, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	if !*snap.Verified || !*snap.Groups[0].BotJoined || !*snap.Rooms[0].BotJoined {
		t.Errorf("verified and botJoined default to true: %+v", snap)
	}
	if !f.Users[1].NoConsent || f.Users[0].PictureURL == "" || f.Bot.PremiumID != "" {
		t.Errorf("decoded %+v", f)
	}
}

func TestParseFixtureRefusesMalformed(t *testing.T) {
	type mutate func(m map[string]any)
	at := func(m map[string]any, list string, i int) map[string]any { return m[list].([]any)[i].(map[string]any) }
	bot := func(m map[string]any) map[string]any { return m["bot"].(map[string]any) }
	cases := []struct {
		name   string
		change mutate
		want   string
	}{
		{"unknown top-level field", func(m map[string]any) { m["tokens"] = []any{} },
			`fixture: unknown field "tokens" (known fields: "access_tokens", "channels", "verified", "bot", "users", "groups", "rooms")`},
		{"miscased field", func(m map[string]any) { m["accessTokens"] = []any{"x"} }, `fixture: unknown field "accessTokens"`},
		{"miscased group field", func(m map[string]any) { at(m, "groups", 0)["groupname"] = "x" }, `fixture: groups[0]: unknown field "groupname" (did you mean "groupName"?)`},
		// As long as chatMode, but no other spelling of it.
		{"unknown bot field", func(m map[string]any) { bot(m)["language"] = "en" }, `fixture: bot: unknown field "language" (known fields: "userId",`},
		{"upper-cased bot field", func(m map[string]any) { bot(m)["MARKASREADMODE"] = "auto" }, `fixture: bot: unknown field "MARKASREADMODE" (did you mean "markAsReadMode"?)`},
		{"lower-cased bot field", func(m map[string]any) { bot(m)["markasreadmode"] = "auto" }, `fixture: bot: unknown field "markasreadmode" (did you mean "markAsReadMode"?)`},
		{"unknown user field", func(m map[string]any) { at(m, "users", 1)["statusMessage"] = "hi" }, `fixture: users[1]: unknown field "statusMessage"`},
		{"unknown room field", func(m map[string]any) { at(m, "rooms", 0)["roomName"] = "r" }, `fixture: rooms[0]: unknown field "roomName"`},
		{"unknown channel field", func(m map[string]any) { at(m, "channels", 0)["token"] = "r" }, `fixture: channels[0]: unknown field "token"`},
		{"wrong JSON type", func(m map[string]any) { at(m, "groups", 0)["groupName"] = 5 }, `fixture: groups.groupName at line`},
		{"wrong JSON type for a flag", func(m map[string]any) { m["verified"] = "yes" }, `fixture: verified at line`},
		{"no token and no channel", func(m map[string]any) { delete(m, "access_tokens"); delete(m, "channels") }, "fixture: no access_tokens and no channels"},
		{"empty token", func(m map[string]any) { m["access_tokens"] = []any{""} }, "fixture: access_tokens[0]: must not be empty"},
		{"token with a space", func(m map[string]any) { m["access_tokens"] = []any{"a b"} }, `fixture: access_tokens[0] "a b": must not contain whitespace`},
		{"token with a leading space", func(m map[string]any) { m["access_tokens"] = []any{" ab"} }, `fixture: access_tokens[0] " ab": must not contain whitespace`},
		{"duplicate token", func(m map[string]any) { m["access_tokens"] = []any{"a", "a"} }, `fixture: access_tokens[1] "a": duplicate of access_tokens[0]`},
		{"channel ID not decimal", func(m map[string]any) { at(m, "channels", 0)["id"] = "abc" }, `fixture: channels[0].id "abc": must be a channel ID of decimal digits`},
		{"channel without secret", func(m map[string]any) { delete(at(m, "channels", 0), "secret") }, "fixture: channels[0].secret: required"},
		{"duplicate channel", func(m map[string]any) {
			m["channels"] = append(m["channels"].([]any), map[string]any{"id": "1650000001", "secret": "x"})
		}, `fixture: channels[1].id "1650000001": duplicate of channels[0]`},
		{"bot without userId", func(m map[string]any) { delete(bot(m), "userId") }, "fixture: bot.userId: required"},
		{"bot userId malformed", func(m map[string]any) { bot(m)["userId"] = "Uxyz" }, `fixture: bot.userId "Uxyz": must be "U" followed by 32 lowercase hex digits`},
		{"bot without basicId", func(m map[string]any) { delete(bot(m), "basicId") }, "fixture: bot.basicId: required"},
		{"bot basicId without @", func(m map[string]any) { bot(m)["basicId"] = "123abcde" }, `fixture: bot.basicId "123abcde": must start with "@"`},
		{"bot premiumId without @", func(m map[string]any) { bot(m)["premiumId"] = "ops" }, `fixture: bot.premiumId "ops": must start with "@"`},
		{"bot basicId only @", func(m map[string]any) { bot(m)["basicId"] = "@" }, `fixture: bot.basicId "@": must start with "@"`},
		{"bot premiumId only @", func(m map[string]any) { bot(m)["premiumId"] = "@" }, `fixture: bot.premiumId "@": must start with "@"`},
		{"bot without displayName", func(m map[string]any) { delete(bot(m), "displayName") }, "fixture: bot.displayName: required"},
		{"bot without chatMode", func(m map[string]any) { delete(bot(m), "chatMode") }, "fixture: bot.chatMode: required"},
		{"bot chatMode", func(m map[string]any) { bot(m)["chatMode"] = "on" }, `fixture: bot.chatMode "on": must be "chat" or "bot"`},
		{"bot without markAsReadMode", func(m map[string]any) { delete(bot(m), "markAsReadMode") }, "fixture: bot.markAsReadMode: required"},
		{"bot markAsReadMode", func(m map[string]any) { bot(m)["markAsReadMode"] = "Auto" }, `fixture: bot.markAsReadMode "Auto": must be "auto" or "manual"`},
		{"bot picture over http", func(m map[string]any) { bot(m)["pictureUrl"] = "http://example.com/b.png" }, `fixture: bot.pictureUrl "http://example.com/b.png": must be an absolute https URL`},
		{"user ID malformed", func(m map[string]any) { at(m, "users", 1)["userId"] = "U" + strings.Repeat("A", 32) }, `fixture: users[1].userId "UAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": must be "U" followed by 32 lowercase hex digits`},
		{"user without userId", func(m map[string]any) { delete(at(m, "users", 0), "userId") }, "fixture: users[0].userId: required"},
		{"user without displayName", func(m map[string]any) { delete(at(m, "users", 1), "displayName") }, "fixture: users[1].displayName: required"},
		{"user picture relative", func(m map[string]any) { at(m, "users", 0)["pictureUrl"] = "/a.png" }, `fixture: users[0].pictureUrl "/a.png": must be an absolute https URL`},
		{"user picture empty host", func(m map[string]any) { at(m, "users", 0)["pictureUrl"] = "https:///a.png" }, `fixture: users[0].pictureUrl "https:///a.png"`},
		{"duplicate user", func(m map[string]any) { at(m, "users", 1)["userId"] = fxAiko }, `fixture: users[1].userId "` + fxAiko + `": duplicate of users[0]`},
		{"bot listed as a user", func(m map[string]any) { at(m, "users", 1)["userId"] = fxBot }, `fixture: users[1].userId "` + fxBot + `": is the bot's user ID`},
		{"group ID malformed", func(m map[string]any) { at(m, "groups", 0)["groupId"] = "Cxyz" }, `fixture: groups[0].groupId "Cxyz": must be "C" followed by 32 lowercase hex digits`},
		{"group ID of a room", func(m map[string]any) { at(m, "groups", 0)["groupId"] = fxRoom }, `fixture: groups[0].groupId "` + fxRoom + `": must be "C"`},
		{"group without ID", func(m map[string]any) { delete(at(m, "groups", 0), "groupId") }, "fixture: groups[0].groupId: required"},
		{"group without name", func(m map[string]any) { delete(at(m, "groups", 0), "groupName") }, "fixture: groups[0].groupName: required"},
		{"group picture not https", func(m map[string]any) { at(m, "groups", 0)["pictureUrl"] = "ftp://x/y" }, `fixture: groups[0].pictureUrl "ftp://x/y"`},
		{"group member malformed", func(m map[string]any) { at(m, "groups", 0)["memberIds"] = []any{fxAiko, "U1"} }, `fixture: groups[0].memberIds[1] "U1": must be "U" followed by 32 lowercase hex digits`},
		{"group member not a user", func(m map[string]any) {
			at(m, "groups", 0)["memberIds"] = []any{"U" + strings.Repeat("9", 32)}
		}, `fixture: groups[0].memberIds[0] "U99999999999999999999999999999999": not in users`},
		{"bot as a group member", func(m map[string]any) { at(m, "groups", 0)["memberIds"] = []any{fxBot} }, `fixture: groups[0].memberIds[0] "` + fxBot + `": is the bot's user ID`},
		{"duplicate member", func(m map[string]any) { at(m, "groups", 0)["memberIds"] = []any{fxAiko, fxBen, fxAiko} }, `fixture: groups[0].memberIds[2] "` + fxAiko + `": duplicate of groups[0].memberIds[0]`},
		{"duplicate group", func(m map[string]any) {
			m["groups"] = append(m["groups"].([]any), map[string]any{"groupId": fxGroup, "groupName": "again"})
		}, `fixture: groups[1].groupId "` + fxGroup + `": duplicate of groups[0]`},
		{"room ID malformed", func(m map[string]any) { at(m, "rooms", 0)["roomId"] = "R" + strings.Repeat("g", 32) }, `fixture: rooms[0].roomId "Rgggggggggggggggggggggggggggggggg": must be "R" followed by 32 lowercase hex digits`},
		{"room without ID", func(m map[string]any) { delete(at(m, "rooms", 0), "roomId") }, "fixture: rooms[0].roomId: required"},
		{"room member not a user", func(m map[string]any) { at(m, "rooms", 0)["memberIds"] = []any{"U" + strings.Repeat("8", 32)} }, `fixture: rooms[0].memberIds[0] "U88888888888888888888888888888888": not in users`},
		{"bot as a room member", func(m map[string]any) { at(m, "rooms", 0)["memberIds"] = []any{fxAiko, fxBot} }, `fixture: rooms[0].memberIds[1] "` + fxBot + `": is the bot's user ID`},
		{"duplicate room", func(m map[string]any) { m["rooms"] = append(m["rooms"].([]any), map[string]any{"roomId": fxRoom}) }, `fixture: rooms[1].roomId "` + fxRoom + `": duplicate of rooms[0]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := minimalFixture()
			c.change(m)
			_, err := ParseFixture(encode(t, m))
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// The shortest IDs LINE's rules allow: "@" and one character.
func TestParseFixtureShortBotIDs(t *testing.T) {
	m := minimalFixture()
	bot := m["bot"].(map[string]any)
	bot["basicId"], bot["premiumId"] = "@a", "@b"
	f, err := ParseFixture(encode(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if f.Bot.BasicID != "@a" || f.Bot.PremiumID != "@b" {
		t.Errorf("bot %+v", f.Bot)
	}
}

// A channel ID is any decimal string, 0 to 9; a world may hold more rooms than groups.
func TestParseFixtureDigitsAndRooms(t *testing.T) {
	m := minimalFixture()
	m["channels"] = []any{map[string]any{"id": "9876543210", "secret": "s"}}
	m["groups"] = []any{}
	f, err := ParseFixture(encode(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(f); err != nil {
		t.Fatalf("a world of one room and no group: %v", err)
	}
}

func TestParseFixtureRefusesBadJSON(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"empty", "", "fixture: invalid JSON"},
		{"syntax error with position", "{\n  \"access_tokens\": [\"a\",]\n}", "fixture: invalid JSON at line 2, column 25"},
		{"truncated", `{"access_tokens": ["a"]`, "fixture: invalid JSON"},
		{"two values", `{} {}`, "fixture: invalid JSON"},
		{"an array", `[]`, "fixture: (top level) at line 1, column 1: JSON array where an object is expected"},
		{"null", `null`, "fixture: no access_tokens and no channels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseFixture([]byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestNewValidatesLikeParseFixture(t *testing.T) {
	f := DemoFixture()
	f.Groups[2].GroupID = "Cxyz"
	if _, err := New(f); err == nil || !strings.Contains(err.Error(), `fixture: groups[2].groupId "Cxyz": must be "C" followed by 32 lowercase hex digits`) {
		t.Errorf("New with a bad group ID: %v", err)
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := New(&Fixture{}); err == nil || !strings.Contains(err.Error(), "no access_tokens") {
		t.Errorf("New with an empty fixture: %v", err)
	}
}

func TestNewCopiesTheFixture(t *testing.T) {
	f := DemoFixture()
	s, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	f.Groups[0].GroupName = "changed"
	f.Groups[0].MemberIDs[0] = DemoUserEmi
	*f.Groups[0].BotJoined = false
	f.AccessTokens[0] = "changed"
	snap := s.Snapshot()
	if snap.Groups[0].GroupName != DemoGroupOpsName || snap.Groups[0].MemberIDs[0] != DemoUserAiko || !*snap.Groups[0].BotJoined || snap.AccessTokens[0] != DemoToken {
		t.Errorf("the server shares memory with its fixture: %+v", snap.Groups[0])
	}
}

func TestDemoFixture(t *testing.T) {
	a, b := DemoFixture(), DemoFixture()
	a.Groups[0].MemberIDs[0] = "changed"
	if b.Groups[0].MemberIDs[0] == "changed" {
		t.Error("DemoFixture returned shared memory")
	}
	if err := b.validate(); err != nil {
		t.Fatalf("demo fixture invalid: %v", err)
	}
	// It survives a JSON round trip: -print-fixture output is a valid starting point.
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseFixture(data)
	if err != nil {
		t.Fatalf("demo fixture JSON does not parse back: %v", err)
	}
	if !reflect.DeepEqual(back, b) {
		t.Error("demo fixture changed in a JSON round trip")
	}
	// The story the constants tell.
	if b.Bot.PictureURL == "" || b.Bot.PremiumID != "" {
		t.Error("the demo bot should have a picture and no premium ID")
	}
	groups := map[string]Group{}
	for _, g := range b.Groups {
		groups[g.GroupID] = g
	}
	if groups[DemoGroupOps].PictureURL == "" || groups[DemoGroupRelease].PictureURL != "" ||
		*groups[DemoGroupNotJoined].BotJoined || len(groups[DemoGroupAllHands].MemberIDs) != DemoGroupAllHandsMemberCount {
		t.Error("demo groups do not match their description")
	}
	if len(b.Groups) < 3 || len(b.Groups) > 4 || len(b.Rooms) != 2 || *b.Rooms[1].BotJoined || !*b.Rooms[0].BotJoined {
		t.Error("demo chats do not match their description")
	}
	noPicture, noConsent := 0, 0
	for _, u := range b.Users[:5] {
		if u.PictureURL == "" {
			noPicture++
		}
		if u.NoConsent {
			noConsent++
		}
	}
	if noPicture < 2 || noConsent != 1 || !userByID(b, DemoUserDaichi).NoConsent {
		t.Errorf("named demo users: %d without a picture, %d without consent", noPicture, noConsent)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	if err := s.KickBot(DemoGroupOps); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameGroup(DemoGroupRelease, "Renamed"); err != nil {
		t.Fatal(err)
	}
	s.SetVerified(false)
	data, err := json.Marshal(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFixture(data)
	if err != nil {
		t.Fatalf("snapshot does not parse: %v", err)
	}
	s2, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s2.Snapshot(), s.Snapshot()) {
		t.Error("a server started from a snapshot differs")
	}
	if *f.Verified || *f.Groups[0].BotJoined || f.Groups[1].GroupName != "Renamed" {
		t.Errorf("snapshot lost changes: verified %v, ops joined %v, release %q", *f.Verified, *f.Groups[0].BotJoined, f.Groups[1].GroupName)
	}
}

func TestLoadFixture(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, encode(t, minimalFixture()), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err := LoadFixture(good); err != nil || len(f.Users) != 2 {
		t.Errorf("LoadFixture(good) = %v, %v", f, err)
	}
	bad := filepath.Join(dir, "bad.json")
	m := minimalFixture()
	m["groups"].([]any)[0].(map[string]any)["groupId"] = "Cxyz"
	if err := os.WriteFile(bad, encode(t, m), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFixture(bad); err == nil || !strings.Contains(err.Error(), bad+": fixture: groups[0].groupId") {
		t.Errorf("LoadFixture(bad) error %v: want the file and the element named", err)
	}
	if _, err := LoadFixture(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("LoadFixture(missing) error %v", err)
	}
}

func TestAddTeamGroups(t *testing.T) {
	f := DemoFixture()
	ids := f.AddTeamGroups(120)
	// C followed by 0x7ea0000 upwards, as documented.
	if len(ids) != 120 || ids[0] != "C00000000000000000000000007ea0000" || ids[119] != "C00000000000000000000000007ea0077" {
		t.Fatalf("ids = %d, first %s, last %s", len(ids), ids[0], ids[119])
	}
	s, err := New(f)
	if err != nil {
		t.Fatalf("the fixture with team groups is refused: %v", err)
	}
	if joined, err := s.BotJoined(ids[119]); err != nil || !joined {
		t.Fatalf("team group 119: joined %t, %v", joined, err)
	}
	if got := f.Groups[len(f.Groups)-1].GroupName; got != "Team 119" {
		t.Fatalf("last name = %q", got)
	}
}
