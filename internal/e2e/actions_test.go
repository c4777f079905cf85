package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const helloAction = `
action "line_push_message" "hello" {
  config {
    group_id = "` + linemock.DemoGroupOps + `"
    text     = "Hello from terraform apply -invoke 👋"
  }
}
`

// TestInvokePushMessage: terraform plan -invoke shows the action and sends nothing; apply
// -invoke pushes once and shows the progress messages.
func TestInvokePushMessage(t *testing.T) {
	if !terraformAtLeast(t, "1.14.0") {
		t.Skip("actions need Terraform 1.14 or later")
	}
	w := newWorkspace(t, nil)
	w.write(`provider "line" {
  channel_access_token = "` + linemock.DemoToken + `"
}
` + helloAction)
	plan := w.mustTerraform(nil, "plan", "-no-color", "-input=false", "-invoke=action.line_push_message.hello")
	if !strings.Contains(plan, "action.line_push_message.hello") {
		t.Errorf("the plan does not show the action:\n%s", plan)
	}
	if n := w.mock.CountRequests(linemock.EndpointPushMessage); n != 0 {
		t.Fatalf("plan made %d push requests, want none", n)
	}
	out := w.mustTerraform(nil, "apply", "-no-color", "-input=false", "-auto-approve", "-invoke=action.line_push_message.hello")
	for _, want := range []string{"Pushing to group chat " + linemock.DemoGroupOps, "Delivered, request ID "} {
		if !strings.Contains(out, want) {
			t.Errorf("apply -invoke output lacks %q:\n%s", want, out)
		}
	}
	pushed := w.mock.PushedMessages()
	if len(pushed) != 1 || pushed[0].To != linemock.DemoGroupOps || strings.Join(pushed[0].Texts, "") != "Hello from terraform apply -invoke 👋" {
		t.Fatalf("pushed = %+v, want the one hello", pushed)
	}
	// The receipt in the progress message is LINE's.
	if !strings.Contains(out, "Delivered, request ID "+pushed[0].RequestID) {
		t.Errorf("apply -invoke output does not name request %s:\n%s", pushed[0].RequestID, out)
	}
}

// TestInvokePushMessageBadInput: -invoke's plan refuses invalid input and sends nothing.
func TestInvokePushMessageBadInput(t *testing.T) {
	if !terraformAtLeast(t, "1.14.0") {
		t.Skip("actions need Terraform 1.14 or later")
	}
	w := newWorkspace(t, nil)
	w.write(`provider "line" {
  channel_access_token = "` + linemock.DemoToken + `"
}

action "line_push_message" "bad" {
  config {
    room_id = "` + linemock.DemoGroupOps + `"
    text    = ""
  }
}
`)
	out, err := w.Run(nil, "apply", "-no-color", "-input=false", "-auto-approve", "-invoke=action.line_push_message.bad")
	if err == nil {
		t.Fatalf("apply -invoke succeeded:\n%s", out)
	}
	for _, want := range []string{"Attribute room_id must be", "Attribute text must be 1 to 5,000 characters"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := len(w.mock.Requests()); n != 0 {
		t.Fatalf("%d requests reached LINE, want none", n)
	}
}

// TestInvokePushMessageAlertExamples runs the action examples of the docs against the mock,
// as a pipeline would: terraform plan -invoke checks each message with LINE's validate
// endpoint and sends nothing; apply -invoke pushes it, and the chat shows the mentions.
func TestInvokePushMessageAlertExamples(t *testing.T) {
	if !terraformAtLeast(t, "1.14.0") {
		t.Skip("actions need Terraform 1.14 or later")
	}
	w := newWorkspace(t, nil)
	var config strings.Builder
	for _, name := range []string{"action-deploy-failed.tf", "action-oncall.tf", "action-flex.tf", "action-retry-key.tf"} {
		data, err := os.ReadFile(filepath.Join("../../examples/actions/line_push_message", name))
		if err != nil {
			t.Fatal(err)
		}
		config.Write(data)
		config.WriteString("\n")
	}
	w.write(config.String())
	env := []string{"LINE_CHANNEL_ACCESS_TOKEN=" + linemock.DemoToken}
	for i, tc := range []struct{ action, shown string }{
		{"deploy_failed", "@All ❌ The deploy of v1.4.2 failed and is rolling back."},
		{"page_oncall", "@Ben checkout's error rate is over 5%. Runbook: https://runbooks.example.com/checkout"},
		{"status_card", "checkout v1.4.2: deployed"},
		{"run_failed", "❌ Pipeline run 1234 failed: https://ci.example.com/runs/1234"},
	} {
		args := []string{"-no-color", "-input=false", "-var=ci_run_id=1234", "-invoke=action.line_push_message." + tc.action}
		w.mustTerraform(env, append([]string{"plan"}, args...)...)
		if n, pushed := w.mock.CountRequests(linemock.EndpointValidatePush), len(w.mock.PushedMessages()); n != 2*i+1 || pushed != i {
			t.Fatalf("%s: after plan, %d validate requests and %d pushed; want %d and %d", tc.action, n, pushed, 2*i+1, i)
		}
		out := w.mustTerraform(env, append([]string{"apply", "-auto-approve"}, args...)...)
		pushed := w.mock.PushedMessages()
		if len(pushed) != i+1 || strings.Join(pushed[i].Texts, "") != tc.shown {
			t.Fatalf("%s: pushed %+v, want the chat to show %q", tc.action, pushed, tc.shown)
		}
		if !strings.Contains(out, "Delivered, request ID "+pushed[i].RequestID) {
			t.Errorf("%s: apply -invoke output does not name request %s:\n%s", tc.action, pushed[i].RequestID, out)
		}
	}
}

// flexWithSpacer is a status card with a spacer, a component LINE no longer accepts.
const flexWithSpacer = `
action "line_push_message" "status" {
  config {
    group_id = "` + linemock.DemoGroupOps + `"
    messages_json = jsonencode([{
      type    = "flex"
      altText = "Deploy status"
      contents = {
        type = "bubble"
        body = {
          type   = "box"
          layout = "vertical"
          contents = [
            { type = "text", text = "checkout v1.4.2: deployed" },
            { type = "spacer", size = "sm" },
          ]
        }
      }
    }])
  }
}
`

// TestInvokePushMessageFlexRefusedAtPlan: terraform plan -invoke of a Flex message LINE
// refuses fails with LINE's reason and property, after one validate request; nothing is sent.
func TestInvokePushMessageFlexRefusedAtPlan(t *testing.T) {
	if !terraformAtLeast(t, "1.14.0") {
		t.Skip("actions need Terraform 1.14 or later")
	}
	w := newWorkspace(t, nil)
	w.write(`provider "line" {
  channel_access_token = "` + linemock.DemoToken + `"
}
` + flexWithSpacer)
	out, err := w.Run(nil, "plan", "-no-color", "-input=false", "-invoke=action.line_push_message.status")
	t.Logf("terraform plan -invoke of a refused Flex message:\n%s", out)
	if err == nil {
		t.Fatal("the plan succeeded")
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"Error: LINE refuses the message",
		"LINE's validate endpoint refuses messages_json, so LINE would refuse the push. Nothing was sent.",
		"LINE answered: A message (messages[0]) in the request body is invalid - invalid property (property /body/contents/1)",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("plan output lacks %q", want)
		}
	}
	if v, p := w.mock.CountRequests(linemock.EndpointValidatePush), w.mock.CountRequests(linemock.EndpointPushMessage); v != 1 || p != 0 {
		t.Errorf("%d validate and %d push requests, want 1 and 0", v, p)
	}
}

