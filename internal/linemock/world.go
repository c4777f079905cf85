package linemock

import "slices"

// world is the mutable state: the bot, the users and the chats. Server.mu guards it.
type world struct {
	verified bool
	bot      Bot
	users    map[string]*User
	userList []string // user IDs in fixture order, for Snapshot
	chats    map[string]*chat
	groups   []string // group IDs in fixture order
	rooms    []string // room IDs in fixture order
	msg      messaging
}

// chat is a group or a room.
type chat struct {
	id        string
	group     bool
	name      string // groups only
	picture   string // groups only
	members   []string
	botJoined bool
}

func newWorld(f *Fixture) world {
	w := world{
		verified: trueUnlessFalse(f.Verified),
		bot:      f.Bot,
		users:    make(map[string]*User, len(f.Users)),
		chats:    make(map[string]*chat, len(f.Groups)+len(f.Rooms)),
		msg:      newMessaging(),
	}
	for _, u := range f.Users {
		w.addUser(u)
	}
	for _, g := range f.Groups {
		w.addGroup(g)
	}
	for _, r := range f.Rooms {
		w.addRoom(r)
	}
	return w
}

func (w *world) addUser(u User) {
	w.users[u.UserID] = &u
	w.userList = append(w.userList, u.UserID)
}

func (w *world) addGroup(g Group) {
	w.chats[g.GroupID] = &chat{
		id:        g.GroupID,
		group:     true,
		name:      g.GroupName,
		picture:   g.PictureURL,
		members:   slices.Clone(g.MemberIDs),
		botJoined: trueUnlessFalse(g.BotJoined),
	}
	w.groups = append(w.groups, g.GroupID)
}

func (w *world) addRoom(r Room) {
	w.chats[r.RoomID] = &chat{
		id:        r.RoomID,
		members:   slices.Clone(r.MemberIDs),
		botJoined: trueUnlessFalse(r.BotJoined),
	}
	w.rooms = append(w.rooms, r.RoomID)
}

func (w *world) knownUser(id string) bool {
	_, ok := w.users[id]
	return ok
}

// joinedChat returns the chat if it exists and the bot is in it: LINE answers 404 for
// both an unknown chat and one the bot is not in.
func (w *world) joinedChat(id string) *chat {
	c := w.chats[id]
	if c == nil || !c.botJoined {
		return nil
	}
	return c
}

// listable reports whether LINE lists the user in memberIds and shows their profile:
// only users who consented to profile access.
func (w *world) listable(userID string) bool {
	u := w.users[userID]
	return u != nil && !u.NoConsent
}

func (c *chat) hasMember(userID string) bool {
	return slices.Contains(c.members, userID)
}

// snapshot returns the world in fixture form.
func (w *world) snapshot() (verified bool, bot Bot, users []User, groups []Group, rooms []Room) {
	for _, id := range w.userList {
		users = append(users, *w.users[id])
	}
	for _, id := range w.groups {
		c := w.chats[id]
		joined := c.botJoined
		groups = append(groups, Group{
			GroupID:    c.id,
			GroupName:  c.name,
			PictureURL: c.picture,
			MemberIDs:  slices.Clone(c.members),
			BotJoined:  &joined,
		})
	}
	for _, id := range w.rooms {
		c := w.chats[id]
		joined := c.botJoined
		rooms = append(rooms, Room{RoomID: c.id, MemberIDs: slices.Clone(c.members), BotJoined: &joined})
	}
	return w.verified, w.bot, users, groups, rooms
}
