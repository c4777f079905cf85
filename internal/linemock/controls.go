package linemock

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// The controls change the world the way things happen outside Terraform: a user removes the
// bot, renames a group, joins or leaves it. They take effect at once for every later request.

// controlError is an error from a control, with the HTTP status the /_mock/ routes answer.
type controlError struct {
	status int
	msg    string
}

func (e *controlError) Error() string { return "linemock: " + e.msg }

func notFoundf(format string, a ...any) error {
	return &controlError{http.StatusNotFound, fmt.Sprintf(format, a...)}
}

func invalidf(format string, a ...any) error {
	return &controlError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

func conflictf(format string, a ...any) error {
	return &controlError{http.StatusConflict, fmt.Sprintf(format, a...)}
}

// statusOf returns the HTTP status for a control's error.
func statusOf(err error) int {
	var ce *controlError
	if errors.As(err, &ce) {
		return ce.status
	}
	return http.StatusBadRequest
}

// chatLocked returns the chat with the given ID. s.mu must be held.
func (s *Server) chatLocked(chatID string) (*chat, error) {
	if !isGroupID(chatID) && !isRoomID(chatID) {
		return nil, invalidf("chat ID %q: must be a group ID (C + 32 hex digits) or a room ID (R + 32 hex digits)", chatID)
	}
	c := s.world.chats[chatID]
	if c == nil {
		return nil, notFoundf("chat %q not found", chatID)
	}
	return c, nil
}

func (s *Server) groupLocked(groupID string) (*chat, error) {
	if !isGroupID(groupID) {
		return nil, invalidf("group ID %q: %s", groupID, groupIDRule)
	}
	return s.chatLocked(groupID)
}

// KickBot removes the bot from a group ("C…") or room ("R…"), as a member removing it
// would. Kicking a bot that is not in the chat is not an error.
func (s *Server) KickBot(chatID string) error { return s.setBotJoined(chatID, false) }

// InviteBot puts the bot back into a group or room, as a member inviting it would.
// Inviting a bot that is already in the chat is not an error.
func (s *Server) InviteBot(chatID string) error { return s.setBotJoined(chatID, true) }

func (s *Server) setBotJoined(chatID string, joined bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatLocked(chatID)
	if err != nil {
		return err
	}
	c.botJoined = joined
	return nil
}

// BotJoined reports whether the bot is in the group or room.
func (s *Server) BotJoined(chatID string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.chatLocked(chatID)
	if err != nil {
		return false, err
	}
	return c.botJoined, nil
}

// RenameGroup changes a group's name.
func (s *Server) RenameGroup(groupID, name string) error {
	if name == "" {
		return invalidf("group name must not be empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(groupID)
	if err != nil {
		return err
	}
	c.name = name
	return nil
}

// SetGroupPicture changes a group's icon URL (https); "" removes the icon.
func (s *Server) SetGroupPicture(groupID, pictureURL string) error {
	if err := validatePictureURL("pictureUrl", pictureURL); err != nil {
		return invalidf("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(groupID)
	if err != nil {
		return err
	}
	c.picture = pictureURL
	return nil
}

// AddUser adds a user, validated as in a fixture.
func (s *Server) AddUser(u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := validateUser("user", u, s.world.bot.UserID); err != nil {
		return invalidf("%v", err)
	}
	if s.world.knownUser(u.UserID) {
		return conflictf("user %q already exists", u.UserID)
	}
	s.world.addUser(u)
	return nil
}

// AddGroup adds a group, validated as in a fixture: its members must already be users.
func (s *Server) AddGroup(g Group) error {
	g = g.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := validateGroup("group", g, s.world.bot.UserID, s.world.knownUser); err != nil {
		return invalidf("%v", err)
	}
	if _, exists := s.world.chats[g.GroupID]; exists {
		return conflictf("group %q already exists", g.GroupID)
	}
	s.world.addGroup(g)
	return nil
}

// AddRoom adds a room, validated as in a fixture: its members must already be users.
func (s *Server) AddRoom(r Room) error {
	r = r.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := validateRoom("room", r, s.world.bot.UserID, s.world.knownUser); err != nil {
		return invalidf("%v", err)
	}
	if _, exists := s.world.chats[r.RoomID]; exists {
		return conflictf("room %q already exists", r.RoomID)
	}
	s.world.addRoom(r)
	return nil
}

// AddMember adds an existing user to a group or room, at the end of its member list.
func (s *Server) AddMember(chatID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatLocked(chatID)
	if err != nil {
		return err
	}
	if err := s.userLocked(userID); err != nil {
		return err
	}
	if c.hasMember(userID) {
		return conflictf("user %q is already a member of %q", userID, chatID)
	}
	c.members = append(c.members, userID)
	return nil
}

// RemoveMember removes a user from a group or room.
func (s *Server) RemoveMember(chatID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatLocked(chatID)
	if err != nil {
		return err
	}
	if err := s.userLocked(userID); err != nil {
		return err
	}
	i := slices.Index(c.members, userID)
	if i < 0 {
		return notFoundf("user %q is not a member of %q", userID, chatID)
	}
	c.members = slices.Delete(c.members, i, i+1)
	return nil
}

func (s *Server) userLocked(userID string) error {
	switch {
	case !isUserID(userID):
		return invalidf("user ID %q: %s", userID, userIDRule)
	case userID == s.world.bot.UserID:
		return invalidf("user %q is the bot: use InviteBot and KickBot", userID)
	case !s.world.knownUser(userID):
		return notFoundf("user %q not found", userID)
	}
	return nil
}

// SetVerified makes the account verified (or premium) or not; members/ids answers 403
// while it is not.
func (s *Server) SetVerified(verified bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.verified = verified
}

// Snapshot returns the current world in fixture form: it passes ParseFixture and New, and
// starting a server from it gives the same world. Tokens issued by the token endpoint
// are not part of it.
func (s *Server) Snapshot() *Fixture {
	s.mu.RLock()
	verified, bot, users, groups, rooms := s.world.snapshot()
	s.mu.RUnlock()
	return &Fixture{
		AccessTokens: slices.Clone(s.tokenList),
		Channels:     s.channelsSnapshot(),
		Verified:     &verified,
		Bot:          bot,
		Users:        users,
		Groups:       groups,
		Rooms:        rooms,
	}
}
