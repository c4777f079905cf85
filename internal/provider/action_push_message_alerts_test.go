package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// Mentions, message objects, the check with LINE at plan, and retry keys (issue 20).

// triggeredBy is an action "alert" with the given arguments, invoked when terraform_data
// "deploy" is created or its input changes.
func triggeredBy(mock *mockLINE, input, args string) string {
	return mock.config(`
action "line_push_message" "alert" {
  config {
` + args + `
  }
}

resource "terraform_data" "deploy" {
  input = ` + fmt.Sprintf("%q", input) + `
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.line_push_message.alert]
    }
  }
}`)
}

var opsGroup = `group_id = "` + linemock.DemoGroupOps + `"`

// validateRequests counts the requests to LINE's validate endpoint.
func validateRequests(mock *mockLINE) int { return mock.CountRequests(linemock.EndpointValidatePush) }

// checkedBeforeSent is a check that LINE's validate endpoint was asked, and every time before
// the first push.
func checkedBeforeSent(mock *mockLINE) resource.TestCheckFunc {
	return func(*terraform.State) error {
		validates, firstPush := 0, -1
		for i, r := range mock.Requests() {
			switch r.Endpoint {
			case linemock.EndpointValidatePush:
				if firstPush >= 0 {
					return fmt.Errorf("request %d validates after the push", i)
				}
				if r.Status != 200 {
					return fmt.Errorf("validate answered %d", r.Status)
				}
				validates++
			case linemock.EndpointPushMessage:
				if firstPush < 0 {
					firstPush = i
				}
			}
		}
		if validates == 0 || firstPush < 0 {
			return fmt.Errorf("%d validate requests, first push at %d: want the message validated, then pushed", validates, firstPush)
		}
		return nil
	}
}

// TestAccPushMessageAction_mentions: @All and the on-call engineer in one alert, checked with
// LINE at plan, then sent as a text message v2 that the chat shows with their names.
func TestAccPushMessageAction_mentions(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: triggeredBy(mock, "v1.2", opsGroup+`
    text     = "{everyone} ❌ deploy of {{v1.2}} failed: {oncall}, please look"
    mentions = {
      everyone = "all"
      oncall   = "`+linemock.DemoUserBen+`"
    }`),
			Check: resource.ComposeTestCheckFunc(
				pushedTexts(mock, linemock.DemoGroupOps+": @All ❌ deploy of {v1.2} failed: @Ben, please look"),
				checkedBeforeSent(mock),
				func(*terraform.State) error {
					p := mock.PushedMessages()[0]
					if !reflect.DeepEqual(p.Mentions, []string{"all", linemock.DemoUserBen}) {
						return fmt.Errorf("mentions %q", p.Mentions)
					}
					var msg struct{ Type, Text string }
					if err := json.Unmarshal(p.Messages[0], &msg); err != nil || msg.Type != "textV2" ||
						msg.Text != "{everyone} ❌ deploy of {{v1.2}} failed: {oncall}, please look" {
						return fmt.Errorf("sent %s, want the template as a textV2", p.Messages[0])
					}
					return nil
				},
			),
		}},
	})
}

