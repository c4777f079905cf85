// Command linemock serves the mock LINE Messaging API (package internal/linemock) for the
// demo and for scripts.
//
//	go run ./internal/cmd/linemock -addr 127.0.0.1:0 [-fixture FILE]
//
// Its first line of standard output is exactly "listening on http://HOST:PORT"; it serves
// until SIGINT or SIGTERM, then shuts down and exits 0. A bad flag or fixture exits 2.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/cmd/cmdflags"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, returning its exit code: 0 after a clean shutdown or
// -print-fixture, 2 for bad flags or a bad fixture, 1 when the server cannot start or fails.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("linemock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	fixturePath := fs.String("fixture", "", "fixture JSON file (default: the built-in demo fixture)")
	latency := fs.Duration("latency", 0, "latency added to every LINE request, e.g. 20ms")
	rate429 := fs.Float64("rate-429", 0, "probability (0-1) of answering 429 on any LINE endpoint")
	rate500 := fs.Float64("rate-500", 0, "probability (0-1) of answering 500 on any LINE endpoint")
	seed := fs.Int64("seed", 0, "seed for fault injection (default: a fresh random one, printed on stderr)")
	rateLimit := fs.Int("rate-limit", linemock.DefaultRateLimit, "LINE's per-endpoint limit in requests/second; 0 turns it off")
	messageQuota := fs.Int64("message-quota", linemock.Unlimited, "the month's message limit for push; -1 for none")
	printFixture := fs.Bool("print-fixture", false, "print the built-in demo fixture as JSON and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: linemock [flags]\n\nServes the mock LINE Messaging API.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, goOn := cmdflags.Parse(fs, args); !goOn {
		return code
	}
	for _, p := range []struct {
		name  string
		value float64
	}{{"-rate-429", *rate429}, {"-rate-500", *rate500}} {
		if !(p.value >= 0 && p.value <= 1) {
			fmt.Fprintf(stderr, "linemock: %s %v: want a probability from 0 to 1\n", p.name, p.value)
			return 2
		}
	}
	if *messageQuota < linemock.Unlimited {
		fmt.Fprintf(stderr, "linemock: -message-quota %d: want -1 (no limit) or more\n", *messageQuota)
		return 2
	}
	if *latency < 0 {
		fmt.Fprintf(stderr, "linemock: -latency %v: must not be negative\n", *latency)
		return 2
	}

	if *printFixture {
		out, err := json.MarshalIndent(linemock.DemoFixture(), "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "linemock: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", out)
		return 0
	}

	fixture := linemock.DemoFixture()
	if *fixturePath != "" {
		var err error
		if fixture, err = linemock.LoadFixture(*fixturePath); err != nil {
			fmt.Fprintf(stderr, "linemock: %v\n", err)
			return 2
		}
	}
	opts := []linemock.Option{linemock.WithRateLimit(*rateLimit), linemock.WithLatency(*latency)}
	seedSet := false
	fs.Visit(func(f *flag.Flag) { seedSet = seedSet || f.Name == "seed" })
	if seedSet {
		opts = append(opts, linemock.WithSeed(*seed))
	}
	mock, err := linemock.New(fixture, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "linemock: %v\n", err)
		return 2
	}
	mock.SetMessageQuota(*messageQuota)
	if *rate429 > 0 || *rate500 > 0 {
		mock.SetFault(linemock.AllEndpoints, linemock.Fault{Rate429: *rate429, Rate500: *rate500})
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "linemock: %v\n", err)
		return 1
	}
	// The first line of output is the contract with scripts and tests: they read it to learn
	// the port. Writes to an *os.File are unbuffered, so it is out as soon as this returns.
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	// The seed goes to stderr, after the first line (scripts that send both streams to one
	// file read its first line), so that a run whose faults went wrong can be replayed.
	fmt.Fprintf(stderr, "linemock: fault seed %d (replay with -seed %d)\n", mock.Seed(), mock.Seed())

	srv := &http.Server{Handler: mock, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		fmt.Fprintf(stderr, "linemock: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	mock.Close() // release hung requests first, or Shutdown would wait for them
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "linemock: shutdown: %v\n", err)
		return 1
	}
	return 0
}
