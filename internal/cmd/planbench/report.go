package main

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

type report struct {
	n, profiles      int
	latency          time.Duration
	runs             int
	terraformVersion string

	planFast, planSlow, planTerraformData time.Duration
	requestsPerPlan, requestsNoRefresh    int
	planNoProfiles, planProfiles          time.Duration
	requestsNoProfiles, requestsProfiles  int

	throttled      throttledCase
	throttledPlans []throttledPlan
}

// throttledMedian is the throttled plan with the median share of 429s.
func (r report) throttledMedian() throttledPlan {
	plans := slices.Clone(r.throttledPlans)
	slices.SortFunc(plans, func(a, b throttledPlan) int { return cmp.Compare(a.share429(), b.share429()) })
	return plans[len(plans)/2]
}

// throttledTarget is the most of the limited endpoint's requests a throttled plan may see
// answered 429. The benchmark's steady state targets 3%; a plan adds its cold start, when
// Terraform's first ten reads go at once into a bucket the provider knows nothing of yet.
const throttledTarget = 0.05

// latencyBudget is what latency may add to a plan over n memberships: n requests at the given
// latency, 10 at a time (Terraform's default parallelism).
func (r report) latencyBudget() time.Duration {
	return time.Duration(r.n) * r.latency / 10
}

const profilesBudget = time.Second

func (r report) missed() []string {
	var missed []string
	if r.requestsPerPlan != r.n {
		missed = append(missed, fmt.Sprintf("%d requests per refresh of %d memberships, want %d", r.requestsPerPlan, r.n, r.n))
	}
	if r.requestsNoRefresh != 0 {
		missed = append(missed, fmt.Sprintf("%d requests with -refresh=false, want 0", r.requestsNoRefresh))
	}
	if d := r.planSlow - r.planFast; d > r.latencyBudget() {
		missed = append(missed, fmt.Sprintf("latency added %s to the plan, budget %s", round(d), r.latencyBudget()))
	}
	if d := r.planProfiles - r.planNoProfiles; d > profilesBudget {
		missed = append(missed, fmt.Sprintf("%d profiles added %s to the plan, budget %s", r.profiles, round(d), profilesBudget))
	}
	if len(r.throttledPlans) > 0 {
		if m := r.throttledMedian(); m.share429() > throttledTarget || m.summaries429 > 0 || m.summaries < r.throttled.beside {
			missed = append(missed, fmt.Sprintf("throttled plan: %.1f%% of %d member-count requests answered 429 (target %.0f%%), %d summaries (%d answered 429)",
				100*m.share429(), m.counts, 100*throttledTarget, m.summaries, m.summaries429))
		}
	}
	return missed
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

func (r report) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	slowBy := r.planSlow - r.planFast
	profilesBy := r.planProfiles - r.planNoProfiles
	w("| case | `terraform plan` (median of %d) | LINE requests per plan | target | |\n", r.runs)
	w("|---|---:|---:|---|---|\n")
	w("| %d `terraform_data` resources (no provider) | %s | – | reference: the cost of Terraform alone | |\n", r.n, round(r.planTerraformData))
	w("| %d memberships, mock at 0 ms | %s | %d | %d requests (one per membership) | %s |\n", r.n, round(r.planFast), r.requestsPerPlan, r.n, verdict(r.requestsPerPlan == r.n))
	w("| %d memberships, mock at %s | %s (+%s) | %d | at most +%s (%d × %s / 10) | %s |\n", r.n, r.latency, round(r.planSlow), round(slowBy), r.requestsPerPlan, r.latencyBudget(), r.n, r.latency, verdict(slowBy <= r.latencyBudget()))
	w("| %d memberships, `-refresh=false` | – | %d | 0 requests | %s |\n", r.n, r.requestsNoRefresh, verdict(r.requestsNoRefresh == 0))
	w("| %d members, `include_profiles = false`, %s | %s | %d | reference | |\n", r.profiles, r.latency, round(r.planNoProfiles), r.requestsNoProfiles)
	w("| %d members, `include_profiles = true`, %s | %s (+%s) | %d | at most +%s (one at a time: +%s) | %s |\n", r.profiles, r.latency, round(r.planProfiles), round(profilesBy), r.requestsProfiles, profilesBudget, time.Duration(r.profiles)*r.latency, verdict(profilesBy <= profilesBudget))
	if len(r.throttledPlans) > 0 {
		t, m := r.throttled, r.throttledMedian()
		floor := time.Duration(t.reads) * time.Second / time.Duration(t.limit)
		w("| %d member counts under %d req/s on that endpoint, %d summaries beside them not limited | %s (floor %s) | %d member counts, %d answered 429 (**%.1f%%**); %d summaries, %d answered 429 | at most %.0f%% answered 429 (about 20%% before issue 19); summaries never | %s |\n",
			t.reads, t.limit, t.beside, round(m.took), floor, m.counts, m.counts429, 100*m.share429(), m.summaries, m.summaries429,
			100*throttledTarget, verdict(m.share429() <= throttledTarget && m.summaries429 == 0 && m.summaries >= t.beside))
	}
	w("\nBeing a plugin at all: %d memberships plan in %s at 0 ms against %s for as many `terraform_data` resources (%+.0f%%).\n",
		r.n, round(r.planFast), round(r.planTerraformData), 100*(float64(r.planFast)/float64(r.planTerraformData)-1))
	if len(r.throttledPlans) > 0 {
		w("\nThrottled plan (issue 19), the median of %d plans by share of 429s, each from a full bucket; all of them:", len(r.throttledPlans))
		for _, p := range r.throttledPlans {
			w(" %.1f%% in %s;", 100*p.share429(), round(p.took))
		}
		w(" the mock at 0 ms. Before issue 19's per-endpoint controller, this harness gave 18.9%%, 19.1%% and 19.8%%" +
			" (the provider of commit 01a4646); issue 19 reported 22.5%%.\n")
	}
	return b.String()
}

// document is BENCHMARKS.md: how to run the harness, the machine, and the table.
func (r report) document(table string) string {
	return fmt.Sprintf(`# Benchmarks

The latest run of `+"`make bench`"+`'s plan harness (`+"`internal/cmd/planbench`"+`): the real Terraform CLI and
the provider binary (through `+"`dev_overrides`"+`) against the mock LINE API, in one run, so the rows compare
like with like. Each figure is the median of %d plans after one untimed warm-up; the mock adds its latency
to every LINE request; Terraform runs with its default parallelism of 10. Regenerate with `+"`make bench`"+`.

%s
## Machine

- Run: %s
- CPU: %s (%d cores visible to Go)
- OS: %s
- Go: %s
- Terraform: %s
`, r.runs, table, time.Now().UTC().Format("2006-01-02 15:04 MST"), cpuModel(), runtime.NumCPU(), osName(), runtime.Version(), r.terraformVersion)
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
			}
		}
	}
	return runtime.GOARCH
}

func osName() string {
	out, err := exec.Command("uname", "-srm").Output()
	if err != nil {
		return runtime.GOOS + "/" + runtime.GOARCH
	}
	return strings.TrimSpace(string(out))
}

// keptMarker starts the part of BENCHMARKS.md that planbench does not write: figures of the Go
// benchmarks, recorded by hand from `make bench`'s first step.
const keptMarker = "<!-- planbench keeps everything below this line -->"

// kept returns the part of the old document from keptMarker on, after a blank line.
func kept(old string) string {
	i := strings.Index(old, keptMarker)
	if i < 0 {
		return ""
	}
	return "\n" + old[i:]
}