// TestAccPushMessageAction_messagesJSON: a Flex status card and a sticker, built with
// jsonencode, are sent as written after LINE's validate endpoint accepted them.
func TestAccPushMessageAction_messagesJSON(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: triggeredBy(mock, "v1.2", `room_id = "`+linemock.DemoRoom+`"
    messages_json = jsonencode([
      {
        type    = "flex"
        altText = "Deploy v1.2 failed"
        contents = {
          type = "bubble"
          body = {
            type   = "box"
            layout = "vertical"
            contents = [
              { type = "text", text = "Deploy v1.2", weight = "bold" },
              { type = "text", text = "failed", color = "#d32f2f" },
            ]
          }
        }
      },
      { type = "sticker", packageId = "446", stickerId = "1988" },
    ])`),
			Check: resource.ComposeTestCheckFunc(
				pushedTexts(mock, linemock.DemoRoom+": Deploy v1.2 failed | (sticker)"),
				checkedBeforeSent(mock),
				func(*terraform.State) error {
					p := mock.PushedMessages()[0]
					var flex map[string]any
					if err := json.Unmarshal(p.Messages[0], &flex); err != nil {
						return err
					}
					body, _ := flex["contents"].(map[string]any)["body"].(map[string]any)
					if texts, _ := body["contents"].([]any); len(texts) != 2 || texts[1].(map[string]any)["color"] != "#d32f2f" {
						return fmt.Errorf("flex sent as %s", p.Messages[0])
					}
					if string(p.Messages[1]) != `{"packageId":"446","stickerId":"1988","type":"sticker"}` {
						return fmt.Errorf("sticker sent as %s, want jsonencode's object as written", p.Messages[1])
					}
					return nil
				},
			),
		}},
	})
}

