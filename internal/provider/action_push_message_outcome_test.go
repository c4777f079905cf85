package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// TestAccPushMessageAction_lostAnswerThenQueuedPastDeadline: LINE carries out the push and
// its answer is lost; the retry then waits in the provider's own rate limiter (rate_limit = 1,
// so its turn comes a second after the first attempt), past the last moment a push may start
// (the invoke deadline of 2.5s less request_timeout, 2s: 0.5s after the first attempt). The
// last word is the client's, yet the message is out: the error says it may have been
// delivered, and that invoking again makes a new push.
func TestAccPushMessageAction_lostAnswerThenQueuedPastDeadline(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointPushMessage, linemock.Fault{LostResponse: 1})
	var applyErr string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   actionsSupported,
		ErrorCheck: expectErrorSaying(&applyErr, wrapped(`Unable to push a message to the group chat `+linemock.DemoGroupOps+
			`: the message may have been delivered.*The message may have been delivered.*`+
			`X-Line-Retry-Key.*invoking the action again makes a new push`), "Nothing was sent"),
		Steps: []resource.TestStep{
			{
				// request_timeout: an attempt starts only with that much time left (at most 2s).
				Config: mock.configWith(`channel_access_token = "`+linemock.DemoToken+`"
  rate_limit           = 1
  request_timeout      = "2s"`, `
action "line_push_message" "notify" {
  config {
    group_id = "`+linemock.DemoGroupOps+`"
    text     = "Deployed v1"
    timeouts {
      invoke = "2500ms"
    }
  }
}

resource "terraform_data" "deploy" {
  input = "v1"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.line_push_message.notify]
    }
  }
}`), // the push fails: expectErrorSaying
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if applyErr == "" {
				return fmt.Errorf("the push did not fail")
			}
			if err := pushedTexts(mock, linemock.DemoGroupOps+": Deployed v1")(nil); err != nil {
				return err
			}
			pushes := pushRequestsMade(mock)
			if len(pushes) != 1 || pushes[0].Status != http.StatusInternalServerError || !pushes[0].Lost {
				return fmt.Errorf("push requests %+v, want one, carried out and answered 500 (lost)", pushes)
			}
			return nil
		},
	})
}
