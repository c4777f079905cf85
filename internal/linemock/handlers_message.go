package linemock

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Push and quota (REFERENCE.md §14). The quota, the usage, the pushed messages and the
// accepted retry keys are part of the world, guarded by Server.mu, so that checking a
// retry key, checking the quota, sending and remembering the key happen as one step.

const (
	maxPushMessages   = 5
	maxTextUTF16      = 5000
	maxPushBodyBytes  = 2 << 20
	retryKeyLifetime  = 24 * time.Hour
	firstSentMessage  = 500000000000000001 // sent message IDs are decimal strings of 18 digits
	quoteTokenBytes   = 24
	jstOffsetSeconds  = 9 * 60 * 60
	unlimitedMessages = -1
)

// LINE's messages for push (REFERENCE.md §14), and the mock's choices (marked "choice").
const (
	msgFailedToSend        = "Failed to send messages"
	msgMonthlyLimit        = "You have reached your monthly limit."
	msgRetryKeyAccepted    = "The retry key is already accepted"
	msgInvalidRetryKey     = "The value for the 'X-Line-Retry-Key' header is invalid" // choice
	msgBodyNotJSON         = "The request body could not be parsed as JSON"           // choice
	msgBodyTooLarge        = "The request body is larger than 2 MB"                   // choice
	detailMayNotBeEmpty    = "May not be empty"
	detailMessagesSize     = "Size must be between 1 and 5"
	detailTextLength       = "Length must be between 0 and 5000"
	headerAcceptedRequest  = "X-Line-Accepted-Request-Id"
	headerRetryKey         = "X-Line-Retry-Key"
	headerRequestID        = "X-Line-Request-Id"
	quotaTypeNone          = "none"
	quotaTypeLimited       = "limited"
	propertyInvalidPattern = "The property, '%s', in the request body is invalid (line: -, column: -)"
)

func msgBodyErrors(n int) string { return fmt.Sprintf("The request body has %d error(s)", n) }

// PushedMessage is one push the mock accepted (answered 2xx, or carried out under a
// LostResponse fault), in the order they were accepted.
type PushedMessage struct {
	// To is the recipient: a user, group or room ID.
	To string `json:"to"`
	// Texts are what the chat shows of each message object, in order: a text message's
	// text; a textV2 text with its braces unescaped, "@" and the display name for each
	// mentioned user, "@All", and "(emoji)" for each LINE emoji; the alt text of a flex,
	// template or imagemap message; "(sticker)", "(image)" … for the others.
	Texts []string `json:"texts"`
	// Messages are the message objects exactly as received.
	Messages []json.RawMessage `json:"messages"`
	// Mentions are who the textV2 messages mention, in order of first use: user IDs, and
	// "all" for @All; empty without mentions.
	Mentions             []string `json:"mentions"`
	NotificationDisabled bool     `json:"notificationDisabled"`
	// RetryKey is the X-Line-Retry-Key header ("" when absent or empty).
	RetryKey string `json:"retryKey,omitempty"`
	// RequestID is the X-Line-Request-Id of the answer (a lost answer's too).
	RequestID string `json:"requestId"`
	// SentMessageIDs are the IDs answered in sentMessages, one per message object.
	SentMessageIDs []string `json:"sentMessageIds"`
	// Charged is what the push added to the month's usage: one per person in the chat (the
	// bot excluded), 1 for a user.
	Charged int64 `json:"charged"`
	// Time is when the push was accepted, by the server's Clock.
	Time time.Time `json:"time"`
}

// messaging is the world's push state.
type messaging struct {
	quota      int64 // unlimitedMessages, or the month's limit
	usage      int64
	usageMonth string // "2026-08" in JST: usage counts from 0 in a new month
	pushed     []PushedMessage
	retryKeys  map[string]acceptedPush // by lower-case key
	nextSentID uint64
}

type acceptedPush struct {
	requestID string
	sent      []sentMessage
	at        time.Time
}

type sentMessage struct {
	ID         string `json:"id"`
	QuoteToken string `json:"quoteToken,omitempty"`
}

type pushResponse struct {
	SentMessages []sentMessage `json:"sentMessages"`
}

// errorWithDetails is ErrorResponse with its optional parts.
type errorWithDetails struct {
	Message      string        `json:"message"`
	Details      []errorDetail `json:"details,omitempty"`
	SentMessages []sentMessage `json:"sentMessages,omitempty"`
}

type errorDetail struct {
	Message  string `json:"message,omitempty"`
	Property string `json:"property,omitempty"`
}

func newMessaging() messaging {
	return messaging{quota: unlimitedMessages, retryKeys: map[string]acceptedPush{}, nextSentID: firstSentMessage}
}

// usageMonthOf is the calendar month of t in Japan, where LINE counts its months (choice).
func usageMonthOf(t time.Time) string {
	return t.In(time.FixedZone("JST", jstOffsetSeconds)).Format("2006-01")
}

// rollMonth starts the usage from 0 when the clock has entered a new month. s.mu held.
func (m *messaging) rollMonth(now time.Time) {
	if month := usageMonthOf(now); month != m.usageMonth {
		m.usageMonth, m.usage = month, 0
	}
}

