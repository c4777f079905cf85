package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// Actions came with Terraform 1.14; before_destroy and after_destroy events with 1.16.
var (
	actionsSupported        = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}
	destroyActionsSupported = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0")))}
)

// notifyConfig is a terraform_data standing for a deployment, which pushes text to the Ops
// group when it is created or changed.
func notifyConfig(mock *mockLINE, input, text string) string {
	return mock.config(fmt.Sprintf(`
action "line_push_message" "notify" {
  config {
    group_id = %q
    text     = %q
  }
}

resource "terraform_data" "deploy" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.line_push_message.notify]
    }
  }
}`, linemock.DemoGroupOps, text, input))
}

// pushedTexts is a check that the mock received exactly these messages, in order.
func pushedTexts(mock *mockLINE, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, m := range mock.PushedMessages() {
			got = append(got, m.To+": "+strings.Join(m.Texts, " | "))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("pushed messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		return nil
	}
}

// pushRequests counts the push requests the mock received.
func pushRequests(mock *mockLINE) int { return mock.CountRequests(linemock.EndpointPushMessage) }

// TestAccPushMessageAction_afterCreateAndUpdate: a deployment is announced when it is
// created and when it changes, and not when a plan finds nothing to do.
func TestAccPushMessageAction_afterCreateAndUpdate(t *testing.T) {
	mock := newMockLINE(t, nil)
	ops := linemock.DemoGroupOps + ": "
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{
			{
				Config: notifyConfig(mock, "v1", "Deployed v1 🚀"),
				Check:  pushedTexts(mock, ops+"Deployed v1 🚀"),
			},
			{
				Config: notifyConfig(mock, "v2", "Deployed v2"),
				Check:  pushedTexts(mock, ops+"Deployed v1 🚀", ops+"Deployed v2"),
			},
			{
				// Nothing changes, so nothing triggers the action.
				Config:   notifyConfig(mock, "v2", "Deployed v2"),
				PlanOnly: true,
				Check:    pushedTexts(mock, ops+"Deployed v1 🚀", ops+"Deployed v2"),
			},
		},
	})
	for _, m := range mock.PushedMessages() {
		if m.NotificationDisabled {
			t.Errorf("message %q was sent silently; notification_disabled defaults to false", m.Texts)
		}
	}
}

