package linemock

import (
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Request is one recorded request to a LINE endpoint, the token endpoint, or an unknown
// path (/_mock/ controls are not recorded).
type Request struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Endpoint is the method plus path template, e.g. "GET /v2/bot/group/{groupId}/summary"
	// (see the Endpoint… constants); "" for an unknown path or a wrong method.
	Endpoint string      `json:"endpoint"`
	Query    url.Values  `json:"query,omitempty"`
	Header   http.Header `json:"header"`
	// Status is the status answered; 0 when the client gave up before any answer.
	Status int `json:"status"`
	// Lost is true when a LostResponse fault carried the request out and then answered
	// 500 (Status) instead of the real answer.
	Lost bool `json:"lost,omitempty"`
	// Attempt is the request's attempt number at its path under the fault in force when it
	// arrived, from 1 (see Fault.First); 0 when no fault was set for its endpoint.
	Attempt int `json:"attempt,omitempty"`
	// Time is when the request arrived, by the server's Clock.
	Time time.Time `json:"time"`
}

// maxRecorded bounds the request log, so a benchmark or a long demo cannot exhaust memory.
// Counts stay exact past it; Requests returns the most recent maxRecorded.
const maxRecorded = 10000

type recorder struct {
	mu     sync.Mutex
	log    []Request
	counts map[string]int
	total  int
}

// add records r; req gives what r does not say (Endpoint, Status, Lost, Attempt, Time).
func (rc *recorder) add(r *http.Request, req Request) {
	req.Method = r.Method
	req.Path = r.URL.Path
	req.Query = r.URL.Query()
	req.Header = r.Header.Clone()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.counts == nil {
		rc.counts = map[string]int{}
	}
	rc.counts[req.Endpoint]++
	rc.total++
	rc.log = append(rc.log, req)
	if len(rc.log) >= 2*maxRecorded { // trim in bulk: amortised O(1) per request
		rc.log = slices.Clone(rc.log[len(rc.log)-maxRecorded:])
	}
}

// Requests returns the recorded requests, oldest first (at most the last 10,000).
func (s *Server) Requests() []Request {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	log := s.rec.log
	if len(log) > maxRecorded {
		log = log[len(log)-maxRecorded:]
	}
	out := make([]Request, len(log))
	for i, r := range log {
		r.Query = cloneValues(r.Query)
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// ResetRequests forgets all recorded requests and counts.
func (s *Server) ResetRequests() {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.rec.log = nil
	s.rec.counts = nil
	s.rec.total = 0
}

// CountRequests returns how many requests reached endpoint (an Endpoint… constant) since
// the last ResetRequests; "" counts all requests, unknown paths included. Counts are exact
// even past the log's bound.
func (s *Server) CountRequests(endpoint string) int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	if endpoint == "" {
		return s.rec.total
	}
	return s.rec.counts[endpoint]
}

// requestCounts returns the per-endpoint counts ("" for unknown paths).
func (s *Server) requestCounts() map[string]int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	out := make(map[string]int, len(s.rec.counts))
	for k, v := range s.rec.counts {
		out[k] = v
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
