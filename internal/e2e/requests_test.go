package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// manyGroups is the demo fixture with n more groups the bot is in, and their IDs.
func manyGroups(n int) (*linemock.Fixture, []string) {
	f := linemock.DemoFixture()
	return f, f.AddTeamGroups(n)
}

func membershipsConfig(ids []string) string {
	var b strings.Builder
	b.WriteString("provider \"line\" {}\n")
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"line_bot_membership\" \"m%d\" {\n  group_id = %q\n}\n", i, id)
	}
	return b.String()
}

// A refresh costs exactly one request per membership, and a plan without refresh none.
func TestRequestsPerRefresh(t *testing.T) {
	const n = 12
	fixture, ids := manyGroups(n)
	w := newWorkspace(t, fixture)
	w.write(membershipsConfig(ids))
	token := []string{"LINE_CHANNEL_ACCESS_TOKEN=" + linemock.DemoToken}
	w.mustTerraform(token, "apply", "-auto-approve", "-input=false", "-no-color")

	w.mock.ResetRequests()
	out := w.mustTerraform(token, "plan", "-refresh=false", "-input=false", "-no-color", "-detailed-exitcode")
	if got := w.mock.CountRequests(""); got != 0 {
		t.Fatalf("plan -refresh=false made %d requests, want 0\n%s", got, out)
	}

	w.mock.ResetRequests()
	w.mustTerraform(token, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if got, summaries := w.mock.CountRequests(""), w.mock.CountRequests(linemock.EndpointGroupSummary); got != n || summaries != n {
		t.Fatalf("plan made %d requests (%d summaries) for %d memberships, want exactly %d", got, summaries, n, n)
	}

	// Removed outside Terraform: -detailed-exitcode tells CI that the plan has changes.
	if err := w.mock.KickBot(ids[3]); err != nil {
		t.Fatal(err)
	}
	out, err := w.Run(token, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code := tfharness.ExitCode(err); code != 2 || !strings.Contains(out, "The bot is no longer in group chat "+ids[3]) ||
		!strings.Contains(out, "line_bot_membership.m3 will be created") {
		t.Fatalf("plan after a kick: exit %d, want 2 with a warning and a create\n%s", code, out)
	}
}

// With a channel ID and secret, one provider process (one plan) issues one stateless token for
// all of its concurrent operations.
func TestStatelessTokenOncePerPlan(t *testing.T) {
	const n = 15
	fixture, ids := manyGroups(n)
	w := newWorkspace(t, fixture)
	w.write(membershipsConfig(ids))
	creds := []string{"LINE_CHANNEL_ID=" + linemock.DemoChannelID, "LINE_CHANNEL_SECRET=" + linemock.DemoChannelSecret}
	w.mustTerraform(creds, "apply", "-auto-approve", "-input=false", "-no-color")

	w.mock.ResetRequests()
	w.mustTerraform(creds, "plan", "-input=false", "-no-color")
	if tokens, summaries := w.mock.CountRequests(linemock.EndpointStatelessToken), w.mock.CountRequests(linemock.EndpointGroupSummary); tokens != 1 || summaries != n {
		t.Fatalf("one plan made %d token requests and %d summary requests, want 1 and %d", tokens, summaries, n)
	}
}
