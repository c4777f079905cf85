// Package linemocktest starts the mock LINE API for one test, the same way in every
// package: the seed of its faults from LINEMOCK_SEED when set (to replay a run), and logged
// at the end of the test with the command that replays it.
package linemocktest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// Options returns opts after a WithSeed of LINEMOCK_SEED's seed, when it is set, so that
// the seed replays a logged run while a WithSeed in opts (a test that fixes its own seed)
// still wins. A malformed LINEMOCK_SEED fails the test.
func Options(t testing.TB, opts ...linemock.Option) []linemock.Option {
	t.Helper()
	seed, ok, err := linemock.SeedFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return opts
	}
	return append([]linemock.Option{linemock.WithSeed(seed)}, opts...)
}

// Start serves a mock LINE API with fixture f (the demo fixture when nil) and opts over
// loopback HTTP until the test ends. The mock's seed is logged at the end of the test
// (shown when it fails, or under -v), with the command line that replays its faults.
func Start(t testing.TB, f *linemock.Fixture, opts ...linemock.Option) (*linemock.Server, *httptest.Server) {
	t.Helper()
	if f == nil {
		f = linemock.DemoFixture()
	}
	mock, err := linemock.New(f, Options(t, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ts := NewServer(t, mock)
	t.Cleanup(mock.Close) // runs before NewServer's ts.Close: releases hung requests, which it would wait for
	LogSeed(t, mock)
	return mock, ts
}

// LogSeed logs mock's seed at the end of the test, with the command line that replays it.
// Start calls it; a test that builds its mock another way calls it itself.
func LogSeed(t testing.TB, mock *linemock.Server) {
	t.Cleanup(func() {
		t.Logf("linemock seed %d (replay its faults: %s=%d go test -run '%s' with this package)",
			mock.Seed(), linemock.SeedEnv, mock.Seed(), RunPattern(t.Name()))
	})
}

// RunPattern is the -run pattern that selects exactly the test (or subtest) named name.
func RunPattern(name string) string {
	return "^" + regexp.QuoteMeta(name) + "$"
}

// NewServer serves h over loopback HTTP until the test ends, on a port that no earlier server
// of NewServer or Start in this process has used.
func NewServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(h)
	ts.Listener.Close()
	ts.Listener = freshListener(t)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// usedPorts holds every port a mock of this process has listened on.
var usedPorts = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// freshListener listens on a loopback port no earlier mock of this process has used. Work a
// provider leaves running after its test (a token issuance outlives its caller, bounded by
// its own time) then meets a closed port, never the mock of a later test that happened to get
// the same port, which would count requests that are not its own.
func freshListener(t testing.TB) net.Listener {
	t.Helper()
	usedPorts.Lock()
	defer usedPorts.Unlock()
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for range 1000 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("linemocktest: listen on loopback: %v", err)
		}
		addr, ok := l.Addr().(*net.TCPAddr)
		if !ok {
			t.Fatalf("linemocktest: a tcp listener's address is a %T", l.Addr())
		}
		port := addr.Port
		if !usedPorts.ports[port] {
			usedPorts.ports[port] = true
			return l
		}
		held = append(held, l) // held open until a fresh port comes, so it is not drawn again
	}
	t.Fatal("linemocktest: no fresh loopback port in 1000 tries")
	return nil
}
