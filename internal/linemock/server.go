package linemock

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"
)

// DefaultRateLimit is LINE's limit for every endpoint the mock serves: 2,000 requests per
// second per endpoint (REFERENCE.md §5).
const DefaultRateLimit = 2000

// Server is the mock LINE API. It is an http.Handler; start it with httptest.NewServer or
// any http.Server. All methods are safe for concurrent use.
type Server struct {
	clock   Clock
	seed    int64
	latency time.Duration

	lineMux    *http.ServeMux
	controlMux *http.ServeMux
	// rateLimit is the per-endpoint limit in requests per second (0 = off); limiters holds
	// one token bucket per endpoint name, or nil when rate limiting is off. Both are
	// swapped whole by SetRateLimit, so the request path takes no lock to find its bucket.
	rateLimit  atomic.Int64
	limiters   atomic.Pointer[map[string]*rate.Limiter]
	limitersMu sync.Mutex // held by the writers of limiters

	// Fixed at New: the fixture's long-lived tokens and channel credentials.
	accessTokens map[string]struct{}
	channels     map[string]string // channel ID → secret
	tokenList    []string
	channelList  []Channel
	// keys are the registered assertion signing keys by kid; keysMu guards them and the
	// keys in channelList, which RegisterChannelKey changes while running.
	keysMu sync.RWMutex
	keys   map[string]channelKey
	// macKey signs issued access tokens and member-ID continuation tokens, so neither
	// needs to be stored (see tokens.go).
	macKey []byte
	// tokenSerial numbers the issued access tokens; those numbered up to expiredThrough, and
	// those in revoked, no longer work (ExpireIssuedTokens, RevokeIssuedToken).
	tokenSerial    atomic.Uint64
	expiredThrough atomic.Uint64
	revokedMu      sync.RWMutex
	revoked        map[uint64]struct{}

	mu    sync.RWMutex // guards the world below
	world world

	// faultsMu guards faults and their attempt counts, which every faulted request changes.
	faultsMu sync.Mutex
	faults   map[string]*faultEntry

	rec recorder

	closeOnce sync.Once
	closed    chan struct{}
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock that decides token and continuation-token expiry and stamps
// recorded requests. The default is the system clock.
func WithClock(c Clock) Option {
	return func(s *Server) {
		if c != nil {
			s.clock = c
		}
	}
}

// WithRateLimit sets LINE's per-endpoint limit in requests per second (default 2000). The
// bucket holds one second's worth and refills gradually, in real time. 0 (or less) turns
// rate limiting off.
func WithRateLimit(perSecond int) Option {
	return func(s *Server) { s.rateLimit.Store(int64(perSecond)) }
}

// WithSeed seeds the randomness of fault injection, to replay a run whose Seed is known.
// Without it every Server draws a fresh random seed, so that tests under faults cannot
// pass only because one lucky draw was fixed. Test helpers take the seed from the
// LINEMOCK_SEED environment variable (see SeedFromEnv).
func WithSeed(seed int64) Option {
	return func(s *Server) { s.seed = seed }
}

// SeedEnv is the environment variable that replays a test run's faults: the test helpers
// of this module (linemocktest.Start, and the helpers of internal/linemock's own tests)
// give every mock they start the seed it holds, so that
//
//	LINEMOCK_SEED=1234 go test -run '^TestAccReliability_faultStorm$' ./internal/provider/
//
// replays the faults of the run that logged "linemock seed 1234".
const SeedEnv = "LINEMOCK_SEED"

// SeedFromEnv returns the seed that LINEMOCK_SEED holds: ok is false when it is unset or
// empty, and err says what is wrong when it is not a whole number.
func SeedFromEnv() (seed int64, ok bool, err error) {
	v := strings.TrimSpace(os.Getenv(SeedEnv))
	if v == "" {
		return 0, false, nil
	}
	seed, err = strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s=%q: want a whole number, the seed a test logged", SeedEnv, v)
	}
	return seed, true, nil
}

// WithLatency adds d to every LINE request (the token endpoint included, /_mock/ controls
// not), before anything else is checked.
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = d }
}

