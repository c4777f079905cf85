package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// make demo keeps working: the tour runs to the end and shows each of its points, the CI
// audit's three outcomes among them.
func TestDemo(t *testing.T) {
	cmd := exec.Command("bash", "../../scripts/demo.sh")
	cmd.Env = append(os.Environ(), "TERRAFORM="+terraformPath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/demo.sh: %v\n%s", err, out)
	}
	for _, want := range []string{
		`bot = "Ops Bot (@123abcde)"`,
		`all_hands = "251 members, 250 listed`,
		`Apply complete! Resources: 3 added`,
		// The audit: 0 while the bot is in every chat, 1 naming the chat once it was removed,
		// 1 with another message when LINE refuses the credentials.
		"the audit, with the bot in every chat\n    No changes.",
		`Exit code 0: CI passes.`,
		`Warning: The bot is no longer in group chat C4e1ea5e0000000000000000000000002`,
		`Error: Resource postcondition failed`,
		`The bot is not in release_train (C4e1ea5e0000000000000000000000002).`,
		`line_bot_membership.release will be created`,
		`Exit code 1: the plan fails and names the chat`,
		`Error: Unable to tell whether the bot is`,
		`LINE refused the channel ID and secret`,
		`Exit code 1, but the message says LINE refused the credentials`,
		`Destroy complete! Resources: 2 destroyed.`,
		`{"chatId":"C0c500000000000000000000000000001","botJoined":false}`,
		`{"chatId":"R400b0000000000000000000000000001","botJoined":false}`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the demo's output lacks %q", want)
		}
	}
	// The action is shown when the Terraform supports actions, and said to be left out when not.
	action := []string{"Actions: not shown", "older than 1.14"}
	if terraformAtLeast(t, "1.14.0") {
		action = []string{"Pushing to group chat C0c500000000000000000000000000001", "Delivered, request ID ", `"used":4`}
	}
	for _, want := range action {
		if !strings.Contains(string(out), want) {
			t.Errorf("the demo's output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("demo output:\n%s", out)
	}
}
