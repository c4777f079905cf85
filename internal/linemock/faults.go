package linemock

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"io"
	"net/http"
	"strings"
	"time"
)

// Fault is trouble injected into an endpoint, before any other check (except
// LostResponse, which acts after the request has been carried out).
//
// Every decision is a pure function of the server's seed and the request: its attempt
// number at its path (see First) and a hash of the seed, the method, the path and that
// number. So a seed replays the same faults for the same requests in any order of
// arrival, as under Terraform's parallelism (see Seed).
type Fault struct {
	// Latency is added to each request (on top of WithLatency).
	Latency time.Duration
	// Rate429 and Rate500 are the probabilities (0 to 1) of answering 429, exactly as LINE's
	// rate limit does, or 500 {"message":"Internal server error"}. One draw decides both:
	// 429 below Rate429, else 500 below Rate429+Rate500. Nothing is carried out.
	Rate429, Rate500 float64
	// LostResponse is the probability (0 to 1; 1 = always) that a request which got past
	// Rate429 and Rate500 is carried out in full (the bot really leaves, the push is
	// really sent) and then answered 500 {"message":"Internal server error"} instead of
	// its real answer. Its own draw, after the Rate429/Rate500 one. The recorded Request
	// has Status 500 and Lost true.
	LostResponse float64
	// RedirectTo, when set, answers every request 307 Temporary Redirect with Location:
	// RedirectTo followed by the request's path and query, and does nothing else. LINE
	// never redirects; this checks that a client does not follow (and so never sends its
	// token or its channel secret to another host). RedirectTo is a base URL such as
	// "http://127.0.0.1:9999" (a trailing "/" is dropped).
	RedirectTo string
	// Hang blocks the request until the client gives up or the Server is closed.
	Hang bool
	// RetryAfter, when set, is sent as the Retry-After header of the 429s Rate429 injects, as
	// given: a number of seconds ("35"), an HTTP date, or anything else, to see what a client
	// makes of it. LINE sends no Retry-After; a proxy in front of it may.
	RetryAfter string
	// Body429, when set, replaces the body of the 429s Rate429 injects (LINE's JSON rate-limit
	// answer by default), sent with the Content-Type ContentType429, or none when that is "":
	// a proxy's or a gateway's 429, such as an HTML page with "text/html".
	Body429, ContentType429 string

	// First and Every choose the attempts the fault applies to; the others pass as if no
	// fault were set. Attempts are counted at each path (the method and the URL path, and
	// for a push the chat in the body's "to"), from 1, from the SetFault that set the fault:
	// the third request for GET /v2/bot/group/C1/summary since SetFault is its attempt 3,
	// whatever other paths were asked in between. First > 0 limits the fault to attempts
	// 1..First; Every > 0 to attempts Every, 2×Every, 3×Every, …; both: the attempts that
	// pass both. 0 (or less) means every attempt.
	//
	// With rates of 1 they make faults certain, whatever the seed and the order of
	// arrival: Fault{Rate429: 1, First: 2} answers 429 to the first two attempts at every
	// path and then lets requests through; Fault{LostResponse: 1, Every: 2} loses every
	// other answer; Fault{Hang: true, First: 1} hangs each path's first attempt only. With
	// rates below 1 they bound the random faults: Fault{LostResponse: 0.5, First: 20} loses
	// at random, but never an answer after a path's 20th attempt.
	First, Every int
}

// applies reports whether the fault acts on a path's attempt n (counted from 1).
func (f Fault) applies(n int) bool {
	return (f.First <= 0 || n <= f.First) && (f.Every <= 0 || n%f.Every == 0)
}

// faultEntry is a fault as set, with the attempts counted at each path since SetFault.
type faultEntry struct {
	fault    Fault
	attempts map[string]int
}

// SetFault sets the fault of one endpoint (an Endpoint… constant) or, with "*"
// (AllEndpoints), of every endpoint. An endpoint's own fault replaces the "*" one rather
// than adding to it. Rates are clamped to [0, 1], First and Every to 0 or more. The zero
// Fault clears the entry. Faults apply to the LINE endpoints and the token endpoint, not to
// unknown paths or controls. Setting a fault starts its attempt counts from zero (see
// Fault.First), even when it is the fault already set.
func (s *Server) SetFault(endpoint string, f Fault) {
	f.Rate429 = clamp01(f.Rate429)
	f.Rate500 = clamp01(f.Rate500)
	f.LostResponse = clamp01(f.LostResponse)
	f.Latency = max(f.Latency, 0)
	f.First = max(f.First, 0)
	f.Every = max(f.Every, 0)
	f.RedirectTo = strings.TrimSuffix(f.RedirectTo, "/")
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	if f == (Fault{}) {
		delete(s.faults, endpoint)
		return
	}
	s.faults[endpoint] = &faultEntry{fault: f, attempts: map[string]int{}}
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	clear(s.faults)
}

func (s *Server) faultsSnapshot() map[string]Fault {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	out := make(map[string]Fault, len(s.faults))
	for k, e := range s.faults {
		out[k] = e.fault
	}
	return out
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also catches NaN
		return 0
	}
	return min(x, 1)
}

// entryFor returns the fault entry that applies to endpoint: its own, else the "*" one,
// else nil. The caller holds faultsMu.
func (s *Server) entryFor(endpoint string) *faultEntry {
	if e, ok := s.faults[endpoint]; ok {
		return e
	}
	return s.faults[AllEndpoints]
}