// TestAccPushMessageAction_refusedAtPlan: each message the provider can tell LINE would
// refuse fails the plan, naming the attribute (and the key), with no request at all: neither
// a push nor a validate. Values known only at plan (a variable) are checked then too.
func TestAccPushMessageAction_refusedAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	sticker := `{ type = "sticker", packageId = "446", stickerId = "1988" }`
	var steps []resource.TestStep
	for _, tc := range []struct{ args, want string }{
		{`text = "{oncall} look"` + "\nmentions = { \"on-call\" = \"all\" }",
			`Invalid mention.*Attribute mentions\["on-call"\]: mention "on-call" has a key other than 1 to 20 letters, digits and underscores`},
		{`text = "{oncall} look"` + "\nmentions = { oncall = \"Ben\" }",
			`Invalid mention.*Attribute mentions\["oncall"\]: mention "oncall" mentions "Ben": give "all" \(everyone\), or "U" followed by 32`},
		{`text = "{oncall} look"` + "\nmentions = { oncall = \"" + linemock.DemoGroupOps + "\" }",
			`mentions\["oncall"\].*mentions "` + linemock.DemoGroupOps + `": give "all"`},
		{`text = "{oncall} and {lead}"` + "\nmentions = { oncall = \"all\" }",
			`Invalid text with mentions.*Attribute text's placeholder \{lead\} has no mention`},
		{`text = "{oncall} look"` + "\nmentions = { oncall = \"all\", oncal = \"all\" }",
			`Unused mention.*Attribute mentions\["oncal"\] is not used: text has no \{oncal\} placeholder`},
		{`text = "{oncall} costs {"` + "\nmentions = { oncall = \"all\" }",
			`Invalid text with mentions.*Attribute text has a '\{' at character 16 without a '\}' after it: write '\{\{' for a literal`},
		{`text = "{oncall} done}"` + "\nmentions = { oncall = \"all\" }",
			`Attribute text has a '\}' at character 14 without a '\{' before it`},
		{`text = "{a}"` + "\nmentions = { " + manyMentions(21) + " }",
			`Invalid mention.*the mentions are 21: LINE allows at most 20`},
		{`text = "` + strings.Repeat("{a}", 21) + `"` + "\nmentions = { a = \"all\" }",
			`Attribute text has 21 placeholders: LINE allows at most 20 mentions`},
		{`messages_json = "[{\"type\": \"text\""`, `Invalid message objects.*Attribute messages_json is not valid JSON`},
		{`messages_json = jsonencode(` + sticker + `)`, `Attribute messages_json is JSON object, not an array of message objects`},
		{`messages_json = jsonencode([])`, `messages_json holds 0 message objects: LINE sends 1 to 5 in one push`},
		{`messages_json = jsonencode([` + strings.Repeat(sticker+",", 6) + `])`, `messages_json holds 6 message objects`},
		{`messages_json = jsonencode(["hello"])`, `messages_json has an element \[0\] that is not a JSON object`},
		{`messages_json = jsonencode([{ text = "hi" }])`, `messages_json has an element \[0\] without a "type"`},
		{`text = "hi"` + "\nmessages_json = jsonencode([" + sticker + "])", `Exactly one of these attributes must be configured: \[text,messages_json\]`},
		{`notification_disabled = true`, `Exactly one of these attributes must be configured: \[text,messages_json\]`},
		{`messages_json = jsonencode([` + sticker + `])` + "\nmentions = { a = \"all\" }", `Invalid Attribute Combination.*mentions.*messages_json`},
		{`text = "hi"` + "\nretry_key = \"run-42\"", `Invalid retry key.*Attribute retry_key must be a UUID.*got "run-42"`},
		{`text = "hi"` + "\nretry_key = \"{6ba7b810-9dad-11d1-80b4-00c04fd430c8}\"", `Invalid retry key`},
		// A push is never started with less than 2s left: with these deadlines, none would be.
		{`text = "hi"` + "\ntimeouts {\n  invoke = \"1s\"\n}", `Invalid duration.*Attribute timeouts.invoke must be a ` +
			`duration longer than 2s, such as "30s", "1m" or "1m30s", got: "1s"\. A push is never started with less than 2s`},
		{`text = "hi"` + "\ntimeouts {\n  invoke = \"2s\"\n}", `Attribute timeouts.invoke must be a duration longer than 2s.*got: "2s"`},
		{`text = "hi"` + "\ntimeouts {\n  invoke = \"0s\"\n}", `Attribute timeouts.invoke must be a duration longer than 2s.*got: "0s"`},
		{`text = "hi"` + "\ntimeouts {\n  invoke = \"-1m\"\n}", `Attribute timeouts.invoke must be a duration longer than 2s.*got: "-1m"`},
	} {
		steps = append(steps, resource.TestStep{Config: triggeredBy(mock, "x", opsGroup+"\n"+tc.args), ExpectError: wrapped(tc.want)})
	}
	// Known only at plan: terraform validate sees the variable as unknown, so the check runs
	// at plan, before LINE is asked.
	steps = append(steps, resource.TestStep{
		Config: triggeredBy(mock, "x", opsGroup+`
    text     = "${var.prefix} {oncall}"
    mentions = { oncall = var.oncall }`) + `
variable "prefix" {
  default = "{release"
}
variable "oncall" {
  default = "U123"
}`,
		// Both problems, in whatever order Terraform lists them.
		ExpectError: wrapped(`(Attribute mentions\["oncall"\]: mention "oncall" mentions "U123".*Attribute text's placeholder \{release \{oncall\}|` +
			`Attribute text's placeholder \{release \{oncall\}.*Attribute mentions\["oncall"\]: mention "oncall" mentions "U123")`),
	}, resource.TestStep{
		// The deadline too: the timeouts block is checked at plan as well.
		Config: triggeredBy(mock, "x", opsGroup+`
    text = "hi"
    timeouts {
      invoke = var.invoke
    }`) + `
variable "invoke" {
  default = "1s"
}`,
		ExpectError: wrapped(`Invalid duration.*Attribute timeouts.invoke must be a duration longer than 2s.*got: "1s"`),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps:                    steps,
	})
	if n := len(mock.Requests()); n != 0 {
		t.Fatalf("%d requests reached LINE (%d validates, %d pushes), want none", n, validateRequests(mock), pushRequests(mock))
	}
}

func manyMentions(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("k%02d = \"all\"", i)
	}
	return strings.Join(parts, ", ")
}

