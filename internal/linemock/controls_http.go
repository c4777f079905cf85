package linemock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The /_mock/ routes expose the controls over HTTP for scripts and the demo. They are not
// authenticated, not recorded, not rate limited and not faulted. Answers are JSON; errors
// are {"message": ...} with 400 (bad input), 404 (unknown ID) or 409 (already so).
//
// See doc.go for the list of routes.

type controlRoute struct {
	pattern string
	methods map[string]http.HandlerFunc
}

func (s *Server) newControlMux() *http.ServeMux {
	routes := []controlRoute{
		{"/_mock/chats/{chatId}", map[string]http.HandlerFunc{"GET": s.ctlGetChat}},
		{"/_mock/chats/{chatId}/kick", map[string]http.HandlerFunc{"POST": s.ctlKick}},
		{"/_mock/chats/{chatId}/invite", map[string]http.HandlerFunc{"POST": s.ctlInvite}},
		{"/_mock/chats/{chatId}/members", map[string]http.HandlerFunc{"POST": s.ctlAddMember}},
		{"/_mock/chats/{chatId}/members/{userId}", map[string]http.HandlerFunc{"DELETE": s.ctlRemoveMember}},
		{"/_mock/groups", map[string]http.HandlerFunc{"POST": s.ctlAddGroup}},
		{"/_mock/groups/{groupId}/rename", map[string]http.HandlerFunc{"POST": s.ctlRename}},
		{"/_mock/groups/{groupId}/picture", map[string]http.HandlerFunc{"PUT": s.ctlPicture}},
		{"/_mock/channels/{channelId}/keys", map[string]http.HandlerFunc{"POST": s.ctlRegisterKey}},
		{"/_mock/channels/{channelId}/keys/{kid}", map[string]http.HandlerFunc{"DELETE": s.ctlRemoveKey}},
		{"/_mock/rooms", map[string]http.HandlerFunc{"POST": s.ctlAddRoom}},
		{"/_mock/users", map[string]http.HandlerFunc{"POST": s.ctlAddUser}},
		{"/_mock/verified", map[string]http.HandlerFunc{"GET": s.ctlGetVerified, "PUT": s.ctlSetVerified}},
		{"/_mock/state", map[string]http.HandlerFunc{"GET": s.ctlState}},
		{"/_mock/requests", map[string]http.HandlerFunc{"GET": s.ctlRequests, "DELETE": s.ctlResetRequests}},
		{"/_mock/faults", map[string]http.HandlerFunc{"GET": s.ctlFaults, "DELETE": s.ctlClearFaults}},
		{"/_mock/faults/{endpoint...}", map[string]http.HandlerFunc{"PUT": s.ctlSetFault, "DELETE": s.ctlDeleteFault}},
		{"/_mock/rate-limit", map[string]http.HandlerFunc{"GET": s.ctlGetRateLimit, "PUT": s.ctlSetRateLimit}},
		{"/_mock/tokens/expire", map[string]http.HandlerFunc{"POST": s.ctlExpireTokens}},
		{"/_mock/tokens/revoke", map[string]http.HandlerFunc{"POST": s.ctlRevokeToken}},
		{"/_mock/quota", map[string]http.HandlerFunc{"GET": s.ctlGetQuota, "PUT": s.ctlSetQuota}},
		{"/_mock/messages", map[string]http.HandlerFunc{"GET": s.ctlMessages, "DELETE": s.ctlResetMessages}},
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		allow := make([]string, 0, len(rt.methods))
		for m := range rt.methods {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		methods := rt.methods
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			h, ok := methods[r.Method]
			if !ok {
				w.Header().Set("Allow", strings.Join(allow, ", "))
				writeError(w, http.StatusMethodNotAllowed, msgMethodNotAllowed)
				return
			}
			h(w, r)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, msgNotFound)
	})
	return mux
}

// decodeBody decodes a small JSON body strictly into v, or answers 400.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading body: "+err.Error())
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "invalid JSON body: more than one value")
		return false
	}
	return true
}

