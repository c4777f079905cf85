// Command planbench measures what the provider costs a `terraform plan`, side by side in one
// run, with the real Terraform CLI and the provider binary against the mock LINE API:
//
//   - plan over N memberships with the mock answering at 0 ms and at 20 ms of latency, and
//     over N terraform_data resources (the cost of being a plugin at all);
//   - requests per refresh, from the mock's counters, with and without -refresh=false;
//   - a group of 250 members read with and without include_profiles, at 20 ms;
//   - 300 member counts under a 12 req/s limit on that endpoint, with 150 group summaries
//     beside them that LINE does not limit (issue 19): the share of the limited endpoint's
//     requests answered 429.
//
// It prints a table with the targets of issue 7 and, with -out, writes it to BENCHMARKS.md.
// It exits 1 when a target is missed.
package main

import (
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

func main() {
	n := flag.Int("n", 200, "memberships (and terraform_data resources) to plan")
	profiles := flag.Int("profiles", 250, "members of the group read with include_profiles")
	latency := flag.Duration("latency", 20*time.Millisecond, "latency the mock adds to every request")
	runs := flag.Int("runs", 5, "plans timed per case; the table gives the median")
	var t throttledCase
	flag.IntVar(&t.reads, "throttled-reads", 300, "member counts read under LINE's limit on that endpoint")
	flag.IntVar(&t.beside, "throttled-beside", 150, "group summaries read beside them, not limited")
	flag.IntVar(&t.limit, "throttled-limit", 12, "LINE's limit on members/count, requests per second")
	flag.IntVar(&t.runs, "throttled-runs", 3, "throttled plans; the table gives the median share")
	flag.BoolVar(&t.only, "throttled-only", false, "plan the throttled case alone, print its figures and write nothing")
	out := flag.String("out", "", "also write the report to this Markdown file")
	flag.Parse()
	if *runs < 1 || t.runs < 1 || *n < 1 || t.reads < 1 {
		fmt.Fprintln(os.Stderr, "planbench: -runs, -throttled-runs, -n and -throttled-reads must be at least 1")
		os.Exit(2)
	}
	if err := run(*n, *profiles, *latency, *runs, t, *out); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

type bench struct {
	mock      *linemock.Server
	env       string // LINE_API_ENDPOINT=…
	terraform string
	plugins   string
	root      string
	runs      int
}

func run(n, profiles int, latency time.Duration, runs int, throttled throttledCase, out string) error {
	terraform, err := tfharness.FindTerraform()
	if err != nil {
		return err
	}
	root, err := os.MkdirTemp("", "tf-line-planbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	fmt.Fprintln(os.Stderr, "building the provider…")
	plugins, err := tfharness.BuildProvider(filepath.Join(root, "plugins"))
	if err != nil {
		return err
	}
	fixture, groupIDs, bigGroup := benchFixture(max(n, throttled.reads, throttled.beside), profiles)
	// LINE's own rate limit stays on: the provider must keep under it.
	mock, err := linemock.New(fixture)
	if err != nil {
		return err
	}
	ts := httptest.NewServer(mock)
	defer ts.Close()
	defer mock.Close()
	b := &bench{mock: mock, env: "LINE_API_ENDPOINT=" + ts.URL, terraform: terraform, plugins: plugins, root: root, runs: runs}

	r := report{n: n, profiles: profiles, latency: latency, runs: runs, throttled: throttled}
	if r.terraformVersion, err = b.terraformVersion(); err != nil {
		return err
	}
	if throttled.only {
		if r.throttledPlans, err = b.throttledPlans(throttled, groupIDs); err != nil {
			return err
		}
		m := r.throttledMedian()
		fmt.Printf("median of %d throttled plans: %d member-count requests, %d answered 429 (%.1f%%); %d summaries, %d answered 429\n",
			len(r.throttledPlans), m.counts, m.counts429, 100*m.share429(), m.summaries, m.summaries429)
		return nil
	}

	fmt.Fprintf(os.Stderr, "planning %d memberships…\n", n)
	memberships, err := b.workspace("memberships", membershipsConfig(groupIDs[:n]))
	if err != nil {
		return err
	}
	if _, err := memberships.Run(nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	if r.planFast, r.requestsPerPlan, err = b.timePlans(memberships, 0); err != nil {
		return err
	}
	if r.planSlow, _, err = b.timePlans(memberships, latency); err != nil {
		return err
	}
	if _, r.requestsNoRefresh, err = b.timePlans(memberships, 0, "-refresh=false"); err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "planning %d terraform_data resources…\n", n)
	data, err := b.workspace("terraform_data", terraformDataConfig(n))
	if err != nil {
		return err
	}
	if _, err := data.Run(nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	if r.planTerraformData, _, err = b.timePlans(data, 0); err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "reading %d members with and without profiles…\n", profiles)
	for _, include := range []bool{false, true} {
		ws, err := b.workspace(fmt.Sprintf("profiles-%t", include), membersConfig(bigGroup, include))
		if err != nil {
			return err
		}
		d, requests, err := b.timePlans(ws, latency)
		if err != nil {
			return err
		}
		if include {
			r.planProfiles, r.requestsProfiles = d, requests
		} else {
			r.planNoProfiles, r.requestsNoProfiles = d, requests
		}
	}

	fmt.Fprintf(os.Stderr, "planning %d member counts under %d req/s beside %d summaries…\n", throttled.reads, throttled.limit, throttled.beside)
	if r.throttledPlans, err = b.throttledPlans(throttled, groupIDs); err != nil {
		return err
	}

	text := r.markdown()
	fmt.Print(text)
	if out != "" {
		// Figures recorded by other benchmarks, below keptMarker, stay as they are.
		old, err := os.ReadFile(out)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		if err := os.WriteFile(out, []byte(r.document(text)+kept(string(old))), 0o644); err != nil {
			return err
		}
	}
	if missed := r.missed(); len(missed) > 0 {
		return fmt.Errorf("targets missed: %s", strings.Join(missed, "; "))
	}
	return nil
}

func (b *bench) workspace(name, config string) (*tfharness.Workspace, error) {
	dir := filepath.Join(b.root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ws, err := tfharness.NewWorkspace(dir, b.terraform, b.plugins, b.env, "LINE_CHANNEL_ACCESS_TOKEN="+linemock.DemoToken)
	if err != nil {
		return nil, err
	}
	return ws, ws.Write(tfharness.RequiredProviders + config)
}

// timePlans runs `terraform plan` b.runs times with the mock at the given latency and returns
// the median duration and the LINE requests of one plan.
func (b *bench) timePlans(ws *tfharness.Workspace, latency time.Duration, extraArgs ...string) (time.Duration, int, error) {
	b.mock.SetFault(linemock.AllEndpoints, linemock.Fault{Latency: latency})
	defer b.mock.ClearFaults()
	args := append([]string{"plan", "-input=false", "-no-color", "-lock=false"}, extraArgs...)
	// One plan first, untimed, so that every timed plan finds the same warm caches.
	if out, err := ws.Run(nil, args...); err != nil {
		return 0, 0, fmt.Errorf("%w\n%s", err, out)
	}
	var times []time.Duration
	requests := 0
	for range b.runs {
		b.mock.ResetRequests()
		d, out, err := ws.Time(nil, args...)
		if err != nil {
			return 0, 0, fmt.Errorf("%w\n%s", err, out)
		}
		times = append(times, d)
		requests = b.mock.CountRequests("")
	}
	slices.Sort(times)
	return times[len(times)/2], requests, nil
}

// throttledCase is issue 19's plan: reads member counts of as many groups under LINE's limit
// on that endpoint, and summaries of beside groups, which LINE does not limit.
type throttledCase struct {
	reads, beside, limit, runs int
	only                       bool // this case alone
}

// throttledPlan is what one throttled plan did.
type throttledPlan struct {
	took                         time.Duration
	counts, counts429, summaries int // requests to members/count, those answered 429, summaries
	summaries429, otherEndpoints int // should stay 0
}

func (p throttledPlan) share429() float64 { return float64(p.counts429) / float64(max(p.counts, 1)) }

// throttledPlans plans tc.runs times, each with a fresh, full bucket, and returns what each did.
func (b *bench) throttledPlans(tc throttledCase, groupIDs []string) ([]throttledPlan, error) {
	ws, err := b.workspace("throttled", throttledConfig(groupIDs[:tc.reads], groupIDs[:tc.beside]))
	if err != nil {
		return nil, err
	}
	defer b.mock.SetRateLimit(b.mock.RateLimit()) // every endpoint as before
	var plans []throttledPlan
	for range tc.runs {
		if err := b.mock.SetEndpointRateLimit(linemock.EndpointGroupMemberCount, tc.limit); err != nil {
			return nil, err
		}
		if err := b.mock.SetEndpointRateLimit(linemock.EndpointGroupSummary, 0); err != nil {
			return nil, err
		}
		b.mock.ResetRequests()
		d, out, err := ws.Time(nil, "plan", "-input=false", "-no-color", "-lock=false")
		if err != nil {
			return nil, fmt.Errorf("%w\n%s", err, out)
		}
		p := throttledPlan{took: d}
		for _, req := range b.mock.Requests() {
			switch req.Endpoint {
			case linemock.EndpointGroupMemberCount:
				p.counts++
				if req.Status == 429 {
					p.counts429++
				}
			case linemock.EndpointGroupSummary:
				p.summaries++
				if req.Status == 429 {
					p.summaries429++
				}
			default:
				p.otherEndpoints++
			}
		}
		fmt.Fprintf(os.Stderr, "  %s: %d member-count requests, %d answered 429 (%.1f%%); %d summaries\n",
			round(d), p.counts, p.counts429, 100*p.share429(), p.summaries)
		plans = append(plans, p)
	}
	return plans, nil
}

func throttledConfig(countIDs, summaryIDs []string) string {
	var b strings.Builder
	b.WriteString("provider \"line\" {}\n")
	for i, id := range countIDs {
		fmt.Fprintf(&b, "data \"line_group_member_count\" \"c%03d\" {\n  group_id = %q\n}\n", i, id)
	}
	for i, id := range summaryIDs {
		fmt.Fprintf(&b, "data \"line_group_summary\" \"s%03d\" {\n  group_id = %q\n}\n", i, id)
	}
	return b.String()
}

func (b *bench) terraformVersion() (string, error) {
	ws, err := tfharness.NewWorkspace(b.root, b.terraform, b.plugins)
	if err != nil {
		return "", err
	}
	out, err := ws.Run(nil, "version")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(strings.SplitN(out, "\n", 2)[0]), nil
}

// benchFixture is the demo world plus n groups the bot is in, and one group of `members`
// users who all consented to profile access.
func benchFixture(n, members int) (*linemock.Fixture, []string, string) {
	f := linemock.DemoFixture()
	ids := f.AddTeamGroups(n)
	big := linemock.Group{GroupID: fmt.Sprintf("C%032x", 0xb16000), GroupName: "Company"}
	for i := range members {
		id := fmt.Sprintf("U%032x", 0xb16000+i)
		f.Users = append(f.Users, linemock.User{UserID: id, DisplayName: fmt.Sprintf("Member %03d", i),
			PictureURL: fmt.Sprintf("https://profile.line-scdn.net/bench/%03d.png", i)})
		big.MemberIDs = append(big.MemberIDs, id)
	}
	f.Groups = append(f.Groups, big)
	return f, ids, big.GroupID
}

func membershipsConfig(ids []string) string {
	var b strings.Builder
	b.WriteString("provider \"line\" {}\n")
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"line_bot_membership\" \"m%03d\" {\n  group_id = %q\n}\n", i, id)
	}
	return b.String()
}

func terraformDataConfig(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "resource \"terraform_data\" \"d%03d\" {\n  input = %d\n}\n", i, i)
	}
	return b.String()
}

func membersConfig(groupID string, includeProfiles bool) string {
	return fmt.Sprintf("provider \"line\" {}\ndata \"line_group_members\" \"company\" {\n  group_id         = %q\n  include_profiles = %t\n}\n",
		groupID, includeProfiles)
}
