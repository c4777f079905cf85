package lineclient

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// BenchmarkRateControllers compares rate controllers side by side in one run, each scenario
// against its own mock LINE API, all at once: the provider's client (the retry loop and the
// pacer under test) reading as Terraform does, ten reads at a time, for a warm-up and then a
// steady state of at least 60 s, in which it measures what share of what LINE allowed the
// provider used, and what share of its requests LINE answered 429.
//
// Flags (after -args): -controllers.steady and -controllers.warmup change the durations;
// -controllers.out=FILE writes the table into FILE between controllersBegin and controllersEnd.
var (
	controllersSteady = flag.Duration("controllers.steady", 60*time.Second, "BenchmarkRateControllers: steady state measured")
	controllersWarmup = flag.Duration("controllers.warmup", 10*time.Second, "BenchmarkRateControllers: warm-up before it")
	controllersOut    = flag.String("controllers.out", "", "BenchmarkRateControllers: write the table into this Markdown file")
)

// The controllers compared. The first is the client's; the targets apply to it.
var benchControllers = []struct {
	name string
	new  func(rateLimit float64) pacer
}{
	{"this client's: per endpoint, CUBIC, 0.7 × accepted", func(r float64) pacer { return newLimiter(r) }},
	{"the same, 0.7 × sent", func(r float64) pacer { return sentBased{newLimiter(r)} }},
	{"previous: one limiter, ½ × accepted, +1/s per answer", func(r float64) pacer { return newPreviousLimiter(r) }},
	{"AWS-style: one bucket, CUBIC, 0.7 × measured", func(float64) pacer { return newAWSAdaptive() }},
}

// sentBased is the client's limiter but for one thing: a decrease takes β of the rate sent over
// the last second rather than of the rate LINE accepted. The benchmark decides between the two.
type sentBased struct{ *limiter }

func (s sentBased) done(ctx context.Context, t ticket, o outcome) {
	if o != outcomeRateLimited {
		s.limiter.done(ctx, t, o)
		return
	}
	p := s.partition(t.scope)
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); t.episode == p.episode {
		p.advance(now)
		p.decrease(now, p.sent.rate(now))
	}
}

type benchScenario struct {
	name  string
	limit int     // LINE's limit on members/count, per second
	other float64 // another client's requests per second to the same endpoint (the same bucket)
	// spell, if set, has the other client send only in alternate spells this long, starting
	// with the steady state: the room left to the provider changes while it runs.
	spell time.Duration
	// falls: the endpoint has no limit during the warm-up, which lasts only this long, and gets
	// limit when the steady state starts: LINE starts refusing a provider sending at rate_limit.
	falls time.Duration
	// decides: the scenario has no target; it is there to decide a choice of the law, and runs
	// repeat times (at once, each on its own mock) for its sums to stand out of the noise.
	decides bool
	repeat  int
	// beside: summaries read beside the limited reads, on an endpoint LINE does not limit;
	// alone: only those (the reference for "not slowed").
	beside, alone bool
}

var benchScenarios = []benchScenario{
	{name: "(i) 20 req/s", limit: 20},
	{name: "(ii) 20 req/s, another client at 8", limit: 20, other: 8},
	{name: "(iii) 12 req/s, beside an unlimited endpoint", limit: 12, beside: true},
	{name: "(iv) 20 req/s, another client at 12 in alternate 10 s spells (4 runs summed)", limit: 20, other: 12, spell: 10 * time.Second, decides: true, repeat: 4},
	{name: "(v) no limit, then 20 req/s (4 runs summed)", limit: 20, falls: 2 * time.Second, decides: true, repeat: 4},
	{name: "(iii) reference: the unlimited endpoint alone", alone: true},
}

const (
	benchParallel     = 10                     // Terraform's default parallelism
	besideWorkers     = 5                      // summary readers in (iii)
	besideThink       = 100 * time.Millisecond // each summary reader's pause between reads
	controllersBegin  = "<!-- BenchmarkRateControllers: begin -->"
	controllersEnd    = "<!-- BenchmarkRateControllers: end -->"
	targetUsed        = 0.90
	target429         = 0.03
	targetBesideShare = 0.95
)

// benchRun is what one controller did in one scenario, within the steady state.
type benchRun struct {
	accepted, throttled int // the provider's answers from the limited endpoint
	peak                int // the most attempts on it in one second
	otherAccepted       int // the other client's answers that passed
	other, other429     int
	beside              int // summaries answered
	errors              int // reads that failed
	firstError          error
}

func BenchmarkRateControllers(b *testing.B) {
	steady, warmup := *controllersSteady, *controllersWarmup
	var table string
	for range b.N {
		results := make([][]benchRun, len(benchScenarios))
		var wg sync.WaitGroup
		for i, sc := range benchScenarios {
			results[i] = make([]benchRun, len(benchControllers))
			for j, ctl := range benchControllers {
				var mu sync.Mutex
				for range max(sc.repeat, 1) {
					wg.Go(func() {
						run, err := runBenchScenario(sc, ctl.new(DefaultRateLimit), warmup, steady)
						if err != nil {
							b.Errorf("%s, %s: %v", sc.name, ctl.name, err)
						}
						mu.Lock()
						results[i][j].add(run)
						mu.Unlock()
					})
				}
			}
		}
		wg.Wait()
		var missed []string
		table, missed = controllersTable(results, steady)
		for _, m := range missed {
			b.Error(m)
		}
	}
	fmt.Print("\n" + table)
	if *controllersOut != "" {
		if err := writeControllersTable(*controllersOut, table); err != nil {
			b.Fatal(err)
		}
	}
}

