package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// What the real CLI shows when a plan would make the bot leave a chat the configuration
// still declares, and what it shows when LINE may have done what it did not confirm. The
// outputs are logged (go test -v) for the record.

var tokenEnv = []string{"LINE_CHANNEL_ACCESS_TOKEN=" + linemock.DemoToken}

// membership is one line_bot_membership of a group, with extra lines in its block.
func membership(name, chatID, extra string) string {
	return "resource \"line_bot_membership\" \"" + name + "\" {\n  group_id = \"" + chatID + "\"\n" + extra + "}\n"
}

// fields joins the output's words with single spaces: Terraform wraps long diagnostics.
func fields(out string) string { return strings.Join(strings.Fields(out), " ") }

// expectOutput fails the test for each phrase the output lacks.
func expectOutput(t *testing.T, out string, phrases ...string) {
	t.Helper()
	flat := fields(out)
	for _, p := range phrases {
		if !strings.Contains(flat, fields(p)) {
			t.Errorf("output lacks %q:\n%s", p, out)
		}
	}
}

// expectBotInOps fails the test unless the bot is in the Ops group and no leave request was
// made.
func (w *workspace) expectBotInOps() {
	w.t.Helper()
	if joined, err := w.mock.BotJoined(linemock.DemoGroupOps); err != nil || !joined {
		w.t.Fatalf("the bot is not in the Ops group (%v)", err)
	}
	if n := w.mock.CountRequests(linemock.EndpointGroupLeave); n != 0 {
		w.t.Fatalf("%d leave requests, want none", n)
	}
}

// expectEmptyPlan runs terraform plan -detailed-exitcode, which exits 0 only when the plan
// is empty.
func (w *workspace) expectEmptyPlan() {
	w.t.Helper()
	if out, err := w.Run(tokenEnv, "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		w.t.Fatalf("the plan is not empty: %v\n%s", err, out)
	}
}

