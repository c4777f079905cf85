package lineclient

import (
	"fmt"
	"regexp"
	"strings"
)

// LINE's identifiers are a one-letter kind followed by 32 lowercase hexadecimal digits.
var (
	GroupIDPattern = regexp.MustCompile(`^C[0-9a-f]{32}$`)
	RoomIDPattern  = regexp.MustCompile(`^R[0-9a-f]{32}$`)
	UserIDPattern  = regexp.MustCompile(`^U[0-9a-f]{32}$`)
)

// Descriptions of the ID formats, worded to complete "must be ...".
const (
	GroupIDFormat = `"C" followed by 32 lowercase hexadecimal digits (a LINE group ID)`
	RoomIDFormat  = `"R" followed by 32 lowercase hexadecimal digits (a LINE multi-person chat ID)`
	UserIDFormat  = `"U" followed by 32 lowercase hexadecimal digits (a LINE user ID)`
)

// ChatType tells a group chat from a legacy multi-person chat ("room").
type ChatType string

const (
	Group ChatType = "group"
	Room  ChatType = "room"
)

// Chat names one group or room.
type Chat struct {
	Type ChatType
	ID   string
}

// GroupChat and RoomChat name a chat whose kind the caller already knows.
func GroupChat(id string) Chat { return Chat{Type: Group, ID: id} }
func RoomChat(id string) Chat  { return Chat{Type: Room, ID: id} }

func (c Chat) String() string {
	if c.Type == Room {
		return "multi-person chat " + c.ID
	}
	return "group chat " + c.ID
}

// ParseChat reads a chat ID of either kind: "C…" is a group, "R…" a room.
func ParseChat(id string) (Chat, error) {
	switch {
	case GroupIDPattern.MatchString(id):
		return GroupChat(id), nil
	case RoomIDPattern.MatchString(id):
		return RoomChat(id), nil
	}
	return Chat{}, &InvalidIDError{Kind: "chat ID", Value: id,
		Format: GroupIDFormat + " or " + RoomIDFormat}
}

// check reports whether the chat's ID is well formed for its kind. Every method checks
// before it builds a URL: the SDK puts IDs into paths unescaped, so "C1/../x" would reach
// another endpoint.
func (c Chat) check() error {
	switch c.Type {
	case Group:
		return checkID("group ID", c.ID, GroupIDPattern, GroupIDFormat)
	case Room:
		return checkID("room ID", c.ID, RoomIDPattern, RoomIDFormat)
	}
	return fmt.Errorf("unknown chat type %q", c.Type)
}

func checkUserID(id string) error {
	return checkID("user ID", id, UserIDPattern, UserIDFormat)
}

func checkID(kind, value string, pattern *regexp.Regexp, format string) error {
	if pattern.MatchString(value) {
		return nil
	}
	return &InvalidIDError{Kind: kind, Value: value, Format: format}
}

// InvalidIDError is returned, before any request, for an ID that LINE would refuse.
type InvalidIDError struct {
	Kind   string // "group ID", "room ID", "user ID" or "chat ID"
	Value  string
	Format string
}

func (e *InvalidIDError) Error() string {
	return fmt.Sprintf("invalid %s %s: must be %s", e.Kind, quoteShort(e.Value), e.Format)
}

// quoteShort quotes a value for a message, cutting it short so that a pasted blob stays readable.
func quoteShort(s string) string {
	const limit = 64
	if len(s) > limit {
		return fmt.Sprintf("%q…", strings.ToValidUTF8(s[:limit], ""))
	}
	return fmt.Sprintf("%q", s)
}