func writeControlResult(w http.ResponseWriter, err error, ok any) {
	if err != nil {
		writeError(w, statusOf(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ok)
}

type chatState struct {
	ChatID    string `json:"chatId"`
	BotJoined bool   `json:"botJoined"`
}

func (s *Server) ctlGetChat(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("chatId")
	joined, err := s.BotJoined(id)
	writeControlResult(w, err, chatState{id, joined})
}

func (s *Server) ctlKick(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("chatId")
	writeControlResult(w, s.KickBot(id), chatState{id, false})
}

func (s *Server) ctlInvite(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("chatId")
	writeControlResult(w, s.InviteBot(id), chatState{id, true})
}

func (s *Server) ctlAddMember(w http.ResponseWriter, r *http.Request) {
	var body struct {
		UserID string `json:"userId"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	writeControlResult(w, s.AddMember(r.PathValue("chatId"), body.UserID), emptyObject{})
}

func (s *Server) ctlRemoveMember(w http.ResponseWriter, r *http.Request) {
	writeControlResult(w, s.RemoveMember(r.PathValue("chatId"), r.PathValue("userId")), emptyObject{})
}

func (s *Server) ctlAddGroup(w http.ResponseWriter, r *http.Request) {
	var g Group
	if !decodeBody(w, r, &g) {
		return
	}
	writeControlResult(w, s.AddGroup(g), emptyObject{})
}

func (s *Server) ctlAddRoom(w http.ResponseWriter, r *http.Request) {
	var room Room
	if !decodeBody(w, r, &room) {
		return
	}
	writeControlResult(w, s.AddRoom(room), emptyObject{})
}

func (s *Server) ctlAddUser(w http.ResponseWriter, r *http.Request) {
	var u User
	if !decodeBody(w, r, &u) {
		return
	}
	writeControlResult(w, s.AddUser(u), emptyObject{})
}

func (s *Server) ctlRename(w http.ResponseWriter, r *http.Request) {
	var body struct {
		GroupName string `json:"groupName"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	writeControlResult(w, s.RenameGroup(r.PathValue("groupId"), body.GroupName), emptyObject{})
}

func (s *Server) ctlPicture(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PictureURL string `json:"pictureUrl"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	writeControlResult(w, s.SetGroupPicture(r.PathValue("groupId"), body.PictureURL), emptyObject{})
}

type verifiedBody struct {
	Verified *bool `json:"verified"`
}

func (s *Server) ctlGetVerified(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	v := s.world.verified
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, verifiedBody{&v})
}

func (s *Server) ctlSetVerified(w http.ResponseWriter, r *http.Request) {
	var body verifiedBody
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Verified == nil {
		writeError(w, http.StatusBadRequest, `"verified" is required (true or false)`)
		return
	}
	s.SetVerified(*body.Verified)
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) ctlState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Snapshot())
}

type requestsBody struct {
	Requests []Request      `json:"requests"`
	Counts   map[string]int `json:"counts"`
	Total    int            `json:"total"`
}

func (s *Server) ctlRequests(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, requestsBody{
		Requests: s.Requests(),
		Counts:   s.requestCounts(),
		Total:    s.CountRequests(""),
	})
}

func (s *Server) ctlResetRequests(w http.ResponseWriter, r *http.Request) {
	s.ResetRequests()
	writeJSON(w, http.StatusOK, emptyObject{})
}

// faultJSON is Fault on the wire: latency as a Go duration string such as "20ms".
type faultJSON struct {
	Latency      string  `json:"latency,omitempty"`
	Rate429      float64 `json:"rate429,omitempty"`
	Rate500      float64 `json:"rate500,omitempty"`
	LostResponse float64 `json:"lost_response,omitempty"`
	RedirectTo   string  `json:"redirect_to,omitempty"`
	Hang         bool    `json:"hang,omitempty"`
	RetryAfter   string  `json:"retry_after,omitempty"`
	Body429      string  `json:"body429,omitempty"`
	ContentType  string  `json:"content_type429,omitempty"`
}

func faultToJSON(f Fault) faultJSON {
	fj := faultJSON{Rate429: f.Rate429, Rate500: f.Rate500, LostResponse: f.LostResponse, RedirectTo: f.RedirectTo, Hang: f.Hang,
		RetryAfter: f.RetryAfter, Body429: f.Body429, ContentType: f.ContentType429}
	if f.Latency > 0 {
		fj.Latency = f.Latency.String()
	}
	return fj
}

// faultsBody is GET /_mock/faults: the seed of the draws, so that a failing run can be
// replayed with -seed or WithSeed, and the fault of each endpoint.
type faultsBody struct {
	Seed   int64                `json:"seed"`
	Faults map[string]faultJSON `json:"faults"`
}

func (s *Server) ctlFaults(w http.ResponseWriter, r *http.Request) {
	out := faultsBody{Seed: s.Seed(), Faults: map[string]faultJSON{}}
	for ep, f := range s.faultsSnapshot() {
		out.Faults[ep] = faultToJSON(f)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) faultEndpoint(w http.ResponseWriter, r *http.Request) (string, bool) {
	ep := r.PathValue("endpoint")
	if !knownEndpoint(ep) {
		names := []string{AllEndpoints}
		for _, e := range endpoints {
			names = append(names, e.name)
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown endpoint %q: want one of %s", ep, joinQuoted(names)))
		return "", false
	}
	return ep, true
}

func (s *Server) ctlSetFault(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.faultEndpoint(w, r)
	if !ok {
		return
	}
	var fj faultJSON
	if !decodeBody(w, r, &fj) {
		return
	}
	var f Fault
	if fj.Latency != "" {
		d, err := time.ParseDuration(fj.Latency)
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("latency %q: want a duration such as \"20ms\"", fj.Latency))
			return
		}
		f.Latency = d
	}
	for _, rate := range []struct {
		name  string
		value float64
	}{{"rate429", fj.Rate429}, {"rate500", fj.Rate500}, {"lost_response", fj.LostResponse}} {
		if !(rate.value >= 0 && rate.value <= 1) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%s %v: want a probability from 0 to 1", rate.name, rate.value))
			return
		}
	}
	if fj.RedirectTo != "" {
		u, err := url.Parse(fj.RedirectTo)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("redirect_to %q: want a base URL such as \"http://127.0.0.1:9999\"", fj.RedirectTo))
			return
		}
	}
	f.Rate429, f.Rate500, f.LostResponse, f.RedirectTo, f.Hang = fj.Rate429, fj.Rate500, fj.LostResponse, fj.RedirectTo, fj.Hang
	f.RetryAfter, f.Body429, f.ContentType429 = fj.RetryAfter, fj.Body429, fj.ContentType
	s.SetFault(ep, f)
	writeJSON(w, http.StatusOK, faultToJSON(s.faultsSnapshot()[ep]))
}

func (s *Server) ctlDeleteFault(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.faultEndpoint(w, r)
	if !ok {
		return
	}
	s.SetFault(ep, Fault{})
	writeJSON(w, http.StatusOK, emptyObject{})
}

func (s *Server) ctlClearFaults(w http.ResponseWriter, r *http.Request) {
	s.ClearFaults()
	writeJSON(w, http.StatusOK, emptyObject{})
}

// rateLimitBody is GET and PUT /_mock/rate-limit.
type rateLimitBody struct {
	PerSecond *int `json:"per_second"`
}

func (s *Server) ctlGetRateLimit(w http.ResponseWriter, r *http.Request) {
	n := s.RateLimit()
	writeJSON(w, http.StatusOK, rateLimitBody{&n})
}

func (s *Server) ctlSetRateLimit(w http.ResponseWriter, r *http.Request) {
	var body rateLimitBody
	if !decodeBody(w, r, &body) {
		return
	}
	if body.PerSecond == nil || *body.PerSecond < 0 {
		writeError(w, http.StatusBadRequest, `"per_second" is required: requests per second per endpoint, 0 for no limit`)
		return
	}
	s.SetRateLimit(*body.PerSecond)
	s.ctlGetRateLimit(w, r)
}

func (s *Server) ctlRegisterKey(w http.ResponseWriter, r *http.Request) {
	var key ChannelKey
	if !decodeBody(w, r, &key) {
		return
	}
	writeControlResult(w, s.RegisterChannelKey(r.PathValue("channelId"), key.KID, key.JWK), emptyObject{})
}

func (s *Server) ctlRemoveKey(w http.ResponseWriter, r *http.Request) {
	writeControlResult(w, s.RemoveChannelKey(r.PathValue("channelId"), r.PathValue("kid")), emptyObject{})
}

// tokensBody is POST /_mock/tokens/expire's answer.
type tokensBody struct {
	Issued int `json:"issued"`
}

func (s *Server) ctlExpireTokens(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, tokensBody{Issued: s.ExpireIssuedTokens()})
}

func (s *Server) ctlRevokeToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	writeControlResult(w, s.RevokeIssuedToken(body.AccessToken), emptyObject{})
}
