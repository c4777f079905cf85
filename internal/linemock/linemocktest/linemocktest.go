// Package linemocktest starts the mock LINE API for one test, the same way in every
// package: the seed of its faults from LINEMOCK_SEED when set (to replay a run), and logged
// at the end of the test with the command that replays it.
package linemocktest

import (
	"net/http/httptest"
	"regexp"
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
	ts := httptest.NewServer(mock)
	t.Cleanup(func() {
		mock.Close() // first: releases hung requests, which ts.Close would wait for
		ts.Close()
	})
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
