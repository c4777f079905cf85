package linemock

import (
	"net/http"
	"strings"
)

// authenticate checks the bearer token and answers 401 when it fails:
//   - no Authorization header, another scheme, or an empty token: LINE's "header required"
//     message. The scheme name is matched case-insensitively (RFC 9110 §11.1).
//   - a token that is neither one of the fixture's access_tokens nor a stateless token issued
//     by this server less than 15 minutes ago: "Authentication failed".
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		writeError(w, http.StatusUnauthorized, msgAuthHeaderRequired)
		return false
	}
	if _, ok := s.accessTokens[token]; ok {
		return true
	}
	if s.issuedTokenValid(token, s.clock.Now()) {
		return true
	}
	writeError(w, http.StatusUnauthorized, msgAuthFailed)
	return false
}
