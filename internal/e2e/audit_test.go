package e2e

import (
	"net"
	"os"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// auditRecipe is the CI audit the "Auditing in CI" guide documents, tested as it is written.
const auditRecipe = "../../examples/guides/auditing-in-ci/audit.tf"

// channelEnv is the demo channel's ID and secret, as CI would pass them.
var channelEnv = []string{
	"LINE_CHANNEL_ID=" + linemock.DemoChannelID,
	"LINE_CHANNEL_SECRET=" + linemock.DemoChannelSecret,
}

// oneLine joins Terraform's wrapped output, so that a sentence can be looked for whole.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// plan runs terraform plan -detailed-exitcode and returns its exit code and output.
func (w *workspace) plan(extraEnv ...string) (int, string) {
	w.t.Helper()
	out, err := w.Run(append(append([]string{}, channelEnv...), extraEnv...),
		"plan", "-detailed-exitcode", "-input=false", "-no-color")
	return tfharness.ExitCode(err), out
}

// TestAuditRecipe: the documented recipe's exit code means something. 0 while the bot is in
// every declared chat; 1 with a message naming the chat once a member removed it; 1 with
// another message, naming no chat as missing, when the credentials or the network fail.
func TestAuditRecipe(t *testing.T) {
	recipe, err := os.ReadFile(auditRecipe)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorkspace(t, nil)
	if err := w.Write(string(recipe)); err != nil {
		t.Fatal(err)
	}
	w.mustTerraform(channelEnv, "apply", "-auto-approve", "-input=false", "-no-color")

	code, out := w.plan()
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("present: exit code %d, want 0 and no changes\n%s", code, out)
	}
	t.Logf("present: terraform plan -detailed-exitcode exited %d:\n%s", code, out)

	if err := w.mock.KickBot(linemock.DemoGroupRelease); err != nil {
		t.Fatal(err)
	}
	code, out = w.plan()
	removed := oneLine(out)
	t.Logf("removed: terraform plan -detailed-exitcode exited %d:\n%s", code, out)
	if code != 1 {
		t.Errorf("removed: exit code %d, want 1", code)
	}
	for _, want := range []string{
		"Error: Resource postcondition failed",
		"The bot is not in release_train (" + linemock.DemoGroupRelease + ").",
		"Warning: The bot is no longer in group chat " + linemock.DemoGroupRelease,
	} {
		if !strings.Contains(removed, want) {
			t.Errorf("removed: the output lacks %q\n%s", want, out)
		}
	}
	for _, present := range []string{"ops_alerts (", "standup ("} {
		if strings.Contains(removed, "The bot is not in "+present) {
			t.Errorf("removed: a chat the bot is in is named as missing: %q\n%s", present, out)
		}
	}

	// Credentials LINE refuses, and a network that does not reach LINE: the plan fails on the
	// read itself, so no postcondition is judged and no chat is named as missing.
	endpoint := closedEndpoint(t)
	for _, tc := range []struct {
		name string
		env  []string
		want []string
	}{
		{"bad credentials", []string{"LINE_CHANNEL_SECRET=0000000000000000000000000000dead"},
			[]string{"Error: Unable to tell whether the bot is", "LINE refused the channel ID and secret"}},
		{"no network", []string{"LINE_API_ENDPOINT=" + endpoint},
			[]string{"Error: Unable to tell whether the bot is", strings.TrimPrefix(endpoint, "http://"), "connection refused",
				"after 6 attempts", "The request did not reach LINE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := w.plan(tc.env...)
			flat := oneLine(out)
			t.Logf("%s: terraform plan -detailed-exitcode exited %d:\n%s", tc.name, code, out)
			if code != 1 {
				t.Errorf("exit code %d, want 1\n%s", code, out)
			}
			for _, want := range tc.want {
				if !strings.Contains(flat, want) {
					t.Errorf("the output lacks %q\n%s", want, out)
				}
			}
			for _, never := range []string{"postcondition", "The bot is not in"} {
				if strings.Contains(flat, never) {
					t.Errorf("a failure to ask LINE reads like a removal (%q)\n%s", never, out)
				}
			}
		})
	}
}

// closedEndpoint is a loopback URL where nothing listens: the connection is refused at once.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return url
}

// Memberships alone: plan -detailed-exitcode exits 0 while the bot is in every chat and 2 once
// it was removed from one, with a warning naming the chat.
func TestDetailedExitcodeOnMembershipsAlone(t *testing.T) {
	w := newWorkspace(t, nil)
	w.write(`resource "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}

resource "line_bot_membership" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
}
`)
	w.mustTerraform(channelEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	if code, out := w.plan(); code != 0 {
		t.Fatalf("present: exit code %d, want 0\n%s", code, out)
	}
	if err := w.mock.KickBot(linemock.DemoGroupRelease); err != nil {
		t.Fatal(err)
	}
	code, out := w.plan()
	if code != 2 {
		t.Errorf("removed: exit code %d, want 2", code)
	}
	if !strings.Contains(out, "Warning: The bot is no longer in group chat "+linemock.DemoGroupRelease) ||
		!strings.Contains(out, "line_bot_membership.release will be created") {
		t.Errorf("removed: the plan does not name the chat and propose to adopt it again\n%s", out)
	}
}

// A check block makes plan -detailed-exitcode exit 2 with nothing to change, whatever its
// assertion says: its data source is always planned to be read during apply. This is why the
// docs keep check blocks out of the CI audit.
func TestCheckBlockBreaksDetailedExitcode(t *testing.T) {
	w := newWorkspace(t, nil)
	w.write(`resource "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}

check "ops" {
  data "line_bot_membership" "ops" {
    group_id = "` + linemock.DemoGroupOps + `"
  }

  assert {
    condition     = data.line_bot_membership.ops.is_member
    error_message = "The bot is not in Ops alerts."
  }
}
`)
	w.mustTerraform(channelEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	code, out := w.plan()
	if code != 2 {
		t.Errorf("exit code %d, want 2 (if this changed, Terraform changed: update the docs)", code)
	}
	for _, want := range []string{"Plan: 0 to add, 0 to change, 0 to destroy.", "will be read during apply"} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "Check block assertion failed") {
		t.Errorf("the assertion failed though the bot is in the chat\n%s", out)
	}
}
