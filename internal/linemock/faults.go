package linemock

import (
	"net/http"
	"time"
)

// Fault is trouble injected into an endpoint, before any other check.
type Fault struct {
	// Latency is added to each request (on top of WithLatency).
	Latency time.Duration
	// Rate429 and Rate500 are the probabilities (0 to 1) of answering 429, exactly as LINE's
	// rate limit does, or 500 {"message":"Internal server error"}. One draw decides both:
	// 429 below Rate429, else 500 below Rate429+Rate500.
	Rate429, Rate500 float64
	// Hang blocks the request until the client gives up or the Server is closed.
	Hang bool
}

// SetFault sets the fault of one endpoint (an Endpoint… constant) or, with "*"
// (AllEndpoints), of every endpoint. An endpoint's own fault replaces the "*" one rather
// than adding to it. Rates are clamped to [0, 1]. The zero Fault clears the entry. Faults
// apply to the ten LINE endpoints and the token endpoint, not to unknown paths or controls.
func (s *Server) SetFault(endpoint string, f Fault) {
	f.Rate429 = clamp01(f.Rate429)
	f.Rate500 = clamp01(f.Rate500)
	f.Latency = max(f.Latency, 0)
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

// injectFault applies the endpoint's fault. It returns false when it has answered (or the
// client has gone) and the request must stop here.
func (s *Server) injectFault(endpoint string, w http.ResponseWriter, r *http.Request) bool {
	s.faultsMu.RLock()
	f, ok := s.faults[endpoint]
	if !ok {
		f = s.faults[AllEndpoints]
	}
	s.faultsMu.RUnlock()
	if f == (Fault{}) {
		return true
	}
	if !s.sleep(r.Context(), f.Latency) {
		return false
	}
	if f.Hang {
		select {
		case <-r.Context().Done():
			return false
		case <-s.closed:
			writeError(w, http.StatusInternalServerError, msgInternal)
			return false
		}
	}
	if f.Rate429 == 0 && f.Rate500 == 0 {
		return true
	}
	s.rngMu.Lock()
	u := s.rng.Float64()
	s.rngMu.Unlock()
	switch {
	case u < f.Rate429:
		writeError(w, http.StatusTooManyRequests, msgRateLimited)
		return false
	case u < f.Rate429+f.Rate500:
		writeError(w, http.StatusInternalServerError, msgInternal)
		return false
	}
	return true
}
