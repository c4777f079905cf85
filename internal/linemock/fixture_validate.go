package linemock

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// validate checks everything a fixture must satisfy before the mock serves it. It returns
// the first problem found, prefixed with "fixture:" and the path of the offending element.
func (f *Fixture) validate() error {
	if err := f.validateWorld(); err != nil {
		return fmt.Errorf("fixture: %w", err)
	}
	return nil
}

func (f *Fixture) validateWorld() error {
	if len(f.AccessTokens) == 0 && len(f.Channels) == 0 {
		return errors.New("no access_tokens and no channels: give at least one, or no request could authenticate")
	}
	seenTokens := map[string]int{}
	for i, tok := range f.AccessTokens {
		where := fmt.Sprintf("access_tokens[%d]", i)
		if tok == "" {
			return fmt.Errorf("%s: must not be empty", where)
		}
		if strings.IndexFunc(tok, unicode.IsSpace) >= 0 {
			return fmt.Errorf("%s %q: must not contain whitespace (it travels in an Authorization header)", where, tok)
		}
		if j, dup := seenTokens[tok]; dup {
			return fmt.Errorf("%s %q: duplicate of access_tokens[%d]", where, tok, j)
		}
		seenTokens[tok] = i
	}
	seenChannels, kids := map[string]int{}, map[string]string{}
	for i, ch := range f.Channels {
		where := fmt.Sprintf("channels[%d]", i)
		if !isChannelID(ch.ID) {
			return fmt.Errorf("%s.id %q: must be a channel ID of decimal digits", where, ch.ID)
		}
		if j, dup := seenChannels[ch.ID]; dup {
			return fmt.Errorf("%s.id %q: duplicate of channels[%d]", where, ch.ID, j)
		}
		seenChannels[ch.ID] = i
		if ch.Secret == "" {
			return fmt.Errorf("%s.secret: required", where)
		}
		if err := validateChannelKeys(where, ch.Keys, kids); err != nil {
			return err
		}
	}
	if err := validateBot(f.Bot); err != nil {
		return err
	}
	users := map[string]int{}
	for i, u := range f.Users {
		where := fmt.Sprintf("users[%d]", i)
		if err := validateUser(where, u, f.Bot.UserID); err != nil {
			return err
		}
		if j, dup := users[u.UserID]; dup {
			return fmt.Errorf("%s.userId %q: duplicate of users[%d]", where, u.UserID, j)
		}
		users[u.UserID] = i
	}
	known := func(id string) bool { _, ok := users[id]; return ok }
	groups := map[string]int{}
	for i, g := range f.Groups {
		where := fmt.Sprintf("groups[%d]", i)
		if err := validateGroup(where, g, f.Bot.UserID, known); err != nil {
			return err
		}
		if j, dup := groups[g.GroupID]; dup {
			return fmt.Errorf("%s.groupId %q: duplicate of groups[%d]", where, g.GroupID, j)
		}
		groups[g.GroupID] = i
	}
	rooms := map[string]int{}
	for i, r := range f.Rooms {
		where := fmt.Sprintf("rooms[%d]", i)
		if err := validateRoom(where, r, f.Bot.UserID, known); err != nil {
			return err
		}
		if j, dup := rooms[r.RoomID]; dup {
			return fmt.Errorf("%s.roomId %q: duplicate of rooms[%d]", where, r.RoomID, j)
		}
		rooms[r.RoomID] = i
	}
	return nil
}

const (
	userIDRule  = `must be "U" followed by 32 lowercase hex digits`
	groupIDRule = `must be "C" followed by 32 lowercase hex digits`
	roomIDRule  = `must be "R" followed by 32 lowercase hex digits`
)