// New returns a Server serving the world f describes. f is validated as ParseFixture
// validates it, then copied: later changes to f do not reach the server.
func New(f *Fixture, opts ...Option) (*Server, error) {
	if f == nil {
		return nil, errors.New("fixture: nil")
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	f = f.clone()
	s := &Server{
		clock:        systemClock{},
		seed:         randomSeed(),
		accessTokens: make(map[string]struct{}, len(f.AccessTokens)),
		channels:     make(map[string]string, len(f.Channels)),
		tokenList:    f.AccessTokens,
		channelList:  f.Channels,
		macKey:       make([]byte, 32),
		faults:       map[string]*faultEntry{},
		closed:       make(chan struct{}),
	}
	_, _ = rand.Read(s.macKey) // crypto/rand.Read never fails (Go 1.24+)
	s.rateLimit.Store(DefaultRateLimit)
	for _, opt := range opts {
		opt(s)
	}
	for _, t := range f.AccessTokens {
		s.accessTokens[t] = struct{}{}
	}
	for _, c := range f.Channels {
		s.channels[c.ID] = c.Secret
	}
	s.initChannelKeys()
	s.world = newWorld(f)
	s.SetRateLimit(int(s.rateLimit.Load()))
	s.lineMux = http.NewServeMux()
	for i := range endpoints {
		ep := &endpoints[i]
		// Registered without a method so that a wrong method reaches us and gets LINE's
		// JSON error shape instead of ServeMux's plain-text 405.
		s.lineMux.HandleFunc(ep.path, func(w http.ResponseWriter, r *http.Request) {
			if r.Method != ep.method {
				w.Header().Set("Allow", ep.method)
				s.serveUnrouted(w, r, http.StatusMethodNotAllowed, msgMethodNotAllowed)
				return
			}
			s.serveEndpoint(ep, w, r)
		})
	}
	s.lineMux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.serveUnrouted(w, r, http.StatusNotFound, msgNotFound)
	})
	s.controlMux = s.newControlMux()
	return s, nil
}

// randomSeed returns a fresh seed below 2^53, so that it survives a trip through JSON
// (GET /_mock/faults) and any JSON reader, and can be passed back to -seed or WithSeed.
func randomSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	var n uint64
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	return int64(n >> 11)
}

// Seed returns the seed of fault injection: the one given to WithSeed, or the fresh one
// drawn by New. Log it when a test under faults fails: WithSeed(Seed()) replays the same
// faults for the same requests, in any order of arrival, since each fault is decided by
// the seed and the request itself (its path and its attempt number there; see Fault).
func (s *Server) Seed() int64 { return s.seed }

// SetRateLimit sets LINE's per-endpoint limit to perSecond requests per second, at once
// for every later request; 0 (or less) turns rate limiting off. Every endpoint gets a
// fresh, full bucket holding one second's worth, refilled continuously by the wall clock.
// The tokens stay per endpoint name (as LINE's are per endpoint, all IDs sharing one).
func (s *Server) SetRateLimit(perSecond int) {
	s.limitersMu.Lock()
	defer s.limitersMu.Unlock()
	perSecond = max(perSecond, 0)
	var lims map[string]*rate.Limiter
	if perSecond > 0 {
		lims = make(map[string]*rate.Limiter, len(endpoints))
		for _, ep := range endpoints {
			lims[ep.name] = rate.NewLimiter(rate.Limit(perSecond), perSecond)
		}
	}
	s.rateLimit.Store(int64(perSecond))
	s.limiters.Store(&lims)
}

// SetEndpointRateLimit sets one endpoint's limit (an Endpoint… name) to perSecond requests
// per second, with a fresh, full bucket holding one second's worth; 0 (or less) lifts that
// endpoint's limit. The other endpoints keep theirs, and RateLimit still reports the limit
// SetRateLimit set; SetRateLimit sets every endpoint again. As LINE's limits differ by
// endpoint (REFERENCE.md §5), so can the mock's.
func (s *Server) SetEndpointRateLimit(endpoint string, perSecond int) error {
	if endpoint == AllEndpoints || !knownEndpoint(endpoint) {
		return fmt.Errorf("SetEndpointRateLimit: %q is not an endpoint name", endpoint)
	}
	s.limitersMu.Lock()
	defer s.limitersMu.Unlock()
	lims := make(map[string]*rate.Limiter, len(endpoints))
	if old := s.limiters.Load(); old != nil {
		maps.Copy(lims, *old)
	}
	lims[endpoint] = nil // no bucket: not limited
	if perSecond > 0 {
		lims[endpoint] = rate.NewLimiter(rate.Limit(perSecond), perSecond)
	}
	s.limiters.Store(&lims)
	return nil
}

