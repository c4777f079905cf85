package linemock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Fixture is the world the mock starts from: who may call it, the bot, the users and the
// chats. Its JSON uses LINE's own field names, so a fixture reads like LINE's responses.
type Fixture struct {
	// AccessTokens are long-lived bearer tokens that are always accepted.
	AccessTokens []string `json:"access_tokens"`
	// Channels may call POST /oauth2/v3/token to get 15-minute stateless tokens.
	Channels []Channel `json:"channels,omitempty"`
	// Verified is whether the account is verified or premium, which members/ids needs.
	// Nil means true.
	Verified *bool   `json:"verified,omitempty"`
	Bot      Bot     `json:"bot"`
	Users    []User  `json:"users,omitempty"`
	Groups   []Group `json:"groups,omitempty"`
	Rooms    []Room  `json:"rooms,omitempty"`
}

// Channel is a Messaging API channel whose credentials the token endpoint accepts: its
// secret, and JWT assertions signed with one of its registered keys.
type Channel struct {
	ID     string       `json:"id"`
	Secret string       `json:"secret"`
	Keys   []ChannelKey `json:"keys,omitempty"`
}

// Bot is the LINE Official Account, as GET /v2/bot/info describes it.
type Bot struct {
	UserID         string `json:"userId"`
	BasicID        string `json:"basicId"`
	PremiumID      string `json:"premiumId,omitempty"`
	DisplayName    string `json:"displayName"`
	PictureURL     string `json:"pictureUrl,omitempty"`
	ChatMode       string `json:"chatMode"`
	MarkAsReadMode string `json:"markAsReadMode"`
}

// User is a LINE user who can be a member of groups and rooms.
type User struct {
	UserID      string `json:"userId"`
	DisplayName string `json:"displayName"`
	PictureURL  string `json:"pictureUrl,omitempty"`
	// NoConsent marks a user who never consented to profile access: left out of
	// memberIds, 404 on their profile, still counted by members/count.
	NoConsent bool `json:"noConsent,omitempty"`
}

// Group is a group chat.
type Group struct {
	GroupID    string   `json:"groupId"`
	GroupName  string   `json:"groupName"`
	PictureURL string   `json:"pictureUrl,omitempty"`
	MemberIDs  []string `json:"memberIds,omitempty"`
	// BotJoined is whether the bot is in the group. Nil means true.
	BotJoined *bool `json:"botJoined,omitempty"`
}

// Room is a multi-person chat. Rooms have no name or picture.
type Room struct {
	RoomID    string   `json:"roomId"`
	MemberIDs []string `json:"memberIds,omitempty"`
	// BotJoined is whether the bot is in the room. Nil means true.
	BotJoined *bool `json:"botJoined,omitempty"`
}

// LoadFixture reads and validates a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ParseFixture decodes a fixture strictly (unknown or mis-cased field names are refused)
// and validates it. Errors start with "fixture:" and name the offending element, e.g.
// `fixture: groups[2].groupId "Cxyz": must be "C" followed by 32 lowercase hex digits`.
func ParseFixture(data []byte) (*Fixture, error) {
	if !json.Valid(data) {
		return nil, syntaxError(data)
	}
	// encoding/json matches field names case-insensitively and its unknown-field error
	// does not say where the field is, so the key check walks the document itself.
	if err := checkFixtureKeys(data); err != nil {
		return nil, err
	}
	var f Fixture
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, decodeError(data, err)
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

func syntaxError(data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(data, se.Offset)
		return fmt.Errorf("fixture: invalid JSON at line %d, column %d: %w", line, col, se)
	}
	if err == nil || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("fixture: invalid JSON: unexpected end of input")
	}
	return fmt.Errorf("fixture: invalid JSON: %w", err)
}

func decodeError(data []byte, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := position(data, te.Offset)
		field := te.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Errorf("fixture: %s at line %d, column %d: JSON %s where %s is expected",
			field, line, col, te.Value, jsonKind(te.Type.Kind().String()))
	}
	return fmt.Errorf("fixture: %w", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct":
		return "an object"
	case "ptr":
		return "true or false"
	}
	return goKind
}