// TestAccPushMessageAction_refusedByLINEAtPlan: what only LINE can tell fails the plan with
// LINE's reason and property, after one validate request and no push: a Flex card with a
// component LINE does not accept (the spacer it dropped), a bubble without blocks, a textV2
// key of another pattern inside messages_json.
func TestAccPushMessageAction_refusedByLINEAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	flex := func(body string) string {
		return `messages_json = jsonencode([
      { type = "text", text = "Status" },
      { type = "flex", altText = "status", contents = { type = "bubble"` + body + ` } },
    ])`
	}
	var steps []resource.TestStep
	for _, tc := range []struct{ args, want string }{
		{flex(`, body = { type = "box", layout = "vertical", contents = [{ type = "text", text = "ok" }, { type = "spacer", size = "sm" }] }`),
			`LINE refuses the message.*messages_json = jsonencode.*LINE's validate endpoint refuses messages_json, so LINE would refuse the push. Nothing was sent.` +
				`.*LINE answered: A message \(messages\[1\]\) in the request body is invalid.*- invalid property \(property /body/contents/1\)` +
				`.*messages\[1\] is the message at index 1 of messages_json \(counted from 0\); a property starting with / is a JSON pointer`},
		{flex(""), `LINE refuses the message.*At least one block must be specified \(property /\)`},
		{`messages_json = jsonencode([{ type = "textV2", text = "{!owe} : 100" }])`,
			`A message \(messages\[0\]\) in the request body is invalid.*The key '!owe' enclosed in '\{\}' does not match the pattern.*\(property text\)`},
		{`messages_json = jsonencode([{ type = "poll", text = "?" }])`,
			`The request body has 1 error\(s\).*Must be one of the following values: \[text, textV2.*\(property messages\[0\].type\)`},
	} {
		steps = append(steps, resource.TestStep{Config: triggeredBy(mock, "x", opsGroup+"\n"+tc.args), ExpectError: wrapped(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps:                    steps,
	})
	if n := validateRequests(mock); n != 4 {
		t.Errorf("%d validate requests, want one per refused plan: 4", n)
	}
	if n := pushRequests(mock); n != 0 || len(mock.PushedMessages()) != 0 {
		t.Errorf("%d push requests, want none", n)
	}
}

// TestAccPushMessageAction_unknownAtPlan: a message known only at apply cannot be checked with
// LINE at plan; it is checked by the provider and by LINE when it is pushed.
func TestAccPushMessageAction_unknownAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: mock.config(`
resource "terraform_data" "build" {
  input = "42"
}

action "line_push_message" "alert" {
  config {
    group_id = "` + linemock.DemoGroupOps + `"
    text     = "{all} build ${terraform_data.build.output} is out"
    mentions = { all = "all" }
  }
}

resource "terraform_data" "deploy" {
  input = terraform_data.build.output
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.line_push_message.alert]
    }
  }
}`),
			Check: resource.ComposeTestCheckFunc(
				pushedTexts(mock, linemock.DemoGroupOps+": @All build 42 is out"),
				func(*terraform.State) error {
					if n := validateRequests(mock); n != 0 {
						return fmt.Errorf("%d validate requests for a message unknown at plan, want none", n)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccPushMessageAction_validateUnavailable: LINE's validate endpoint failing at plan (a
// server error after every retry) does not block the alert: the plan warns, and the push goes.
func TestAccPushMessageAction_validateUnavailable(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointValidatePush, linemock.Fault{Rate500: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{{
			Config: strings.Replace(triggeredBy(mock, "v1", opsGroup+"\ntext = \"Deployed v1\""), "\n}\n", "\n  max_retries = 1\n}\n", 1),
			Check:  pushedTexts(mock, linemock.DemoGroupOps+": Deployed v1"),
		}},
	})
	for _, r := range mock.Requests() {
		if r.Endpoint == linemock.EndpointValidatePush && r.Status != 500 {
			t.Errorf("validate answered %d, want the injected 500", r.Status)
		}
	}
	if n := validateRequests(mock); n < 2 {
		t.Errorf("%d validate requests, want the first and its retry", n)
	}
}

// TestAccPushMessageAction_retryKeyRerun: a pipeline re-run invokes the action again with the
// same retry_key (a UUID from its run ID): LINE answers 409, the action succeeds, and the
// chat has the message once.
func TestAccPushMessageAction_retryKeyRerun(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(input string) string {
		return triggeredBy(mock, input, opsGroup+`
    text      = "Deploy failed: run 1234"
    retry_key = uuidv5("url", "https://ci.example.com/runs/1234")`)
	}
	const key = "c6a2ab0c-1edd-5cf3-a650-88f80b80a29d" // uuidv5("url", "https://ci.example.com/runs/1234")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{
			{Config: config("attempt 1"), Check: pushedTexts(mock, linemock.DemoGroupOps+": Deploy failed: run 1234")},
			{Config: config("attempt 2"), Check: pushedTexts(mock, linemock.DemoGroupOps+": Deploy failed: run 1234")},
		},
	})
	pushes := pushRequestsMade(mock)
	if len(pushes) != 2 || pushes[0].Status != 200 || pushes[1].Status != 409 {
		t.Fatalf("push requests %+v, want 200 then LINE's 409", pushes)
	}
	for i, p := range pushes {
		if got := p.Header.Get("X-Line-Retry-Key"); got != key {
			t.Errorf("push %d carried retry key %q, want %s", i, got, key)
		}
	}
	if p := mock.PushedMessages(); len(p) != 1 || p[0].RetryKey != key {
		t.Errorf("pushed %+v, want one message under the key", p)
	}
}

