package linemock

import "net/http"

// botInfo serves GET /v2/bot/info. Bot's JSON tags already leave out an empty premiumId
// and pictureUrl, as LINE does.
func (s *Server) botInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	bot := s.world.bot
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, bot)
}