// faultPlan is what the fault in force does to one request.
type faultPlan struct {
	// Fault is the fault in force, or the zero Fault when none is set or its First and
	// Every leave this attempt out.
	Fault
	// attempt is the request's attempt at its path under the fault in force (from 1); 0
	// when no fault is set for its endpoint.
	attempt int
	// status is 429 or 500 when the request is to be answered so without being carried
	// out, else 0.
	status int
	// lost is true when the request is to be carried out and then answered 500.
	lost bool
}

// Streams of the fault hash, one per decision, so that the two draws of one attempt are
// independent.
const (
	drawStatus uint64 = 1
	drawLost   uint64 = 2
)

// planFault counts the request's attempt at its path and decides what the fault in force
// does to it.
func (s *Server) planFault(ep *endpoint, r *http.Request) faultPlan {
	s.faultsMu.Lock()
	set := s.entryFor(ep.name) != nil
	s.faultsMu.Unlock()
	if !set {
		return faultPlan{}
	}
	key := attemptKey(ep, r) // may read a push's body: outside the lock
	s.faultsMu.Lock()
	e := s.entryFor(ep.name)
	if e == nil { // cleared meanwhile
		s.faultsMu.Unlock()
		return faultPlan{}
	}
	e.attempts[key]++
	n, f := e.attempts[key], e.fault
	s.faultsMu.Unlock()

	p := faultPlan{attempt: n}
	if !f.applies(n) {
		return p
	}
	p.Fault = f
	// Draws are in [0, 1): a rate of 0 never applies, a rate of 1 always does.
	switch u := s.unit(key, n, drawStatus); {
	case u < f.Rate429:
		p.status = http.StatusTooManyRequests
	case u < f.Rate429+f.Rate500:
		p.status = http.StatusInternalServerError
	}
	p.lost = p.status == 0 && s.unit(key, n, drawLost) < f.LostResponse
	return p
}

// attemptKey names the path whose attempts a request counts toward: the method and the
// URL path (the query is left out: a continuation token differs from one Server to the
// next); for a push, the chat it is sent to, read from the body, so that pushes to several
// chats at once count apart; for a validation, a hash of its body, so that the plans of
// several actions, checked at once, count apart (a retry sends the same body, and counts on).
// The body is read here and put back for the handler.
func attemptKey(ep *endpoint, r *http.Request) string {
	key := r.Method + " " + r.URL.Path
	if (ep.name != EndpointPushMessage && ep.name != EndpointValidatePush) || r.Body == nil {
		return key
	}
	// At most what the handler accepts; the rest, if any, stays for the handler to refuse.
	data, _ := io.ReadAll(io.LimitReader(r.Body, maxPushBodyBytes))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
	if ep.name == EndpointValidatePush {
		sum := sha256.Sum256(data)
		return key + " body " + hex.EncodeToString(sum[:8])
	}
	var body struct {
		To string `json:"to"`
	}
	_ = json.Unmarshal(data, &body) // a body that is not JSON counts as no chat: the handler refuses it
	return key + " to " + body.To
}

type readCloser struct {
	io.Reader
	io.Closer
}

// unit returns a number in [0, 1) decided by the seed, the attempt's key and number, and
// the stream: the same for the same request under the same seed, however requests
// interleave.
func (s *Server) unit(key string, attempt int, stream uint64) float64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key)) // a hash.Hash never fails to write
	x := mix64(mix64(mix64(uint64(s.seed))^h.Sum64()) ^ (uint64(attempt)<<2 | stream))
	return float64(x>>11) / (1 << 53)
}

// mix64 is SplitMix64's step: a bijection on 64 bits whose output bits each depend on all
// of the input's.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// injectFault applies the plan's latency, hang, redirect, 429 and 500. It returns false
// when it has answered (or the client has gone) and the request must stop here.
func (s *Server) injectFault(p faultPlan, w http.ResponseWriter, r *http.Request) bool {
	if p.Fault == (Fault{}) {
		return true
	}
	if !s.sleep(r.Context(), p.Latency) {
		return false
	}
	if p.Hang {
		// Reading the body to its end lets net/http watch the connection, so that the
		// request's context ends when the client gives up (a POST's unread body would hide
		// that, and the handler would hang until Close). A hang never runs the handler.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxFormBytes))
		select {
		case <-r.Context().Done():
			return false
		case <-s.closed:
			writeError(w, http.StatusInternalServerError, msgInternal)
			return false
		}
	}
	if p.RedirectTo != "" {
		w.Header().Set("Location", p.RedirectTo+r.URL.RequestURI())
		writeError(w, http.StatusTemporaryRedirect, msgRedirect)
		return false
	}
	switch p.status {
	case http.StatusTooManyRequests:
		writeFault429(w, p.Fault)
		return false
	case http.StatusInternalServerError:
		writeError(w, http.StatusInternalServerError, msgInternal)
		return false
	}
	return true
}

// writeFault429 answers an injected 429: LINE's rate-limit answer, or the fault's own body,
// with its Retry-After if it has one.
func writeFault429(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body429 == "" {
		writeError(w, http.StatusTooManyRequests, msgRateLimited)
		return
	}
	if f.ContentType429 != "" {
		w.Header().Set("Content-Type", f.ContentType429)
	} else {
		w.Header()["Content-Type"] = nil // and no sniffed one either
	}
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = io.WriteString(w, f.Body429)
}
