package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// membershipWithTimeouts is the ops membership with a timeouts block.
func membershipWithTimeouts(mock *mockLINE, timeouts string) string {
	return mock.config(`
resource "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
  timeouts {
    ` + timeouts + `
  }
}`)
}

// deadlineStep checks the time since *start of a step that ends at deadline: at least the
// deadline (ending sooner would not be the deadline), at most a minute, generous for a loaded
// machine and far below the hour that a hung request would take without a deadline.
func deadlineStep(t *testing.T, start *time.Time, deadline time.Duration) {
	t.Helper()
	tookWithin(t, "the step", time.Since(*start), deadline, time.Minute)
}

// LINE does not answer: the create ends at its deadline with an error that names it and says
// how to raise it, and nothing is recorded.
func TestAccBotMembershipResource_createDeadline(t *testing.T) {
	mock := newMockLINE(t, nil)
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Hang: true})
					start = time.Now()
				},
				Config: membershipWithTimeouts(mock, `create = "2s"`),
				ExpectError: wrapped(`Unable to tell whether the bot is in group chat ` + linemock.DemoGroupOps + `.*` +
					`the create deadline of 2s passed.*timeouts \{ create = "4s" \}`),
			},
			{
				PreConfig: func() {
					deadlineStep(t, &start, 2*time.Second)
					mock.ClearFaults()
				},
				Config: mock.config(``),
				Check: func(s *terraform.State) error {
					if n := len(s.RootModule().Resources); n != 0 {
						return fmt.Errorf("state holds %d resources after a create that timed out, want 0", n)
					}
					return nil
				},
			},
		},
	})
}

// LINE does not answer the leave: the delete ends at the deadline recorded in state, the
// membership stays in state, and the error says that the outcome is unknown. (The deadline
// leaves the leave time to start: the client starts no write with less than
// min(request_timeout, 2s) left.)
func TestAccBotMembershipResource_deleteDeadline(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := membershipWithTimeouts(mock, `delete = "3s"`)
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("timeouts").AtMapKey("delete"), knownvalue.StringExact("3s")),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.Null()),
				},
			},
			{
				PreConfig: func() {
					mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{Hang: true})
					start = time.Now()
				},
				Config: mock.config(``),
				ExpectError: wrapped(`The bot may have left group chat ` + linemock.DemoGroupOps + `.*` +
					`the delete deadline of 3s passed.*LINE may have carried the leave out.*` +
					`The next plan refreshes it and tells.*timeouts \{ delete = "6s" \}`),
			},
			{
				// Still in state: with LINE answering again, the configuration plans no change.
				PreConfig: func() {
					deadlineStep(t, &start, 3*time.Second)
					mock.ClearFaults()
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// A refresh that LINE does not answer ends at the read deadline and keeps the state.
func TestAccBotMembershipResource_readDeadline(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := membershipWithTimeouts(mock, `read = "2s"`)
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					mock.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Hang: true})
					start = time.Now()
				},
				Config:   config,
				PlanOnly: true,
				ExpectError: wrapped(`Unable to tell whether the bot is still in group chat ` + linemock.DemoGroupOps +
					`.*the read deadline of 2s passed.*timeouts \{ read = "4s" \}`),
			},
			{
				PreConfig: func() {
					deadlineStep(t, &start, 2*time.Second)
					mock.ClearFaults()
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// A malformed or non-positive duration, or a delete deadline too short for any leave request
// to start, is refused at plan, naming the attribute, before any request.
func TestAccBotMembershipResource_timeoutsValidation(t *testing.T) {
	mock := newMockLINE(t, nil)
	for setting, want := range map[string]string{
		`create = "five minutes"`: `Attribute timeouts.create must be a positive duration such as "30s", "1m" or "1m30s", got: "five minutes"`,
		`read = "0s"`:             `Attribute timeouts.read must be a positive duration .*got: "0s"`,
		`delete = "-1h"`:          `Attribute timeouts.delete must be a duration longer than 2s.*got: "-1h"`,
		// A leave is never started with less than 2 s left: with this deadline the bot could never leave.
		`delete = "2s"`: `Attribute timeouts.delete must be a duration longer than 2s, such as "30s", "1m" or "1m30s", got: "2s"\. ` +
			`A leave request is never started with less than 2s .*the bot would never leave`,
	} {
		t.Run(setting, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      membershipWithTimeouts(mock, setting),
					PlanOnly:    true,
					ExpectError: wrapped(`Invalid duration.*` + want),
				}},
			})
		})
	}
	t.Cleanup(func() {
		if n := mock.CountRequests(""); n != 0 {
			t.Errorf("%d requests reached LINE for an invalid configuration, want 0", n)
		}
	})
}