// position turns encoding/json's offset, which counts the bytes read up to and including
// the offending one, into the 1-based line and column of that byte.
func position(data []byte, offset int64) (line, col int) {
	offset = max(offset-1, 0)
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

var (
	fixtureKeys = []string{"access_tokens", "channels", "verified", "bot", "users", "groups", "rooms"}
	channelKeys = []string{"id", "secret", "keys"}
	botKeys     = []string{"userId", "basicId", "premiumId", "displayName", "pictureUrl", "chatMode", "markAsReadMode"}
	userKeys    = []string{"userId", "displayName", "pictureUrl", "noConsent"}
	groupKeys   = []string{"groupId", "groupName", "pictureUrl", "memberIds", "botJoined"}
	roomKeys    = []string{"roomId", "memberIds", "botJoined"}
)

// checkFixtureKeys refuses keys the fixture format does not have. Values of the wrong
// JSON type are left for the typed decode to report.
func checkFixtureKeys(data []byte) error {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil //nolint:nilerr // not an object: the typed decode reports it, with its place
	}
	if err := checkKeys("", top, fixtureKeys); err != nil {
		return err
	}
	var bot map[string]json.RawMessage
	if json.Unmarshal(top["bot"], &bot) == nil {
		if err := checkKeys("bot", bot, botKeys); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		name string
		keys []string
	}{{"channels", channelKeys}, {"users", userKeys}, {"groups", groupKeys}, {"rooms", roomKeys}} {
		var items []map[string]json.RawMessage
		if json.Unmarshal(top[list.name], &items) != nil {
			continue
		}
		for i, item := range items {
			if err := checkKeys(fmt.Sprintf("%s[%d]", list.name, i), item, list.keys); err != nil {
				return err
			}
			var keys []map[string]json.RawMessage
			if list.name != "channels" || json.Unmarshal(item["keys"], &keys) != nil {
				continue
			}
			for j, key := range keys {
				if err := checkKeys(fmt.Sprintf("channels[%d].keys[%d]", i, j), key, channelKeyKeys); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func checkKeys(where string, obj map[string]json.RawMessage, known []string) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // report the same key every time
	for _, k := range keys {
		if slices.Contains(known, k) {
			continue
		}
		prefix := "fixture: "
		if where != "" {
			prefix += where + ": "
		}
		for _, want := range known {
			if equalFoldASCII(k, want) {
				return fmt.Errorf("%sunknown field %q (did you mean %q?)", prefix, k, want)
			}
		}
		return fmt.Errorf("%sunknown field %q (known fields: %s)", prefix, k, joinQuoted(known))
	}
	return nil
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func joinQuoted(ss []string) string {
	var b bytes.Buffer
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

// clone returns a deep copy, so a Server never shares slices or pointers with its caller.
func (f *Fixture) clone() *Fixture {
	c := *f
	c.AccessTokens = slices.Clone(f.AccessTokens)
	c.Channels = slices.Clone(f.Channels)
	for i, ch := range f.Channels {
		c.Channels[i] = ch.clone()
	}
	c.Verified = clonePtr(f.Verified)
	c.Users = slices.Clone(f.Users)
	c.Groups = make([]Group, len(f.Groups))
	for i, g := range f.Groups {
		c.Groups[i] = g.clone()
	}
	c.Rooms = make([]Room, len(f.Rooms))
	for i, r := range f.Rooms {
		c.Rooms[i] = r.clone()
	}
	if f.Groups == nil {
		c.Groups = nil
	}
	if f.Rooms == nil {
		c.Rooms = nil
	}
	return &c
}

func (g Group) clone() Group {
	g.MemberIDs = slices.Clone(g.MemberIDs)
	g.BotJoined = clonePtr(g.BotJoined)
	return g
}

func (r Room) clone() Room {
	r.MemberIDs = slices.Clone(r.MemberIDs)
	r.BotJoined = clonePtr(r.BotJoined)
	return r
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// trueUnlessFalse reads an optional fixture flag whose default is true (verified, botJoined).
func trueUnlessFalse(p *bool) bool {
	return p == nil || *p
}
