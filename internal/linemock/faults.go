package linemock

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// Fault is trouble injected into an endpoint, before any other check (except
// LostResponse, which acts after the request has been carried out).
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
}

// SetFault sets the fault of one endpoint (an Endpoint… constant) or, with "*"
// (AllEndpoints), of every endpoint. An endpoint's own fault replaces the "*" one rather
// than adding to it. Rates are clamped to [0, 1]. The zero Fault clears the entry. Faults
// apply to the LINE endpoints and the token endpoint, not to unknown paths or controls.
func (s *Server) SetFault(endpoint string, f Fault) {
	f.Rate429 = clamp01(f.Rate429)
	f.Rate500 = clamp01(f.Rate500)
	f.LostResponse = clamp01(f.LostResponse)
	f.Latency = max(f.Latency, 0)
	f.RedirectTo = strings.TrimSuffix(f.RedirectTo, "/")
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	if f == (Fault{}) {
		delete(s.faults, endpoint)
		return
	}
	s.faults[endpoint] = f
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	clear(s.faults)
}

func (s *Server) faultsSnapshot() map[string]Fault {
	s.faultsMu.RLock()
	defer s.faultsMu.RUnlock()
	out := make(map[string]Fault, len(s.faults))
	for k, v := range s.faults {
		out[k] = v
	}
	return out
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also catches NaN
		return 0
	}
	return min(x, 1)
}

// faultFor returns the fault that applies to endpoint: its own, else the "*" one.
func (s *Server) faultFor(endpoint string) Fault {
	s.faultsMu.RLock()
	defer s.faultsMu.RUnlock()
	if f, ok := s.faults[endpoint]; ok {
		return f
	}
	return s.faults[AllEndpoints]
}

// draw returns the next number in [0, 1) from the seeded source.
func (s *Server) draw() float64 {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return s.rng.Float64()
}

// injectFault applies the fault's latency, hang, redirect, 429 and 500. It returns false
// when it has answered (or the client has gone) and the request must stop here.
func (s *Server) injectFault(f Fault, w http.ResponseWriter, r *http.Request) bool {
	if f == (Fault{}) {
		return true
	}
	if !s.sleep(r.Context(), f.Latency) {
		return false
	}
	if f.Hang {
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
	if f.RedirectTo != "" {
		w.Header().Set("Location", f.RedirectTo+r.URL.RequestURI())
		writeError(w, http.StatusTemporaryRedirect, msgRedirect)
		return false
	}
	if f.Rate429 == 0 && f.Rate500 == 0 {
		return true
	}
	switch u := s.draw(); {
	case u < f.Rate429:
		writeFault429(w, f)
		return false
	case u < f.Rate429+f.Rate500:
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