// mustFail runs terraform, expecting it to fail, and returns its output.
func (w *workspace) mustFail(args ...string) string {
	w.t.Helper()
	out, err := w.Run(tokenEnv, args...)
	if err == nil {
		w.t.Fatalf("terraform %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	return out
}

// A rename without a moved block: plan and apply stop with the refusal, the bot stays; the
// moved block then applies with nothing to do.
func TestMembershipRenameWithoutMoved(t *testing.T) {
	w := newWorkspace(t, nil)
	w.write(membership("ops", linemock.DemoGroupOps, ""))
	w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	w.write(membership("ops_alerts", linemock.DemoGroupOps, ""))
	plan := w.mustFail("plan", "-input=false", "-no-color")
	t.Logf("terraform plan after a rename without moved:\n%s", plan)
	apply := w.mustFail("apply", "-auto-approve", "-input=false", "-no-color")
	t.Logf("terraform apply after a rename without moved:\n%s", apply)
	for _, out := range []string{plan, apply} {
		expectOutput(t, out,
			"Error: The bot would leave the group chat "+linemock.DemoGroupOps+", which the configuration still declares",
			"The plan stops here and nothing has changed.",
			"moved {", "leave_on_destroy = false")
	}
	w.expectBotInOps()

	w.write(membership("ops_alerts", linemock.DemoGroupOps, "") + `
moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.ops_alerts
}
`)
	out := w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	expectOutput(t, out, "line_bot_membership.ops has moved to line_bot_membership.ops_alerts", "0 added, 0 changed, 0 destroyed")
	w.expectBotInOps()
	w.expectEmptyPlan()
}

// replacementOrders is the lifecycle block, if any, for each order in which Terraform
// replaces a membership.
var replacementOrders = map[string]string{
	"destroy first": "",
	"create first":  "  lifecycle {\n    create_before_destroy = true\n  }\n",
}

// terraform apply -replace, in either order of replacement: refused, the bot stays, and the
// next plan is empty.
func TestMembershipReplaceFlag(t *testing.T) {
	for name, extra := range replacementOrders {
		t.Run(name, func(t *testing.T) {
			w := newWorkspace(t, nil)
			w.write(membership("ops", linemock.DemoGroupOps, extra))
			w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
			out := w.mustFail("apply", "-auto-approve", "-input=false", "-no-color", "-replace=line_bot_membership.ops")
			t.Logf("terraform apply -replace (%s):\n%s", name, out)
			expectOutput(t, out,
				"Error: Replacing this membership would make the bot leave the group chat "+linemock.DemoGroupOps,
				"with line_bot_membership.ops",
				"Replacing a membership has nothing to redo",
				"Leave this resource out of -replace")
			w.expectBotInOps()
			w.expectEmptyPlan()
		})
	}
}

// A tainted membership planned without refresh: the plan cannot see the object it replaces,
// so the apply keeps the bot in the chat it adopts again, and says so.
func TestMembershipTaintedWithoutRefresh(t *testing.T) {
	for name, extra := range replacementOrders {
		t.Run(name, func(t *testing.T) {
			w := newWorkspace(t, nil)
			w.write(membership("ops", linemock.DemoGroupOps, extra))
			w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
			w.mustTerraform(nil, "taint", "-no-color", "line_bot_membership.ops")
			out := w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color", "-refresh=false")
			t.Logf("terraform apply -refresh=false of a tainted membership (%s):\n%s", name, out)
			expectOutput(t, out, "line_bot_membership.ops is tainted",
				"Warning: Destroyed without leaving group chat "+linemock.DemoGroupOps,
				"1 added, 0 changed, 1 destroyed")
			w.expectBotInOps()
			w.expectEmptyPlan()
		})
	}
}

// Replacements that the plan cannot check warn, naming the chat the bot leaves first and
// create_before_destroy: a new chat known only at apply, and a provider configuration known
// only at apply.
func TestMembershipReplacementWarnings(t *testing.T) {
	t.Run("new chat known at apply", func(t *testing.T) {
		w := newWorkspace(t, nil)
		w.write(membership("ops", linemock.DemoGroupOps, ""))
		w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
		w.write(`resource "terraform_data" "next" {
  input = "` + linemock.DemoGroupRelease + `"
}
resource "line_bot_membership" "ops" {
  group_id = terraform_data.next.output
}
`)
		out := w.mustTerraform(tokenEnv, "plan", "-input=false", "-no-color")
		t.Logf("terraform plan with a new chat known only at apply:\n%s", out)
		expectOutput(t, out,
			"Warning: The bot leaves the group chat "+linemock.DemoGroupOps+" before the new chat can be checked",
			"with line_bot_membership.ops",
			"the bot leaves the group chat "+linemock.DemoGroupOps+" for good",
			"With lifecycle { create_before_destroy = true } in this resource, the new chat is adopted first")
	})
	t.Run("provider configuration known at apply", func(t *testing.T) {
		w := newWorkspace(t, nil)
		w.write(membership("ops", linemock.DemoGroupOps, ""))
		w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
		w.write(`resource "terraform_data" "timeout" {
  input = "30s"
}
provider "line" {
  request_timeout = terraform_data.timeout.output
}
` + membership("ops", linemock.DemoGroupRelease, ""))
		w.mock.ResetRequests()
		out := w.mustTerraform(tokenEnv, "plan", "-input=false", "-no-color")
		t.Logf("terraform plan with a provider configuration known only at apply:\n%s", out)
		expectOutput(t, out,
			"Warning: The bot leaves the group chat "+linemock.DemoGroupOps+" before the group chat "+
				linemock.DemoGroupRelease+" can be checked",
			"The provider configuration depends on values known only after apply",
			"With lifecycle { create_before_destroy = true } in this resource, the group chat "+
				linemock.DemoGroupRelease+" is adopted first")
		if n := w.mock.CountRequests(""); n != 0 {
			t.Errorf("%d requests during a plan whose provider configuration was unknown, want none", n)
		}
	})
}

// expectNoPlanMarkInState fails the test when a membership's private state in
// terraform.tfstate holds the mark its plan left ("plan"): a mark in state would reach a
// later Delete that is handed the state's own private state, and could make it skip leaving.
func (w *workspace) expectNoPlanMarkInState() {
	w.t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		w.t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Private []byte `json:"private"` // base64 in the file
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		w.t.Fatal(err)
	}
	memberships := 0
	for _, r := range state.Resources {
		if r.Type != "line_bot_membership" {
			continue
		}
		for _, inst := range r.Instances {
			memberships++
			if len(inst.Private) == 0 {
				continue
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(inst.Private, &keys); err != nil {
				w.t.Fatalf("private state %q: %v", inst.Private, err)
			}
			if _, ok := keys["plan"]; ok {
				w.t.Errorf("the state's private state holds a plan's mark: %s", inst.Private)
			}
		}
	}
	if memberships == 0 {
		w.t.Fatal("no line_bot_membership in state")
	}
}

// What Create records is the membership, never the mark its plan left in private state: after
// a create, a replacement in either order, and a tainted membership's replacement.
func TestMembershipStateHoldsNoPlanMark(t *testing.T) {
	w := newWorkspace(t, nil)
	apply := func(config string, args ...string) {
		t.Helper()
		w.write(config)
		w.mustTerraform(tokenEnv, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, args...)...)
		w.expectNoPlanMarkInState()
	}
	const first = "  lifecycle {\n    create_before_destroy = true\n  }\n"
	apply(membership("ops", linemock.DemoGroupOps, ""))
	apply(membership("ops", linemock.DemoGroupRelease, ""))
	if err := w.mock.InviteBot(linemock.DemoGroupOps); err != nil { // it left with the replacement
		t.Fatal(err)
	}
	apply(membership("ops", linemock.DemoGroupOps, first))
	w.mustTerraform(nil, "taint", "-no-color", "line_bot_membership.ops")
	apply(membership("ops", linemock.DemoGroupOps, first))
}

// A saved plan is applied as it was checked, but LINE may have changed meanwhile: the bot
// removed from the new chat of a planned change of chat. The apply checks that chat again
// before the bot leaves the old one, fails, and the bot stays.
func TestMembershipSavedPlanChecksTheNewChatAgain(t *testing.T) {
	w := newWorkspace(t, nil)
	w.write(membership("ops", linemock.DemoGroupOps, ""))
	w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	w.write(membership("ops", linemock.DemoGroupRelease, ""))
	w.mustTerraform(tokenEnv, "plan", "-input=false", "-no-color", "-out=tfplan")
	if err := w.mock.KickBot(linemock.DemoGroupRelease); err != nil {
		t.Fatal(err)
	}
	out := w.mustFail("apply", "-input=false", "-no-color", "tfplan")
	t.Logf("terraform apply of a saved plan whose new chat the bot has left since:\n%s", out)
	expectOutput(t, out,
		"Error: The bot is not in group chat "+linemock.DemoGroupRelease+": replacing the membership of group chat "+
			linemock.DemoGroupOps+" would strand it",
		"The apply stops here, before the bot leaves group chat "+linemock.DemoGroupOps+": the bot has not left")
	w.expectBotInOps()
}

// A rename whose new chat is known only at apply: the plan cannot compare the chats, so it
// warns, naming the chat the bot would leave and what makes the change safe; with a moved
// block and create_before_destroy, the apply keeps the bot in the chat.
func TestMembershipRenameToChatKnownOnlyAtApply(t *testing.T) {
	w := newWorkspace(t, nil)
	w.write(membership("ops", linemock.DemoGroupOps, ""))
	w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	renamed := `resource "terraform_data" "ids" {
  input = { ops = "` + linemock.DemoGroupOps + `" }
}
resource "line_bot_membership" "ops_alerts" {
  group_id = terraform_data.ids.output.ops
  lifecycle {
    create_before_destroy = true
  }
}
`
	w.write(renamed)
	plan := w.mustTerraform(tokenEnv, "plan", "-input=false", "-no-color")
	t.Logf("terraform plan after a rename to a chat known only at apply:\n%s", plan)
	expectOutput(t, plan,
		"Warning: The bot leaves the group chat "+linemock.DemoGroupOps+" while a membership's chat is known only after apply",
		"declares a chat known only after apply, so this plan cannot tell whether it is the group chat "+linemock.DemoGroupOps,
		"add a moved block", "lifecycle { create_before_destroy = true }", "leave_on_destroy = false",
		"Plan: 2 to add, 0 to change, 1 to destroy.")
	w.expectBotInOps()

	w.write(renamed + `
moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.ops_alerts
}
`)
	out := w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	t.Logf("terraform apply with the moved block:\n%s", out)
	expectOutput(t, out, "(moved from line_bot_membership.ops)",
		"Warning: Destroyed without leaving group chat "+linemock.DemoGroupOps, "2 added, 0 changed, 1 destroyed")
	w.expectBotInOps()
	w.expectEmptyPlan()
}

// newWorkspaceBehind is newWorkspace with LINE reached through front, which wraps the mock.
func newWorkspaceBehind(t *testing.T, front func(mock *linemock.Server) http.Handler) *workspace {
	t.Helper()
	mock, err := linemock.New(linemock.DemoFixture(), linemocktest.Options(t)...)
	if err != nil {
		t.Fatal(err)
	}
	linemocktest.LogSeed(t, mock)
	ts := linemocktest.NewServer(t, front(mock))
	t.Cleanup(mock.Close) // before ts.Close: releases hung requests, which it would wait for
	ws, err := tfharness.NewWorkspace(t.TempDir(), terraformPath, pluginDir, "LINE_API_ENDPOINT="+ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &workspace{Workspace: ws, t: t, mock: mock}
}

// A leave that LINE carried out but whose answer was lost, then 429s until the deadline:
// the destroy fails saying that the bot may have left, and the next plan finds it gone.
func TestMembershipLeaveMayHaveHappened(t *testing.T) {
	leavePath := "/v2/bot/group/" + linemock.DemoGroupOps + "/leave"
	w := newWorkspaceBehind(t, func(mock *linemock.Server) http.Handler {
		var once sync.Once
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.URL.Path != leavePath {
				mock.ServeHTTP(rw, r)
				return
			}
			// The first leave is carried out and its answer lost; from then on, before that
			// answer leaves, LINE throttles.
			answer := httptest.NewRecorder()
			mock.ServeHTTP(answer, r)
			once.Do(func() { mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{Rate429: 1}) })
			for k, v := range answer.Header() {
				rw.Header()[k] = v
			}
			rw.WriteHeader(answer.Code)
			_, _ = rw.Write(answer.Body.Bytes())
		})
	})
	w.write(membership("ops", linemock.DemoGroupOps, "  timeouts {\n    delete = \"3s\"\n  }\n"))
	w.mustTerraform(tokenEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	w.mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{LostResponse: 1})
	out := w.mustFail("destroy", "-auto-approve", "-input=false", "-no-color")
	t.Logf("terraform destroy, the leave's answer lost and then 429s:\n%s", out)
	expectOutput(t, out, "Error: The bot may have left group chat "+linemock.DemoGroupOps,
		"LINE was still throttling", "LINE may have carried the leave out",
		"The next plan refreshes it and tells")
	if strings.Contains(out, "still in") {
		t.Errorf("the error says the bot is still in the chat:\n%s", out)
	}
	if joined, _ := w.mock.BotJoined(linemock.DemoGroupOps); joined {
		t.Fatal("the lost leave was not carried out")
	}
	w.mock.ClearFaults()
	plan := w.mustTerraform(tokenEnv, "plan", "-input=false", "-no-color")
	t.Logf("the next plan:\n%s", plan)
	// The configuration still declares the chat, so the plan proposes to adopt it again.
	expectOutput(t, plan, "Warning: The bot is no longer in group chat "+linemock.DemoGroupOps,
		"Plan: 1 to add, 0 to change, 0 to destroy.")
}

