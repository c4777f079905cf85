package linemock

import "net/http"

// chatKind holds what differs between the group and the room versions of the shared
// endpoints: the path parameter's name (which LINE's 400 message quotes), the ID format,
// and the one behavioural difference, leave.
type chatKind struct {
	param string // "groupId" or "roomId"
	valid func(string) bool
	group bool
}

// chatID returns the validated chat ID from the path, or answers 400.
func (k chatKind) chatID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue(k.param)
	if !k.valid(id) {
		writeError(w, http.StatusBadRequest, msgInvalidParam(k.param))
		return "", false
	}
	return id, true
}

type memberCountResponse struct {
	Count int `json:"count"`
}

// memberCount serves GET …/members/count. The count excludes the bot (which is never a
// member in the mock's model) and includes members without consent.
func (k chatKind) memberCount(s *Server, w http.ResponseWriter, r *http.Request) {
	id, ok := k.chatID(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	c := s.world.joinedChat(id)
	n := 0
	if c != nil {
		n = len(c.members)
	}
	s.mu.RUnlock()
	if c == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, memberCountResponse{Count: n})
}

type profileResponse struct {
	DisplayName string `json:"displayName"`
	UserID      string `json:"userId"`
	PictureURL  string `json:"pictureUrl,omitempty"`
}

// memberProfile serves GET …/member/{userId}: 404 unless the user is a current member who
// consented to profile access.
func (k chatKind) memberProfile(s *Server, w http.ResponseWriter, r *http.Request) {
	id, ok := k.chatID(w, r)
	if !ok {
		return
	}
	userID := r.PathValue("userId")
	if !isUserID(userID) {
		writeError(w, http.StatusBadRequest, msgInvalidParam("userId"))
		return
	}
	s.mu.RLock()
	var resp *profileResponse
	c := s.world.joinedChat(id)
	if c != nil && c.hasMember(userID) && s.world.listable(userID) {
		u := s.world.users[userID]
		resp = &profileResponse{DisplayName: u.DisplayName, UserID: u.UserID, PictureURL: u.PictureURL}
	}
	s.mu.RUnlock()
	if resp == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// leave serves POST …/leave. The request has no body and no Content-Type; neither is read.
// A group the bot is not in is 404 (so leaving twice is 404); a room that exists but the
// bot is not in is 200 {} (REFERENCE.md §7); an unknown chat is 404.
func (k chatKind) leave(s *Server, w http.ResponseWriter, r *http.Request) {
	id, ok := k.chatID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	c := s.world.chats[id]
	found := c != nil && (c.botJoined || !k.group)
	if c != nil {
		c.botJoined = false
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, emptyObject{})
}