// RateLimit returns the per-endpoint limit in requests per second; 0 means off.
func (s *Server) RateLimit() int { return int(s.rateLimit.Load()) }

// allow takes a token from the endpoint's bucket, if rate limiting is on.
func (s *Server) allow(endpoint string) bool {
	lims := s.limiters.Load()
	if lims == nil || *lims == nil {
		return true
	}
	lim := (*lims)[endpoint]
	return lim == nil || lim.Allow()
}

// Close releases handlers blocked by a Hang fault (they answer 500) and cuts injected
// latency short. Call it before httptest.Server.Close, which waits for open requests.
// The server keeps answering after Close, without hanging.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Every answer, errors and controls included, carries a fresh request ID as LINE's do.
	w.Header().Set("X-Line-Request-Id", uuid.NewString())
	control := r.URL.Path == "/_mock" || strings.HasPrefix(r.URL.Path, "/_mock/")
	if !isCleanPath(r.URL.Path) {
		// ServeMux would redirect these; LINE has no such paths, so they are unknown.
		if control {
			writeError(w, http.StatusNotFound, msgNotFound)
		} else {
			s.serveUnrouted(w, r, http.StatusNotFound, msgNotFound)
		}
		return
	}
	if control {
		s.controlMux.ServeHTTP(w, r)
		return
	}
	s.lineMux.ServeHTTP(w, r)
}

// isCleanPath reports whether ServeMux would serve p as it is rather than redirect.
func isCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// serveUnrouted answers a request for no endpoint (unknown path or wrong method). It is
// recorded with Endpoint "" and gets no auth check, rate limit or fault.
func (s *Server) serveUnrouted(w http.ResponseWriter, r *http.Request, status int, msg string) {
	arrived := s.clock.Now()
	sw := &statusWriter{ResponseWriter: w, onStatus: func(st int) { s.rec.add(r, Request{Status: st, Time: arrived}) }}
	writeError(sw, status, msg)
}

// serveEndpoint runs the checks every endpoint shares, in the order of REFERENCE.md
// ("Decision order"), then the endpoint's own handler:
//
//	latency → injected fault → 401 auth → 429 rate limit → 400 X-Line-Retry-Key → handler
//
// The handler continues with 400 bad ID → 403 unverified → 404 chat → 404 member → 400 start.
// A lost-response fault lets all of that happen, then answers 500 instead.
func (s *Server) serveEndpoint(ep *endpoint, w http.ResponseWriter, r *http.Request) {
	arrived := s.clock.Now()
	recorded, lost := false, false
	var p faultPlan
	sw := &statusWriter{ResponseWriter: w, onStatus: func(st int) {
		recorded = true
		s.rec.add(r, Request{Endpoint: ep.name, Status: st, Lost: lost, Attempt: p.attempt, Time: arrived})
	}}
	defer func() {
		if !recorded { // the client gave up before any answer
			s.rec.add(r, Request{Endpoint: ep.name, Attempt: p.attempt, Time: arrived})
		}
	}()

	if !s.sleep(r.Context(), s.latency) {
		return
	}
	p = s.planFault(ep, r)
	if !s.injectFault(p, sw, r) {
		return
	}
	if p.lost {
		// The request is carried out in full (a leave leaves, a push is sent), but its
		// answer never reaches the client: what a client sees when a connection drops or
		// a proxy fails after LINE acted.
		lost = true
		s.answer(ep, newDiscardWriter(w.Header()), r)
		writeError(sw, http.StatusInternalServerError, msgInternal)
		return
	}
	s.answer(ep, sw, r)
}

// answer runs the checks after the faults, then the endpoint's handler.
func (s *Server) answer(ep *endpoint, w http.ResponseWriter, r *http.Request) {
	if ep.messaging && !s.authenticate(w, r) {
		return
	}
	if !s.allow(ep.name) {
		writeError(w, http.StatusTooManyRequests, msgRateLimited)
		return
	}
	if ep.messaging && !ep.retryKey {
		// Retry keys are for push, multicast, narrowcast and broadcast only.
		if _, ok := r.Header["X-Line-Retry-Key"]; ok {
			writeError(w, http.StatusBadRequest, msgRetryKey)
			return
		}
	}
	ep.handle(s, w, r)
}

// sleep waits d, or less if the client gives up (false) or the server is closed (true).
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closed:
		return true
	case <-ctx.Done():
		return false
	}
}
