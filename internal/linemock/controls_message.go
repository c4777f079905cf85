package linemock

import (
	"net/http"
	"slices"
)

// The push and quota controls (REFERENCE.md §14).

// Unlimited, given to SetMessageQuota, removes the monthly limit: the quota endpoint then
// answers {"type":"none"}. It is the default.
const Unlimited = unlimitedMessages

// SetMessageQuota sets the month's message limit: a push that would take the usage past
// it answers 429 "You have reached your monthly limit." and sends nothing. Any negative
// limit (Unlimited, -1) means no limit. 0 is a limit that refuses every push that reaches
// anyone.
func (s *Server) SetMessageQuota(limit int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.msg.quota = max(limit, unlimitedMessages)
}

// MessageQuota returns the month's message limit, or Unlimited (-1).
func (s *Server) MessageQuota() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.world.msg.quota
}

// MessageUsage returns this month's usage (GET /v2/bot/message/quota/consumption): one
// per person each accepted push reached. It starts from 0 when the mock's clock enters a
// new calendar month in Japan time.
func (s *Server) MessageUsage() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.msg.rollMonth(s.clock.Now())
	return s.world.msg.usage
}

// SetMessageUsage sets this month's usage, as if other sends (LINE Official Account
// Manager, other bots of the channel) had used it. Negative values count as 0.
func (s *Server) SetMessageUsage(used int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.msg.rollMonth(s.clock.Now())
	s.world.msg.usage = max(used, 0)
}

// PushedMessages returns the pushes the mock accepted since New or ResetPushed, oldest
// first. A push whose answer a LostResponse fault replaced is among them: it was sent.
func (s *Server) PushedMessages() []PushedMessage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]PushedMessage, len(s.world.msg.pushed))
	for i, p := range s.world.msg.pushed {
		p.Texts = slices.Clone(p.Texts)
		p.SentMessageIDs = slices.Clone(p.SentMessageIDs)
		p.Mentions = slices.Clone(p.Mentions)
		p.Messages = slices.Clone(p.Messages)
		for j := range p.Messages {
			p.Messages[j] = slices.Clone(p.Messages[j])
		}
		out[i] = p
	}
	return out
}

// ResetPushed forgets the pushed messages. The usage and the accepted retry keys stay:
// LINE would still count the messages and still answer 409 to a repeated key.
func (s *Server) ResetPushed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.msg.pushed = nil
}

// quotaBody is GET and PUT /_mock/quota. limit -1 means no limit.
type quotaBody struct {
	Limit *int64 `json:"limit"`
	Used  *int64 `json:"used"`
}

func (s *Server) ctlGetQuota(w http.ResponseWriter, r *http.Request) {
	limit, used := s.MessageQuota(), s.MessageUsage()
	writeJSON(w, http.StatusOK, quotaBody{&limit, &used})
}

func (s *Server) ctlSetQuota(w http.ResponseWriter, r *http.Request) {
	var body quotaBody
	if !decodeBody(w, r, &body) {
		return
	}
	switch {
	case body.Limit == nil && body.Used == nil:
		writeError(w, http.StatusBadRequest, `want "limit" (messages this month, -1 for no limit) and/or "used"`)
		return
	case body.Limit != nil && *body.Limit < unlimitedMessages:
		writeError(w, http.StatusBadRequest, `"limit" must be -1 (no limit) or more`)
		return
	case body.Used != nil && *body.Used < 0:
		writeError(w, http.StatusBadRequest, `"used" must not be negative`)
		return
	}
	if body.Limit != nil {
		s.SetMessageQuota(*body.Limit)
	}
	if body.Used != nil {
		s.SetMessageUsage(*body.Used)
	}
	s.ctlGetQuota(w, r)
}

type messagesBody struct {
	Messages []PushedMessage `json:"messages"`
}

func (s *Server) ctlMessages(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, messagesBody{Messages: s.PushedMessages()})
}

func (s *Server) ctlResetMessages(w http.ResponseWriter, r *http.Request) {
	s.ResetPushed()
	writeJSON(w, http.StatusOK, emptyObject{})
}
