package e2e

import (
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
