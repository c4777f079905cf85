package linemock

import (
	"crypto/subtle"
	"net/http"
	"time"
)

const (
	grantClientCredentials = "client_credentials"
	jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	maxFormBytes           = 64 << 10
)

// statelessTokenResponse is IssueStatelessChannelAccessTokenResponse.
type statelessTokenResponse struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// issueStatelessToken serves POST /oauth2/v3/token (REFERENCE.md §9). Only the form body
// counts (not the query string), and only snake_case names: camelCase ones, as old SDKs
// sent, are simply missing.
func (s *Server) issueStatelessToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, "invalid_request", "Invalid 'client_credentials'.")
		return
	}
	form := r.PostForm
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		writeOAuthError(w, "invalid_request", "Invalid 'client_credentials'.")
		return
	case grant != grantClientCredentials:
		writeOAuthError(w, "unsupported_grant_type", "Unsupported 'grant_type'.")
		return
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	assertionType, assertion := form.Get("client_assertion_type"), form.Get("client_assertion")
	if assertionType != "" || assertion != "" {
		// The JWT variant, checked against the registered assertion signing keys (assertion.go).
		// Mixing both variants, or half a JWT request, is a bad request.
		if id != "" || secret != "" || assertionType != jwtBearerAssertionType || assertion == "" {
			writeOAuthError(w, "invalid_request", "Invalid 'client_credentials'.")
			return
		}
		s.verifyAssertion(w, assertion)
		return
	}
	want, ok := s.channels[id]
	if !ok || id == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
		writeOAuthError(w, "invalid_request", "Invalid 'client_credentials'.")
		return
	}
	s.writeStatelessToken(w, s.clock.Now())
}

func (s *Server) writeStatelessToken(w http.ResponseWriter, now time.Time) {
	writeJSON(w, http.StatusOK, statelessTokenResponse{
		TokenType:   "Bearer",
		AccessToken: s.newAccessToken(now),
		ExpiresIn:   int(statelessTokenLifetime.Seconds()),
	})
}

func writeOAuthError(w http.ResponseWriter, code, description string) {
	writeJSON(w, http.StatusBadRequest, oauthErrorBody{Error: code, ErrorDescription: description})
}