// pushRequest is a push body that passed every check.
type pushRequest struct {
	to                   string
	messages             []messageObject
	notificationDisabled bool
}

// parsePush checks a push body. It returns the request, or the body of the 400 to answer.
func parsePush(data []byte) (pushRequest, *errorWithDetails) {
	top, bad := decodeTop(data)
	if bad != nil {
		return pushRequest{}, bad
	}
	var req pushRequest
	if !decodeOptional(top["to"], &req.to) {
		return req, propertyInvalid("to")
	}
	msgs, bad := decodeMessages(top["messages"])
	if bad != nil {
		return req, bad
	}
	if !decodeOptional(top["notificationDisabled"], &req.notificationDisabled) {
		return req, propertyInvalid("notificationDisabled")
	}
	var units []string // accepted and ignored: the mock models no aggregation units
	if !decodeOptional(top["customAggregationUnits"], &units) {
		return req, propertyInvalid("customAggregationUnits")
	}
	// A 'to' that is present but not an ID fails on its own, like LINE's.
	if req.to != "" && !isUserID(req.to) && !isGroupID(req.to) && !isRoomID(req.to) {
		return req, propertyInvalid("to")
	}
	var details []errorDetail
	if req.to == "" {
		details = append(details, errorDetail{detailMayNotBeEmpty, "to"})
	}
	details = append(details, schemaDetails(msgs)...)
	if len(details) > 0 {
		return req, &errorWithDetails{Message: msgBodyErrors(len(details)), Details: details}
	}
	if bad := contentError(msgs); bad != nil {
		return req, bad
	}
	req.messages = msgs
	return req, nil
}

// decodeTop reads a body that must be one JSON object.
func decodeTop(data []byte) (map[string]json.RawMessage, *errorWithDetails) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil || top == nil || dec.More() {
		return nil, &errorWithDetails{Message: msgBodyNotJSON}
	}
	return top, nil
}

// decodeOptional decodes raw into dst unless it is absent or null. It reports false when
// raw has the wrong JSON type.
func decodeOptional(raw json.RawMessage, dst any) bool {
	if raw == nil || string(raw) == "null" {
		return true
	}
	return json.Unmarshal(raw, dst) == nil
}

// utf16Len counts as LINE counts text: in UTF-16 code units, so a character outside the
// Basic Multilingual Plane (most emoji) counts 2, and "\r\n" counts 2.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1) // -1 only for runes a Go string never yields
	}
	return n
}

// retryKeyOf returns the push's retry key, lower-cased (UUIDs are case-insensitive), or ""
// when the header is absent or empty: the Go SDK always sends it, empty when no key is
// given. ok is false for a malformed key.
func retryKeyOf(r *http.Request) (key string, ok bool) {
	key = strings.TrimSpace(r.Header.Get(headerRetryKey))
	if key == "" {
		return "", true
	}
	return strings.ToLower(key), isHexUUID(key)
}

// isHexUUID reports whether s is a UUID in its 8-4-4-4-12 hexadecimal form.
func isHexUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

// pushMessage serves POST /v2/bot/message/push. Order, after auth and the rate limit:
// malformed retry key → retry key already accepted (409) → unparseable body or a property
// of the wrong type → 'to' not an ID → schema errors together → a content problem in one
// message → recipient not reachable → a mention the chat cannot take → monthly limit → sent.
func (s *Server) pushMessage(w http.ResponseWriter, r *http.Request) {
	key, ok := retryKeyOf(r)
	if !ok {
		writeError(w, http.StatusBadRequest, msgInvalidRetryKey)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPushBodyBytes))
	if tooLarge(w, err) {
		return
	}
	var req pushRequest
	var bad *errorWithDetails
	if err != nil {
		bad = &errorWithDetails{Message: msgBodyNotJSON}
	} else {
		req, bad = parsePush(data)
	}
	requestID := w.Header().Get(headerRequestID)
	now := s.clock.Now()

	s.mu.Lock()
	defer s.mu.Unlock()
	m := &s.world.msg
	if key != "" {
		if prev, found := m.retryKeys[key]; found {
			if now.Before(prev.at.Add(retryKeyLifetime)) {
				w.Header().Set(headerAcceptedRequest, prev.requestID)
				writeJSON(w, http.StatusConflict, errorWithDetails{Message: msgRetryKeyAccepted, SentMessages: slices.Clone(prev.sent)})
				return
			}
			delete(m.retryKeys, key)
		}
	}
	if bad != nil {
		writeJSON(w, http.StatusBadRequest, bad)
		return
	}
	charge, reachable := s.world.recipients(req.to)
	if !reachable || !mentionsReachable(req.messages, s.world.chats[req.to]) {
		writeError(w, http.StatusBadRequest, msgFailedToSend)
		return
	}
	m.rollMonth(now)
	if m.quota != unlimitedMessages && m.usage+charge > m.quota {
		writeError(w, http.StatusTooManyRequests, msgMonthlyLimit)
		return
	}
	m.usage += charge
	n := len(req.messages)
	sent, ids := make([]sentMessage, n), make([]string, n)
	texts, objects, mentions := make([]string, n), make([]json.RawMessage, n), []string{}
	for i := range req.messages {
		msg := &req.messages[i]
		ids[i] = strconv.FormatUint(m.nextSentID, 10)
		m.nextSentID++
		sent[i] = sentMessage{ID: ids[i]}
		if slices.Contains(quotableTypes, msg.typ) {
			sent[i].QuoteToken = newQuoteToken()
		}
		texts[i], objects[i] = msg.shown, slices.Clone(msg.raw)
		if msg.typ == "textV2" {
			texts[i] = msg.render(s.world.users)
			for _, who := range msg.mentionees() {
				if !slices.Contains(mentions, who) {
					mentions = append(mentions, who)
				}
			}
		}
	}
	m.pushed = append(m.pushed, PushedMessage{
		To:                   req.to,
		Texts:                texts,
		Messages:             objects,
		Mentions:             mentions,
		NotificationDisabled: req.notificationDisabled,
		RetryKey:             key,
		RequestID:            requestID,
		SentMessageIDs:       ids,
		Charged:              charge,
		Time:                 now,
	})
	if key != "" {
		m.forgetExpiredKeys(now)
		m.retryKeys[key] = acceptedPush{requestID: requestID, sent: sent, at: now}
	}
	writeJSON(w, http.StatusOK, pushResponse{SentMessages: sent})
}