// TestAccPushMessageAction_freshKeyPerInvocation: without retry_key, each invocation is a new
// push with a key of its own.
func TestAccPushMessageAction_freshKeyPerInvocation(t *testing.T) {
	mock := newMockLINE(t, nil)
	ops := linemock.DemoGroupOps + ": "
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{
			{Config: triggeredBy(mock, "1", opsGroup+"\ntext = \"same text\""), Check: pushedTexts(mock, ops+"same text")},
			{Config: triggeredBy(mock, "2", opsGroup+"\ntext = \"same text\""), Check: pushedTexts(mock, ops+"same text", ops+"same text")},
		},
	})
	p := mock.PushedMessages()
	if p[0].RetryKey == "" || p[0].RetryKey == p[1].RetryKey {
		t.Errorf("retry keys %q and %q, want two fresh keys", p[0].RetryKey, p[1].RetryKey)
	}
}

// TestAccPushMessageAction_mentionOfAStranger: LINE checks mentions only when sending, so a
// mention of someone who is not in the chat passes the plan and fails the push; the error
// names the mentioned users and says to check that each is a member. Nothing is sent.
func TestAccPushMessageAction_mentionOfAStranger(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{
			{
				Config: triggeredBy(mock, "x", opsGroup+`
    text     = "{lead} and {oncall}: the deploy failed"
    mentions = { lead = "`+linemock.DemoUserAiko+`", oncall = "`+linemock.DemoUserEmi+`" }`),
				ExpectError: wrapped(`Unable to push a message to the group chat ` + linemock.DemoGroupOps +
					`: a mentioned user, or the bot, is not in it.*Failed to send messages.*Nothing was sent. The message mentions ` +
					linemock.DemoUserAiko + `, ` + linemock.DemoUserEmi + `: check that each is a member of the group chat` +
					`.*line_group_member_profile.*line_bot_membership`),
			},
			{
				// The same inside messages_json.
				Config: triggeredBy(mock, "y", `room_id = "`+linemock.DemoRoom+`"
    messages_json = jsonencode([{
      type = "textV2", text = "{c} please look",
      substitution = { c = { type = "mention", mentionee = { type = "user", userId = "`+linemock.DemoUserChika+`" } } }
    }])`),
				ExpectError: wrapped(`Unable to push a message to the multi-person chat ` + linemock.DemoRoom +
					`: a mentioned user, or the bot, is not in it.*The message mentions ` + linemock.DemoUserChika +
					`: check that each is a member.*line_room_member_profile`),
			},
		},
	})
	if n := validateRequests(mock); n != 2 {
		t.Errorf("%d validate requests, want 2: LINE's validate cannot tell a stranger", n)
	}
	if n := pushRequests(mock); n != 2 || len(mock.PushedMessages()) != 0 {
		t.Errorf("%d push requests and %d pushed, want 2 refused and nothing sent", n, len(mock.PushedMessages()))
	}
}