func validateBot(b Bot) error {
	if b.UserID == "" {
		return errors.New("bot.userId: required")
	}
	if !isUserID(b.UserID) {
		return fmt.Errorf("bot.userId %q: %s", b.UserID, userIDRule)
	}
	if b.BasicID == "" {
		return errors.New("bot.basicId: required")
	}
	if !strings.HasPrefix(b.BasicID, "@") || len(b.BasicID) < 2 {
		return fmt.Errorf("bot.basicId %q: must start with \"@\"", b.BasicID)
	}
	if b.PremiumID != "" && (!strings.HasPrefix(b.PremiumID, "@") || len(b.PremiumID) < 2) {
		return fmt.Errorf("bot.premiumId %q: must start with \"@\" (leave it out when there is none)", b.PremiumID)
	}
	if b.DisplayName == "" {
		return errors.New("bot.displayName: required")
	}
	if err := validatePictureURL("bot.pictureUrl", b.PictureURL); err != nil {
		return err
	}
	switch b.ChatMode {
	case "chat", "bot":
	case "":
		return errors.New(`bot.chatMode: required ("chat" or "bot")`)
	default:
		return fmt.Errorf(`bot.chatMode %q: must be "chat" or "bot"`, b.ChatMode)
	}
	switch b.MarkAsReadMode {
	case "auto", "manual":
	case "":
		return errors.New(`bot.markAsReadMode: required ("auto" or "manual")`)
	default:
		return fmt.Errorf(`bot.markAsReadMode %q: must be "auto" or "manual"`, b.MarkAsReadMode)
	}
	return nil
}

func validateUser(where string, u User, botID string) error {
	if u.UserID == "" {
		return fmt.Errorf("%s.userId: required", where)
	}
	if !isUserID(u.UserID) {
		return fmt.Errorf("%s.userId %q: %s", where, u.UserID, userIDRule)
	}
	if u.UserID == botID {
		return fmt.Errorf("%s.userId %q: is the bot's user ID; the bot is described by \"bot\", not listed as a user", where, u.UserID)
	}
	if u.DisplayName == "" {
		return fmt.Errorf("%s.displayName: required", where)
	}
	return validatePictureURL(where+".pictureUrl", u.PictureURL)
}

func validateGroup(where string, g Group, botID string, knownUser func(string) bool) error {
	if g.GroupID == "" {
		return fmt.Errorf("%s.groupId: required", where)
	}
	if !isGroupID(g.GroupID) {
		return fmt.Errorf("%s.groupId %q: %s", where, g.GroupID, groupIDRule)
	}
	if g.GroupName == "" {
		return fmt.Errorf("%s.groupName: required", where)
	}
	if err := validatePictureURL(where+".pictureUrl", g.PictureURL); err != nil {
		return err
	}
	return validateMembers(where, g.MemberIDs, botID, knownUser)
}

func validateRoom(where string, r Room, botID string, knownUser func(string) bool) error {
	if r.RoomID == "" {
		return fmt.Errorf("%s.roomId: required", where)
	}
	if !isRoomID(r.RoomID) {
		return fmt.Errorf("%s.roomId %q: %s", where, r.RoomID, roomIDRule)
	}
	return validateMembers(where, r.MemberIDs, botID, knownUser)
}

func validateMembers(where string, ids []string, botID string, knownUser func(string) bool) error {
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		at := fmt.Sprintf("%s.memberIds[%d]", where, i)
		switch {
		case !isUserID(id):
			return fmt.Errorf("%s %q: %s", at, id, userIDRule)
		case id == botID:
			return fmt.Errorf("%s %q: is the bot's user ID; the bot's presence is botJoined, and LINE never lists or counts the bot as a member", at, id)
		case !knownUser(id):
			return fmt.Errorf("%s %q: not in users", at, id)
		}
		if j, dup := seen[id]; dup {
			return fmt.Errorf("%s %q: duplicate of %s.memberIds[%d]", at, id, where, j)
		}
		seen[id] = i
	}
	return nil
}

// validatePictureURL accepts "" (no picture) or an absolute https URL: LINE's schemas
// describe every pictureUrl as an https image URL.
func validatePictureURL(where, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%s %q: must be an absolute https URL (leave it out when there is no picture)", where, raw)
	}
	return nil
}