// add sums the counts of another run of the same scenario.
func (r *benchRun) add(o benchRun) {
	r.accepted += o.accepted
	r.throttled += o.throttled
	r.peak = max(r.peak, o.peak)
	r.otherAccepted += o.otherAccepted
	r.other += o.other
	r.other429 += o.other429
	r.beside += o.beside
	r.errors += o.errors
	if r.firstError == nil {
		r.firstError = o.firstError
	}
}

// attemptLog records every attempt the client makes: when its answer came, to which endpoint,
// and its status (0: no answer).
type attemptLog struct {
	next    http.RoundTripper
	mu      sync.Mutex
	answers []answered
}

type answered struct {
	at      time.Time
	summary bool
	status  int
}

func (a *attemptLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(req)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	a.mu.Lock()
	a.answers = append(a.answers, answered{at: time.Now(), summary: strings.HasSuffix(req.URL.Path, "/summary"), status: status})
	a.mu.Unlock()
	return resp, err
}

func runBenchScenario(sc benchScenario, p pacer, warmup, steady time.Duration) (benchRun, error) {
	f := linemock.DemoFixture()
	groups := f.AddTeamGroups(200)
	mock, err := linemock.New(f, linemock.WithRateLimit(0))
	if err != nil {
		return benchRun{}, err
	}
	if sc.falls > 0 {
		warmup = sc.falls
	}
	limitCount := func() error {
		return mock.SetEndpointRateLimit(linemock.EndpointGroupMemberCount, sc.limit)
	}
	if sc.limit > 0 && sc.falls == 0 {
		if err := limitCount(); err != nil {
			return benchRun{}, err
		}
	}
	ts := httptest.NewServer(mock)
	defer ts.Close()
	defer mock.Close()
	log := &attemptLog{next: cleanhttp.DefaultPooledTransport()}
	c, err := newClient(Config{Endpoint: ts.URL, AccessToken: linemock.DemoToken, RateLimit: DefaultRateLimit, Transport: log}, p)
	if err != nil {
		return benchRun{}, err
	}

	start := time.Now()
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var run benchRun
	failed := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() == nil { // reads cut short by the end of the run are no failures
			run.errors++
			if run.firstError == nil {
				run.firstError = err
			}
		}
	}
	read := func(worker int, call func(ctx context.Context, group string) error) {
		for i := 0; ctx.Err() == nil; i++ {
			// Distinct groups in flight, so that no two reads are made once (singleflight).
			group := groups[(worker+i*benchParallel)%len(groups)]
			readCtx, cancel := context.WithTimeout(ctx, 5*time.Minute) // the provider's default
			err := call(readCtx, group)
			cancel()
			if err != nil {
				failed(err)
			}
		}
	}
	if !sc.alone {
		for w := range benchParallel {
			wg.Go(func() {
				read(w, func(ctx context.Context, group string) error {
					_, err := c.MemberCount(ctx, GroupChat(group))
					return err
				})
			})
		}
	}
	if sc.beside || sc.alone {
		for w := range besideWorkers {
			wg.Go(func() {
				read(w, func(ctx context.Context, group string) error {
					_, err := c.GroupSummary(ctx, group)
					if err == nil {
						select {
						case <-ctx.Done():
						case <-time.After(besideThink):
						}
					}
					return err
				})
			})
		}
	}
	var otherMu sync.Mutex
	var otherAnswers []answered
	if sc.other > 0 {
		// Another tool on the same channel: a steady rate, whatever LINE answers.
		wg.Go(func() {
			tick := time.NewTicker(time.Duration(float64(time.Second) / sc.other))
			defer tick.Stop()
			client := &http.Client{Transport: cleanhttp.DefaultPooledTransport(), Timeout: 10 * time.Second}
			var sends sync.WaitGroup
			defer sends.Wait()
			for i := 0; ; i++ {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				if sc.spell > 0 {
					into := time.Since(start) - warmup
					if into < 0 || (into/sc.spell)%2 == 1 {
						continue
					}
				}
				sends.Go(func() {
					req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v2/bot/group/"+groups[i%len(groups)]+"/members/count", nil)
					req.Header.Set("Authorization", "Bearer "+linemock.DemoToken)
					status := 0
					if resp, err := client.Do(req); err == nil {
						status = resp.StatusCode
						_ = resp.Body.Close()
					}
					otherMu.Lock()
					otherAnswers = append(otherAnswers, answered{at: time.Now(), status: status})
					otherMu.Unlock()
				})
			}
		})
	}
	from, to := start.Add(warmup), start.Add(warmup+steady)
	time.Sleep(warmup)
	if sc.falls > 0 {
		if err := limitCount(); err != nil {
			stop()
			wg.Wait()
			return benchRun{}, err
		}
	}
	time.Sleep(steady)
	stop()
	wg.Wait()

	perSecond := map[int64]int{}
	for _, a := range log.answers {
		if a.at.Before(from) || a.at.After(to) {
			continue
		}
		switch {
		case a.summary:
			if a.status == http.StatusOK {
				run.beside++
			}
		case a.status == http.StatusTooManyRequests:
			run.throttled++
		case a.status != 0:
			run.accepted++
		}
		if !a.summary {
			perSecond[a.at.Sub(from).Milliseconds()/1000]++
		}
	}
	for _, n := range perSecond {
		run.peak = max(run.peak, n)
	}
	for _, a := range otherAnswers {
		if !a.at.Before(from) && !a.at.After(to) {
			run.other++
			switch a.status {
			case http.StatusTooManyRequests:
				run.other429++
			case http.StatusOK:
				run.otherAccepted++
			}
		}
	}
	return run, nil
}