// validatePush serves POST /v2/bot/message/validate/push (REFERENCE.md §15.3): the message
// objects are checked as push checks them, and nothing is sent, charged or recorded as
// pushed. There is no recipient, so nothing that depends on one is checked: not the chat,
// not the mentions' membership, not the quota. Properties other than "messages" are
// ignored (choice). X-Line-Retry-Key was refused before (serveEndpoint), with the other
// endpoints that do not take it.
func (s *Server) validatePush(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPushBodyBytes))
	if tooLarge(w, err) {
		return
	}
	bad := &errorWithDetails{Message: msgBodyNotJSON}
	if err == nil {
		bad = parseValidate(data)
	}
	if bad != nil {
		writeJSON(w, http.StatusBadRequest, bad)
		return
	}
	writeJSON(w, http.StatusOK, emptyObject{})
}

// parseValidate checks a validate body, returning the 400 to answer or nil. A body that is
// JSON null (what the Go SDK sends for a nil request) counts as no messages (choice).
func parseValidate(data []byte) *errorWithDetails {
	var top map[string]json.RawMessage
	if string(bytes.TrimSpace(data)) != "null" {
		var bad *errorWithDetails
		if top, bad = decodeTop(data); bad != nil {
			return bad
		}
	}
	msgs, bad := decodeMessages(top["messages"])
	if bad != nil {
		return bad
	}
	if details := schemaDetails(msgs); len(details) > 0 {
		return &errorWithDetails{Message: msgBodyErrors(len(details)), Details: details}
	}
	return contentError(msgs)
}

// forgetExpiredKeys drops retry keys older than 24 hours, so the map cannot grow without
// bound over a long run.
func (m *messaging) forgetExpiredKeys(now time.Time) {
	for k, a := range m.retryKeys {
		if !now.Before(a.at.Add(retryKeyLifetime)) {
			delete(m.retryKeys, k)
		}
	}
}

// recipients returns how many people a push to id reaches (what it adds to the usage),
// and whether it can be sent at all: a known user other than the bot (1), or a group or
// room the bot is in (its member count, the bot excluded).
func (w *world) recipients(id string) (int64, bool) {
	if isUserID(id) {
		return 1, w.knownUser(id) && id != w.bot.UserID
	}
	c := w.joinedChat(id)
	if c == nil {
		return 0, false
	}
	return int64(len(c.members)), true
}

func newQuoteToken() string {
	b := make([]byte, quoteTokenBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

type quotaResponse struct {
	Type  string `json:"type"`
	Value *int64 `json:"value,omitempty"`
}

type consumptionResponse struct {
	TotalUsage int64 `json:"totalUsage"`
}

// messageQuota serves GET /v2/bot/message/quota: "none", or "limited" with the value.
func (s *Server) messageQuota(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	q := s.world.msg.quota
	s.mu.RUnlock()
	if q == unlimitedMessages {
		writeJSON(w, http.StatusOK, quotaResponse{Type: quotaTypeNone})
		return
	}
	writeJSON(w, http.StatusOK, quotaResponse{Type: quotaTypeLimited, Value: &q})
}

// messageQuotaConsumption serves GET /v2/bot/message/quota/consumption.
func (s *Server) messageQuotaConsumption(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, consumptionResponse{TotalUsage: s.MessageUsage()})
}

// tooLarge answers 413 when reading the body stopped at LINE's 2 MB (line-api.md §12.1), and
// says whether it did.
func tooLarge(w http.ResponseWriter, err error) bool {
	var big *http.MaxBytesError
	if !errors.As(err, &big) {
		return false
	}
	writeError(w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
	return true
}
