package linemock

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// Issued access tokens and member-ID continuation tokens are self-contained: the payload
// (issue time, and for continuation tokens the chat and offset) travels inside the token,
// signed with a per-server key. Nothing is stored, so no amount of traffic grows memory, and
// a forged, truncated or foreign token fails the signature check like an unknown one.

const (
	statelessTokenLifetime = 15 * time.Minute // REFERENCE.md §9
	pageTokenLifetime      = 24 * time.Hour   // REFERENCE.md §6
	macSize                = 16
)

// Domain bytes keep one kind of token from being accepted as the other.
const (
	domainAccessToken = 'A'
	domainPageToken   = 'P'
)

// Strict: a token has exactly one spelling, so no altered token decodes to a valid one.
var tokenEncoding = base64.RawURLEncoding.Strict()

func (s *Server) sign(domain byte, payload []byte) []byte {
	m := hmac.New(sha256.New, s.macKey)
	m.Write([]byte{domain})
	m.Write(payload)
	return m.Sum(nil)[:macSize]
}

func (s *Server) seal(domain byte, payload []byte) string {
	return tokenEncoding.EncodeToString(append(payload, s.sign(domain, payload)...))
}

// open returns the payload of a token sealed with domain, or false.
func (s *Server) open(domain byte, token string, payloadLen int) ([]byte, bool) {
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(raw) != payloadLen+macSize {
		return nil, false
	}
	payload, mac := raw[:payloadLen], raw[payloadLen:]
	return payload, hmac.Equal(mac, s.sign(domain, payload))
}

// Access token payload: 16 random bytes, the issue time in Unix nanoseconds, then the token's
// serial number (1 for the server's first), which ExpireIssuedTokens and RevokeIssuedToken go by.
const accessPayloadLen = 16 + 8 + 8

func (s *Server) newAccessToken(now time.Time) string {
	payload := make([]byte, accessPayloadLen)
	_, _ = rand.Read(payload[:16])
	binary.BigEndian.PutUint64(payload[16:], uint64(now.UnixNano()))
	binary.BigEndian.PutUint64(payload[24:], s.tokenSerial.Add(1))
	return s.seal(domainAccessToken, payload)
}

// issuedTokenValid reports whether token is one the token endpoint issued less than 15
// minutes ago by the mock's clock, and that the controls have not expired or revoked.
func (s *Server) issuedTokenValid(token string, now time.Time) bool {
	payload, ok := s.open(domainAccessToken, token, accessPayloadLen)
	if !ok {
		return false
	}
	issued := time.Unix(0, int64(binary.BigEndian.Uint64(payload[16:])))
	serial := binary.BigEndian.Uint64(payload[24:])
	if serial <= s.expiredThrough.Load() {
		return false
	}
	s.revokedMu.RLock()
	_, revoked := s.revoked[serial]
	s.revokedMu.RUnlock()
	return !revoked && now.Before(issued.Add(statelessTokenLifetime))
}

// ExpireIssuedTokens makes every stateless token issued so far stop working at once, as if
// LINE's clock had passed their expiry early (clock skew between a client and LINE): the
// Messaging API answers 401 "Authentication failed" to them. Tokens issued afterwards work
// as usual. It returns how many tokens the server has issued.
func (s *Server) ExpireIssuedTokens() int {
	issued := s.tokenSerial.Load()
	for {
		through := s.expiredThrough.Load()
		if through >= issued || s.expiredThrough.CompareAndSwap(through, issued) {
			return int(issued)
		}
	}
}

// RevokeIssuedToken makes one stateless token issued by this server stop working: the
// Messaging API answers 401 "Authentication failed" to it. LINE offers no way to revoke a
// stateless token; this stands for a token LINE stops accepting for a reason of its own. A
// token this server did not issue is an error (400); revoking one twice is not.
func (s *Server) RevokeIssuedToken(token string) error {
	payload, ok := s.open(domainAccessToken, token, accessPayloadLen)
	if !ok {
		return invalidf("not a stateless token issued by this server")
	}
	s.revokedMu.Lock()
	defer s.revokedMu.Unlock()
	if s.revoked == nil {
		s.revoked = map[uint64]struct{}{}
	}
	s.revoked[binary.BigEndian.Uint64(payload[24:])] = struct{}{}
	return nil
}

// Continuation token payload: the chat ID (33 bytes), the offset of the next page, the
// issue time in Unix nanoseconds.
const pagePayloadLen = 33 + 4 + 8

func (s *Server) newPageToken(chatID string, offset int, now time.Time) string {
	payload := make([]byte, pagePayloadLen)
	copy(payload, chatID)
	binary.BigEndian.PutUint32(payload[33:], uint32(offset))
	binary.BigEndian.PutUint64(payload[37:], uint64(now.UnixNano()))
	return s.seal(domainPageToken, payload)
}

// pageOffset returns the offset a continuation token points at, if the token was issued by
// this server for this chat less than 24 hours ago by the mock's clock.
func (s *Server) pageOffset(token, chatID string, now time.Time) (int, bool) {
	payload, ok := s.open(domainPageToken, token, pagePayloadLen)
	if !ok || string(payload[:33]) != chatID {
		return 0, false
	}
	issued := time.Unix(0, int64(binary.BigEndian.Uint64(payload[37:])))
	if !now.Before(issued.Add(pageTokenLifetime)) {
		return 0, false
	}
	return int(binary.BigEndian.Uint32(payload[33:])), true
}