// controllersTable renders the results as Markdown and lists the targets the client's
// controller (the first) missed.
func controllersTable(results [][]benchRun, steady time.Duration) (string, []string) {
	var b strings.Builder
	var missed []string
	secs := steady.Seconds()
	fmt.Fprintf(&b, "| scenario | controller | left to the provider by LINE | used | answered 429 | most attempts in a second | unlimited endpoint, vs alone | read errors | targets |\n")
	fmt.Fprintf(&b, "|---|---|---:|---:|---:|---:|---:|---:|---|\n")
	alone := slices.IndexFunc(benchScenarios, func(sc benchScenario) bool { return sc.alone })
	for i, sc := range benchScenarios {
		if sc.alone {
			continue
		}
		for j, ctl := range benchControllers {
			r := results[i][j]
			runs := float64(max(sc.repeat, 1))
			allowed := float64(sc.limit)*secs*runs - float64(r.otherAccepted)
			used := float64(r.accepted) / allowed
			share429 := float64(r.throttled) / max(1, float64(r.accepted+r.throttled))
			beside := "–"
			besideShare := 1.0
			if sc.beside {
				besideShare = float64(r.beside) / max(1, float64(results[alone][j].beside))
				beside = fmt.Sprintf("%.1f/s, %.0f%%", float64(r.beside)/secs, 100*besideShare)
			}
			left := fmt.Sprintf("%.1f/s", allowed/secs/runs)
			if sc.other > 0 {
				left += fmt.Sprintf(" (the other: %d of %d answered 429)", r.other429, r.other)
			}
			verdict := ""
			if j == 0 && !sc.decides {
				ok := used >= targetUsed && share429 <= target429 && besideShare >= targetBesideShare && r.errors == 0
				verdict = "met"
				if !ok {
					verdict = "**missed**"
					missed = append(missed, fmt.Sprintf("%s: used %.1f%% (target ≥ %.0f%%), 429 %.2f%% (≤ %.0f%%), unlimited endpoint at %.0f%% of alone (≥ %.0f%%), %d read errors (%v)",
						sc.name, 100*used, 100*targetUsed, 100*share429, 100*target429, 100*besideShare, 100*targetBesideShare, r.errors, r.firstError))
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %.1f%% | %.2f%% (%d of %d) | %d | %s | %d | %s |\n",
				sc.name, ctl.name, left, 100*used, 100*share429, r.throttled, r.accepted+r.throttled, r.peak, beside, r.errors, verdict)
		}
	}
	// The scenarios that decide: which decrease answered fewer requests 429, in all of them.
	var from [2]int
	var lines []string
	for i, sc := range benchScenarios {
		if !sc.decides {
			continue
		}
		accepted, sent := results[i][0], results[i][1]
		from[0] += accepted.throttled + accepted.other429
		from[1] += sent.throttled + sent.other429
		lines = append(lines, fmt.Sprintf("in %s, %d of the provider's and %d of the other client's requests against %d and %d",
			strings.Fields(sc.name)[0], accepted.throttled, accepted.other429, sent.throttled, sent.other429))
	}
	if len(lines) > 0 {
		winner := "what LINE accepted"
		if from[1] < from[0] {
			winner = "what was sent"
		}
		fmt.Fprintf(&b, "\nDecreasing from what LINE accepted, rather than from what was sent, 429s answered %s: %d against %d in all. Fewer: %s.\n",
			strings.Join(lines, "; "), from[0], from[1], winner)
	}
	fmt.Fprintf(&b, "\nSteady state %s after a warm-up, every run at once (%d cores visible to Go, %s), %s.\n",
		steady, runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	return b.String(), missed
}

// writeControllersTable puts table into the Markdown file path, between controllersBegin and
// controllersEnd, or at its end when the markers are missing.
func writeControllersTable(path, table string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	doc := string(old)
	section := controllersBegin + "\n" + table + controllersEnd
	begin, end := strings.Index(doc, controllersBegin), strings.Index(doc, controllersEnd)
	if begin >= 0 && end > begin {
		doc = doc[:begin] + section + doc[end+len(controllersEnd):]
	} else {
		doc = strings.TrimRight(doc, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}
