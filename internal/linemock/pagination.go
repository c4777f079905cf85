package linemock

import "net/http"

// pageSize is LINE's maximum number of member IDs per page (REFERENCE.md §6).
const pageSize = 100

type memberIDsResponse struct {
	MemberIDs []string `json:"memberIds"` // always present, [] when empty
	Next      string   `json:"next,omitempty"`
}

// memberIDs serves GET …/members/ids[?start=]. Pages hold exactly 100 IDs while more
// remain. The continuation token encodes the chat and the offset of the next page (see
// tokens.go), so a page is cut from the member list as it is when that page is asked for:
// members added or removed between pages shift later pages, as with any offset cursor.
// An empty start= is the same as none.
func (k chatKind) memberIDs(s *Server, w http.ResponseWriter, r *http.Request) {
	id, ok := k.chatID(w, r)
	if !ok {
		return
	}
	start := r.URL.Query().Get("start")
	now := s.clock.Now()

	s.mu.RLock()
	verified := s.world.verified
	c := s.world.joinedChat(id)
	var listed []string
	if verified && c != nil {
		listed = make([]string, 0, len(c.members))
		for _, m := range c.members {
			if s.world.listable(m) {
				listed = append(listed, m)
			}
		}
	}
	s.mu.RUnlock()

	switch {
	case !verified:
		writeError(w, http.StatusForbidden, msgForbidden)
		return
	case c == nil:
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	offset := 0
	if start != "" {
		if offset, ok = s.pageOffset(start, id, now); !ok {
			writeError(w, http.StatusBadRequest, msgInvalidStart)
			return
		}
	}
	offset = min(offset, len(listed))
	end := min(offset+pageSize, len(listed))
	resp := memberIDsResponse{MemberIDs: listed[offset:end]}
	if end < len(listed) {
		resp.Next = s.newPageToken(id, end, now)
	}
	writeJSON(w, http.StatusOK, resp)
}
