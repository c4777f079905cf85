package linemock

import "net/http"

type groupSummaryResponse struct {
	GroupID    string `json:"groupId"`
	GroupName  string `json:"groupName"`
	PictureURL string `json:"pictureUrl,omitempty"`
}

// groupSummary serves GET /v2/bot/group/{groupId}/summary. Rooms have no summary.
func (s *Server) groupSummary(w http.ResponseWriter, r *http.Request) {
	id, ok := groupKind.chatID(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	var resp *groupSummaryResponse
	if c := s.world.joinedChat(id); c != nil {
		resp = &groupSummaryResponse{GroupID: c.id, GroupName: c.name, PictureURL: c.picture}
	}
	s.mu.RUnlock()
	if resp == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}
