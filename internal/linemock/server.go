package linemock

import (
	"context"
	"crypto/rand"
	"errors"
	mathrand "math/rand/v2"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"
)

// DefaultRateLimit is LINE's limit for every endpoint the mock serves: 2,000 requests per
// second per endpoint (line-api.md §1.5).
const DefaultRateLimit = 2000

// Server is the mock LINE API. It is an http.Handler; start it with httptest.NewServer or
// any http.Server. All methods are safe for concurrent use.
type Server struct {
	clock     Clock
	rateLimit int
	seed      uint64
	latency   time.Duration

	lineMux    *http.ServeMux
	controlMux *http.ServeMux
	limiters   map[string]*rate.Limiter // by endpoint name; nil when rate limiting is off

	// Fixed at New: the fixture's long-lived tokens and channel credentials.
	accessTokens map[string]struct{}
	channels     map[string]string // channel ID → secret
	tokenList    []string
	channelList  []Channel
	// macKey signs issued access tokens and member-ID continuation tokens, so neither
	// needs to be stored (see tokens.go).
	macKey []byte

	mu    sync.RWMutex // guards the world below
	world world

	faultsMu sync.RWMutex
	faults   map[string]Fault
	rngMu    sync.Mutex
	rng      *mathrand.Rand

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
	return func(s *Server) { s.rateLimit = perSecond }
}

// WithSeed seeds the randomness of fault injection, for repeatable runs. Without it the
// seed is random.
func WithSeed(seed int64) Option {
	return func(s *Server) { s.seed = uint64(seed) }
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
		rateLimit:    DefaultRateLimit,
		seed:         randomSeed(),
		accessTokens: make(map[string]struct{}, len(f.AccessTokens)),
		channels:     make(map[string]string, len(f.Channels)),
		tokenList:    f.AccessTokens,
		channelList:  f.Channels,
		macKey:       make([]byte, 32),
		faults:       map[string]Fault{},
		closed:       make(chan struct{}),
	}
	_, _ = rand.Read(s.macKey) // crypto/rand.Read never fails (Go 1.24+)
	for _, opt := range opts {
		opt(s)
	}
	s.rng = mathrand.New(mathrand.NewPCG(s.seed, 0x6c696e656d6f636b)) // "linemock"
	for _, t := range f.AccessTokens {
		s.accessTokens[t] = struct{}{}
	}
	for _, c := range f.Channels {
		s.channels[c.ID] = c.Secret
	}
	s.world = newWorld(f)
	if s.rateLimit > 0 {
		s.limiters = make(map[string]*rate.Limiter, len(endpoints))
		for _, ep := range endpoints {
			s.limiters[ep.name] = rate.NewLimiter(rate.Limit(s.rateLimit), s.rateLimit)
		}
	}
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

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	var n uint64
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	return n
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
	sw := &statusWriter{ResponseWriter: w, onStatus: func(st int) { s.rec.add(r, "", st, arrived) }}
	writeError(sw, status, msg)
}

// serveEndpoint runs the checks every endpoint shares, in the order of line-api.md §6.3,
// then the endpoint's own handler:
//
//	latency → injected fault → 401 auth → 429 rate limit → 400 X-Line-Retry-Key → handler
//
// The handler continues with 400 bad ID → 403 unverified → 404 chat → 404 member → 400 start.
func (s *Server) serveEndpoint(ep *endpoint, w http.ResponseWriter, r *http.Request) {
	arrived := s.clock.Now()
	recorded := false
	sw := &statusWriter{ResponseWriter: w, onStatus: func(st int) {
		recorded = true
		s.rec.add(r, ep.name, st, arrived)
	}}
	defer func() {
		if !recorded { // the client gave up before any answer
			s.rec.add(r, ep.name, 0, arrived)
		}
	}()

	if !s.sleep(r.Context(), s.latency) {
		return
	}
	if !s.injectFault(ep.name, sw, r) {
		return
	}
	if ep.messaging && !s.authenticate(sw, r) {
		return
	}
	if lim := s.limiters[ep.name]; lim != nil && !lim.Allow() {
		writeError(sw, http.StatusTooManyRequests, msgRateLimited)
		return
	}
	if ep.messaging {
		// Retry keys are for push, multicast, narrowcast and broadcast only (line-api.md §1.1).
		if _, ok := r.Header["X-Line-Retry-Key"]; ok {
			writeError(sw, http.StatusBadRequest, msgRetryKey)
			return
		}
	}
	ep.handle(s, sw, r)
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