// TestAccPushMessageAction_roomSilently: a multi-person chat, without a notification.
func TestAccPushMessageAction_roomSilently(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: mock.config(`
action "line_push_message" "quiet" {
  config {
    room_id               = "` + linemock.DemoRoom + `"
    text                  = "nightly backup done"
    notification_disabled = true
    timeouts {
      invoke = "1m"
    }
  }
}

resource "terraform_data" "backup" {
  input = "nightly"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.line_push_message.quiet]
    }
  }
}`),
			Check: resource.ComposeTestCheckFunc(
				pushedTexts(mock, linemock.DemoRoom+": nightly backup done"),
				func(*terraform.State) error {
					if m := mock.PushedMessages(); len(m) != 1 || !m[0].NotificationDisabled || m[0].RetryKey == "" {
						return fmt.Errorf("pushed = %+v, want one silent message with a retry key", m)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccPushMessageAction_badInput: each invalid configuration fails at plan, naming the
// attribute, and nothing reaches LINE.
func TestAccPushMessageAction_badInput(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(args string) string {
		return mock.config(`
action "line_push_message" "bad" {
  config {
` + args + `
  }
}

resource "terraform_data" "x" {
  input = "x"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.line_push_message.bad]
    }
  }
}`)
	}
	group, room := `group_id = "`+linemock.DemoGroupOps+`"`, `room_id = "`+linemock.DemoRoom+`"`
	var steps []resource.TestStep
	for _, tc := range []struct{ args, want string }{
		{group + "\n" + room + "\ntext = \"x\"", `(?s)Invalid Attribute Combination.*Exactly one of these attributes must be configured: \[group_id,room_id\]`},
		{`text = "x"`, `(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[group_id,room_id\]`},
		{`group_id = "` + linemock.DemoRoom + `"` + "\ntext = \"x\"", `(?s)Attribute group_id must be "C" followed by 32 lowercase hexadecimal digits`},
		{`room_id = "Rnot-an-id"` + "\ntext = \"x\"", `(?s)Attribute room_id must be "R" followed by 32 lowercase hexadecimal digits`},
		{group + "\ntext = \"\"", `(?s)Attribute text must be 1 to 5,000 characters.*got an empty text`},
		{group + "\ntext = \"" + strings.Repeat("🚀", 2501) + "\"", `(?s)Attribute text must be 1 to 5,000 characters.*got 5002`},
		{group, `(?s)Exactly one of these attributes must be configured: \[text,messages_json\]`},
		{group + "\ntext = \"x\"\ntimeouts {\n  invoke = \"soon\"\n}", `(?s)invoke`},
	} {
		steps = append(steps, resource.TestStep{Config: config(tc.args), ExpectError: regexp.MustCompile(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps:                    steps,
	})
	if n := len(mock.Requests()); n != 0 {
		t.Fatalf("%d requests reached LINE for invalid input, want none", n)
	}
}

// TestAccPushMessageAction_botNotInChat: LINE refuses a push to a chat the bot is not in;
// the error names the chat and says to invite the bot, and nothing is sent.
func TestAccPushMessageAction_botNotInChat(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: mock.config(`
action "line_push_message" "hello" {
  config {
    group_id = "` + linemock.DemoGroupNotJoined + `"
    text     = "hello?"
  }
}

resource "terraform_data" "x" {
  input = "x"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.line_push_message.hello]
    }
  }
}`),
			ExpectError: wrapped(`Unable to push a message to the group chat ` + linemock.DemoGroupNotJoined +
				`: the bot is not in it.*Failed to send messages.*must invite the bot`),
		}},
	})
	if n := pushRequests(mock); n != 1 {
		t.Errorf("%d push requests, want 1 (a 400 is final)", n)
	}
	if m := mock.PushedMessages(); len(m) != 0 {
		t.Errorf("pushed %+v, want nothing", m)
	}
}

// TestAccPushMessageAction_monthlyLimit: the monthly limit fails the push at once, with one
// request: LINE's 429 for the limit is not the passing rate limit, so it is not retried.
func TestAccPushMessageAction_monthlyLimit(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetMessageQuota(3) // the Ops group has 4 members: a push counts 4
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config:      notifyConfig(mock, "v1", "Deployed v1"),
			ExpectError: wrapped(`the monthly message limit is reached.*You have reached your monthly limit.*did not retry`),
		}},
	})
	if n := pushRequests(mock); n != 1 {
		t.Errorf("%d push requests, want 1: the monthly limit is final", n)
	}
	if m := mock.PushedMessages(); len(m) != 0 {
		t.Errorf("pushed %+v, want nothing", m)
	}
}

// TestAccPushMessageAction_unauthorized: a bad token gets the usual advice.
func TestAccPushMessageAction_unauthorized(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			// The plan's check of the message with LINE meets the 401 first.
			Config: strings.Replace(notifyConfig(mock, "v1", "Deployed v1"), linemock.DemoToken, "not-the-token", 1),
			ExpectError: wrapped(`Unable to check the message with LINE.*validate the message with LINE: LINE answered 401` +
				`.*The channel access token from channel_access_token in the provider block is invalid, expired or revoked`),
		}},
	})
	if m := mock.PushedMessages(); len(m) != 0 || pushRequests(mock) != 0 {
		t.Errorf("pushed %+v after %d push requests, want nothing", m, pushRequests(mock))
	}
}

// TestAccPushMessageAction_lostAnswerPostsOnce: LINE carries out the push but its answer is
// lost (500). The retry carries the same retry key, LINE answers 409, and the push counts as
// delivered: one message, two requests. The fault is lifted once the first push is carried
// out, before its answer leaves, so the story is the same on every run.
func TestAccPushMessageAction_lostAnswerPostsOnce(t *testing.T) {
	srv, err := linemock.New(linemock.DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFault(linemock.EndpointPushMessage, linemock.Fault{LostResponse: 1})
	var once sync.Once
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r) // a small answer stays buffered until this handler returns
		if r.URL.Path == "/v2/bot/message/push" {
			once.Do(func() { srv.SetFault(linemock.EndpointPushMessage, linemock.Fault{}) })
		}
	}))
	t.Cleanup(func() { srv.Close(); ts.Close() })
	mock := &mockLINE{Server: srv, URL: ts.URL}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: notifyConfig(mock, "v1", "Deployed v1"),
			Check:  pushedTexts(mock, linemock.DemoGroupOps+": Deployed v1"),
		}},
	})
	pushes := pushRequestsMade(mock)
	if len(pushes) != 2 {
		t.Fatalf("%d push requests, want 2", len(pushes))
	}
	key := pushes[0].Header.Get("X-Line-Retry-Key")
	if key == "" || pushes[1].Header.Get("X-Line-Retry-Key") != key {
		t.Errorf("retry keys %q and %q, want one key on both", key, pushes[1].Header.Get("X-Line-Retry-Key"))
	}
	if pushes[0].Status != 500 || !pushes[0].Lost || pushes[1].Status != 409 {
		t.Errorf("statuses %d (lost %v), %d; want a lost 500, then 409", pushes[0].Status, pushes[0].Lost, pushes[1].Status)
	}
}