// A push whose answer was lost and whose retry then waited in the provider's limiter (a
// second, at rate_limit = 1) past the last moment a push may start (the invoke deadline less
// request_timeout: 0.5s): apply -invoke fails saying the message may have been delivered.
func TestInvokePushMessageMayHaveBeenDelivered(t *testing.T) {
	if !terraformAtLeast(t, "1.14.0") {
		t.Skip("actions need Terraform 1.14 or later")
	}
	w := newWorkspace(t, nil)
	w.write(`provider "line" {
  rate_limit      = 1
  request_timeout = "2s"
}

action "line_push_message" "notify" {
  config {
    group_id = "` + linemock.DemoGroupOps + `"
    text     = "Deployed v1"
    timeouts {
      invoke = "2500ms"
    }
  }
}
`)
	w.mock.SetFault(linemock.EndpointPushMessage, linemock.Fault{LostResponse: 1})
	out := w.mustFail("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.line_push_message.notify")
	t.Logf("terraform apply -invoke, the push's answer lost and its retry queued past the deadline:\n%s", out)
	expectOutput(t, out,
		"Error: Unable to push a message to the group chat "+linemock.DemoGroupOps+": the message may have been delivered",
		"X-Line-Retry-Key", "invoking the action again makes a new push")
	if pushed := w.mock.PushedMessages(); len(pushed) != 1 {
		t.Fatalf("pushed %d messages, want the one whose answer was lost", len(pushed))
	}
	if n := w.mock.CountRequests(linemock.EndpointPushMessage); n != 1 {
		t.Errorf("%d push requests, want 1: the retry waited in the limiter past the deadline", n)
	}
}