// TestInvokePushMessageRetryKeyRerun: a pipeline re-run invokes the action with the same
// retry_key; LINE answers 409, the apply succeeds and says the message was already
// delivered, naming the accepted request. The chat has the message once.
func TestInvokePushMessageRetryKeyRerun(t *testing.T) {
	if !terraformAtLeast(t, "1.14.0") {
		t.Skip("actions need Terraform 1.14 or later")
	}
	w := newWorkspace(t, nil)
	data, err := os.ReadFile("../../examples/actions/line_push_message/action-retry-key.tf")
	if err != nil {
		t.Fatal(err)
	}
	w.write(`provider "line" {
  channel_access_token = "` + linemock.DemoToken + `"
}
` + string(data))
	args := []string{"apply", "-no-color", "-input=false", "-auto-approve", "-var=ci_run_id=1234", "-invoke=action.line_push_message.run_failed"}
	first := w.mustTerraform(nil, args...)
	rerun := w.mustTerraform(nil, args...)
	t.Logf("terraform apply -invoke, re-run with the same retry_key:\n%s", rerun)
	pushed := w.mock.PushedMessages()
	if len(pushed) != 1 {
		t.Fatalf("pushed %+v, want one message", pushed)
	}
	// uuidv5("url", "https://ci.example.com/runs/1234"), as Terraform computes it.
	if pushed[0].RetryKey != "c6a2ab0c-1edd-5cf3-a650-88f80b80a29d" {
		t.Errorf("retry key %q, want the UUID of run 1234", pushed[0].RetryKey)
	}
	if !strings.Contains(first, "Delivered, request ID "+pushed[0].RequestID) {
		t.Errorf("first apply does not name request %s:\n%s", pushed[0].RequestID, first)
	}
	want := "Already delivered: LINE had accepted a push with retry key " + pushed[0].RetryKey + " (request ID " +
		pushed[0].RequestID + "), so nothing was sent again"
	if !strings.Contains(rerun, want) {
		t.Errorf("re-run output lacks %q:\n%s", want, rerun)
	}
	var statuses []int
	for _, r := range w.mock.Requests() {
		if r.Endpoint == linemock.EndpointPushMessage {
			statuses = append(statuses, r.Status)
		}
	}
	if len(statuses) != 2 || statuses[0] != 200 || statuses[1] != 409 {
		t.Errorf("push statuses %v, want 200 then 409", statuses)
	}
}