// TestAccPushMessageAction_mentionRefusedAfterAmbiguousAttempt: the first attempt of a push
// with mentions gets a server error, which LINE may have answered after delivering, and the
// retry is refused because a mentioned user is not in the chat. The outcome is unknown, so the
// error says the message may have been delivered (never that nothing was sent), with the
// mention check as the likely cause of the refusal.
func TestAccPushMessageAction_mentionRefusedAfterAmbiguousAttempt(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointPushMessage, linemock.Fault{Rate500: 1, First: 1})
	var applyErr string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		ErrorCheck: expectErrorSaying(&applyErr, wrapped(`Unable to push a message to the group chat `+linemock.DemoGroupOps+
			`: the message may have been delivered.*Failed to send messages.*The message may have been delivered.*`+
			`invoking the action again makes a new push.*a mentioned user, or the bot, is not in the chat.*`+
			`The message mentions `+linemock.DemoUserEmi+`: check that each is a member of the group chat`),
			"Nothing was sent"),
		Steps: []resource.TestStep{{
			Config: triggeredBy(mock, "x", opsGroup+`
    text     = "{oncall}: the deploy failed"
    mentions = { oncall = "`+linemock.DemoUserEmi+`" }`), // the push fails: expectErrorSaying
		}},
		CheckDestroy: func(*terraform.State) error {
			if applyErr == "" {
				return fmt.Errorf("the push did not fail")
			}
			pushes := pushRequestsMade(mock)
			if len(pushes) != 2 || pushes[0].Status != http.StatusInternalServerError || pushes[1].Status != http.StatusBadRequest {
				return fmt.Errorf("push requests %+v, want a 500 and then a 400", pushes)
			}
			return nil
		},
	})
}

// TestAccPushMessageAction_retryKeyAfterFailure: LINE failing every attempt of a push with a
// retry_key leaves the outcome unknown; the error says that running again with the same key
// is safe, and the re-run, once LINE answers, delivers the message once.
func TestAccPushMessageAction_retryKeyAfterFailure(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointPushMessage, linemock.Fault{Rate500: 1})
	config := func(input string) string {
		return strings.Replace(triggeredBy(mock, input, opsGroup+`
    text      = "Deploy failed: run 77"
    retry_key = "6ba7b810-9dad-41d1-80b4-00c04fd430c8"`), "\n}\n", "\n  max_retries = 1\n}\n", 1)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		Steps: []resource.TestStep{
			{
				Config: config("attempt 1"),
				ExpectError: wrapped(`Unable to push a message to the group chat ` + linemock.DemoGroupOps + `: the message may ` +
					`have been delivered.*LINE answered 500.*The message may have been delivered.*Every attempt carried retry_key ` +
					`6ba7b810-9dad-41d1-80b4-00c04fd430c8 as X-Line-Retry-Key, so it was posted at most once` +
					`.*running the action again with the same retry_key sends the message if LINE did not accept it, and nothing if it did`),
			},
			{
				PreConfig: func() { mock.ClearFaults() },
				Config:    config("attempt 2"),
				Check:     pushedTexts(mock, linemock.DemoGroupOps+": Deploy failed: run 77"),
			},
		},
	})
	for _, p := range pushRequestsMade(mock) {
		if p.Header.Get("X-Line-Retry-Key") != "6ba7b810-9dad-41d1-80b4-00c04fd430c8" {
			t.Errorf("a push carried retry key %q", p.Header.Get("X-Line-Retry-Key"))
		}
	}
}