// TestAccPushMessageAction_lostAnswersAtRandom: every other answer of the push endpoint is
// lost, at random (fresh draws on every run). Whatever the draws, the message is posted
// exactly once, every attempt carries the same key, and the last answer is the 200 of a
// first attempt or LINE's 409 for the key it accepted.
func TestAccPushMessageAction_lostAnswersAtRandom(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointPushMessage, linemock.Fault{LostResponse: 0.5})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			// 20 retries: all 21 answers lost has a chance of one in two million.
			Config: strings.Replace(notifyConfig(mock, "v1", "Deployed v1"), "\n}\n", "\n  max_retries = 20\n}\n", 1),
			Check:  pushedTexts(mock, linemock.DemoGroupOps+": Deployed v1"),
		}},
	})
	pushes := pushRequestsMade(mock)
	last := pushes[len(pushes)-1]
	for i, p := range pushes {
		if p.Header.Get("X-Line-Retry-Key") != pushes[0].Header.Get("X-Line-Retry-Key") {
			t.Errorf("push %d has retry key %q, the first had %q", i, p.Header.Get("X-Line-Retry-Key"), pushes[0].Header.Get("X-Line-Retry-Key"))
		}
		if i < len(pushes)-1 && (p.Status != 500 || !p.Lost) {
			t.Errorf("push %d answered %d (lost %v), want a lost 500 before the last", i, p.Status, p.Lost)
		}
	}
	if want := map[bool]int{true: 200, false: 409}[len(pushes) == 1]; last.Status != want {
		t.Errorf("last of %d pushes answered %d, want %d", len(pushes), last.Status, want)
	}
}

// pushRequestsMade lists the push requests the mock received, in order.
func pushRequestsMade(mock *mockLINE) []linemock.Request {
	var pushes []linemock.Request
	for _, r := range mock.Requests() {
		if r.Endpoint == linemock.EndpointPushMessage {
			pushes = append(pushes, r)
		}
	}
	return pushes
}

// TestAccPushMessageAction_goodbyeBeforeLeaving: a before_destroy action on a membership
// says goodbye while the bot can still post, then destroy makes the bot leave.
func TestAccPushMessageAction_goodbyeBeforeLeaving(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   destroyActionsSupported,
		CheckDestroy: func(s *terraform.State) error {
			if err := pushedTexts(mock, linemock.DemoGroupRelease+": Goodbye: this bot is leaving the chat.")(s); err != nil {
				return err
			}
			var order []string
			for _, r := range mock.Requests() {
				if r.Endpoint == linemock.EndpointPushMessage || r.Endpoint == linemock.EndpointGroupLeave {
					order = append(order, r.Endpoint)
				}
			}
			if strings.Join(order, ", ") != linemock.EndpointPushMessage+", "+linemock.EndpointGroupLeave {
				return fmt.Errorf("requests %q, want the push before the leave", order)
			}
			return checkBotLeft(t, mock, linemock.DemoGroupRelease)(s)
		},
		Steps: []resource.TestStep{{
			Config: mock.config(`
action "line_push_message" "goodbye" {
  config {
    group_id = "` + linemock.DemoGroupRelease + `"
    text     = "Goodbye: this bot is leaving the chat."
  }
}

resource "line_bot_membership" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.line_push_message.goodbye]
    }
  }
}`),
			Check: pushedTexts(mock), // adopting says nothing
		}},
	})
}
