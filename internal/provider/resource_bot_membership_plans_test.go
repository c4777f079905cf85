package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// The ways one plan could make the bot leave a chat that the same plan still declares: each
// fails at plan with nothing changed, or applies with the bot still in the chat and the next
// plan empty (terraform-plugin-testing checks that after every apply).

// strandingError is the refusal of a plan that would make the bot leave chatID while the
// configuration still declares it, whichever of the two memberships reports it.
func strandingError(chatID string) string {
	return `The bot would leave the group chat ` + chatID + `, which the configuration still declares.*` +
		`The plan stops here and nothing has changed.*moved block.*leave_on_destroy = false`
}

// membershipNamed is one membership of a group, under a name of the test's choosing.
func membershipNamed(name, chatID, body string) string {
	return fmt.Sprintf("resource \"line_bot_membership\" %q {\n  group_id = %q\n%s}\n", name, chatID, body)
}

// checkBotIn is a check that the bot is in every chat and that no leave request was made.
func checkBotIn(t *testing.T, mock *mockLINE, chatIDs ...string) resource.TestCheckFunc {
	return func(*terraform.State) error { return botIn(t, mock, chatIDs...) }
}

// botIn says whether the bot is in every chat, with no leave request made.
func botIn(t *testing.T, mock *mockLINE, chatIDs ...string) error {
	for _, id := range chatIDs {
		if !mock.botJoined(t, id) {
			return fmt.Errorf("the bot left %s", id)
		}
	}
	if n := mock.CountRequests(linemock.EndpointGroupLeave) + mock.CountRequests(linemock.EndpointRoomLeave); n != 0 {
		return fmt.Errorf("%d leave requests, want none", n)
	}
	return nil
}

// stateCheckBotIn is checkBotIn as a state check, for configurations with for_each, which
// the older Check functions cannot read.
type stateCheckBotIn struct {
	t       *testing.T
	mock    *mockLINE
	chatIDs []string
}

func (c stateCheckBotIn) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = botIn(c.t, c.mock, c.chatIDs...)
}

// A rename without a moved block destroys the old address and creates the new one: refused.
// With the moved block, the membership moves in state and nothing happens to the bot.
func TestAccBotMembershipResource_renameWithoutMovedFailsAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	const moved = `
moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.ops_alerts
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipNamed("ops", linemock.DemoGroupOps, ""))},
			{
				Config:      mock.config(membershipNamed("ops_alerts", linemock.DemoGroupOps, "")),
				ExpectError: wrapped(strandingError(linemock.DemoGroupOps)),
			},
			{
				PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
				Config:    mock.config(membershipNamed("ops_alerts", linemock.DemoGroupOps, "") + moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("line_bot_membership.ops_alerts", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("line_bot_membership.ops_alerts", tfjsonpath.New("group_id"), knownvalue.StringExact(linemock.DemoGroupOps)),
				},
				Check: checkBotIn(t, mock, linemock.DemoGroupOps),
			},
		},
	})
}

// A for_each key that changes for the same chat is a rename too: refused, and a moved block
// between the two keys does it.
func TestAccBotMembershipResource_forEachKeyChangeFailsAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(key, extra string) string {
		return mock.config(`
resource "line_bot_membership" "m" {
  for_each = { "` + key + `" = "` + linemock.DemoGroupOps + `" }
  group_id = each.value
}
` + extra)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config("ops", "")},
			{
				Config:      config("ops-alerts", ""),
				ExpectError: wrapped(strandingError(linemock.DemoGroupOps)),
			},
			{
				PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
				Config: config("ops-alerts", `
moved {
  from = line_bot_membership.m["ops"]
  to   = line_bot_membership.m["ops-alerts"]
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`line_bot_membership.m["ops-alerts"]`, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{stateCheckBotIn{t, mock, []string{linemock.DemoGroupOps}}},
			},
			emptiedForEach(t, mock),
		},
	})
}

// replace_triggered_by replaces the membership with one of the same chat, as -replace does
// (through the same two calls: see internal/e2e for -replace itself): refused in either
// order of replacement. Without leave_on_destroy, the replacement only forgets the chat and
// adopts it again, so it applies.
func TestAccBotMembershipResource_replaceTriggeredByFailsAtPlan(t *testing.T) {
	for name, lifecycle := range map[string]string{
		"destroy first": "",
		"create first":  "    create_before_destroy = true\n",
	} {
		t.Run(name, func(t *testing.T) {
			mock := newMockLINE(t, nil)
			config := func(version, leave string) string {
				return mock.config(`
resource "terraform_data" "release" {
  input = "` + version + `"
}
` + membershipNamed("ops", linemock.DemoGroupOps, leave+`  lifecycle {
`+lifecycle+`    replace_triggered_by = [terraform_data.release]
  }
`))
			}
			action := plancheck.ResourceActionDestroyBeforeCreate
			if lifecycle != "" {
				action = plancheck.ResourceActionCreateBeforeDestroy
			}
			const keep = "  leave_on_destroy = false\n"
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{Config: config("v1", "")},
					{
						Config: config("v2", ""),
						ExpectError: wrapped(`Replacing this membership would make the bot leave the group chat ` +
							linemock.DemoGroupOps + `.*The plan stops here and nothing has changed.*` +
							`Replacing a membership has nothing to redo.*-replace.*replace_triggered_by.*` +
							`leave_on_destroy = false and apply that first`),
					},
					{
						PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
						Config:    config("v1", keep),
						Check:     checkBotIn(t, mock, linemock.DemoGroupOps),
					},
					{
						Config: config("v2", keep),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(opsMembership, action),
						}},
						Check: checkBotIn(t, mock, linemock.DemoGroupOps),
					},
				},
			})
		})
	}
}

// A tainted membership is replaced by one of the same chat. The plan cannot tell it from a
// new membership (Terraform plans it as a create), so the apply makes the replacement
// harmless: the destroy does not make the bot leave, and the chat is adopted again.
func TestAccBotMembershipResource_taintedStaysInChat(t *testing.T) {
	for name, lifecycle := range map[string]string{
		"destroy first": "",
		"create first":  "  lifecycle {\n    create_before_destroy = true\n  }\n",
	} {
		t.Run(name, func(t *testing.T) {
			mock := newMockLINE(t, nil)
			config := mock.config(membershipNamed("ops", linemock.DemoGroupOps, lifecycle))
			action := plancheck.ResourceActionDestroyBeforeCreate
			if lifecycle != "" {
				action = plancheck.ResourceActionCreateBeforeDestroy
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
				Steps: []resource.TestStep{
					{Config: config},
					{
						Taint:  []string{opsMembership},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(opsMembership, action),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
						},
						Check: checkBotIn(t, mock, linemock.DemoGroupOps),
					},
				},
			})
		})
	}
}

// One chat, one line_bot_membership: two new ones, a new one beside one in state, and an
// import of a chat that another membership already holds all fail at plan.
func TestAccBotMembershipResource_sameChatTwiceFailsAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	duplicate := `Two line_bot_membership resources declare the group chat ` + linemock.DemoGroupOps + `.*` +
		`both declare the group chat ` + linemock.DemoGroupOps + `.*The plan stops here and nothing has changed.*` +
		`Keep one line_bot_membership per chat`
	ops := membershipNamed("ops", linemock.DemoGroupOps, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{
				Config:      mock.config(ops + membershipNamed("ops_again", linemock.DemoGroupOps, "")),
				ExpectError: wrapped(duplicate),
			},
			{
				PreConfig: func() {
					if n := mock.CountRequests(""); n != 0 {
						t.Fatalf("%d requests reached LINE for a refused plan of two new memberships, want none", n)
					}
				},
				Config: mock.config(ops),
			},
			{
				Config:      mock.config(ops + membershipNamed("ops_again", linemock.DemoGroupOps, "")),
				ExpectError: wrapped(duplicate),
			},
			{
				Config: mock.config(ops + `
import {
  to = line_bot_membership.ops_again
  id = "` + linemock.DemoGroupOps + `"
}
` + membershipNamed("ops_again", linemock.DemoGroupOps, "")),
				ExpectError: wrapped(duplicate),
			},
			{
				PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
				Config:    mock.config(ops),
				PlanOnly:  true,
			},
		},
	})
}

// Two memberships that trade chats: each would make the bot leave the chat the other adopts.
func TestAccBotMembershipResource_swapFailsAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	pair := func(a, b string) string {
		return mock.config(membershipNamed("a", a, "") + membershipNamed("b", b, ""))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: pair(linemock.DemoGroupOps, linemock.DemoGroupRelease)},
			{
				Config: pair(linemock.DemoGroupRelease, linemock.DemoGroupOps),
				ExpectError: wrapped(`The bot would leave the group chat (` + linemock.DemoGroupOps + `|` +
					linemock.DemoGroupRelease + `), which the configuration still declares.*` +
					`The plan stops here and nothing has changed`),
			},
			{
				PreConfig: func() {
					checkStillIn(t, mock, linemock.DemoGroupOps)()
					checkStillIn(t, mock, linemock.DemoGroupRelease)()
				},
				Config:   pair(linemock.DemoGroupOps, linemock.DemoGroupRelease),
				PlanOnly: true,
			},
		},
	})
}

// A count list that loses its first chat moves the second to index 0 while index 1 is
// destroyed: the bot would leave the chat that index 0 then declares.
func TestAccBotMembershipResource_countIndexShiftFailsAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	list := func(ids ...string) string {
		return mock.config(`
resource "line_bot_membership" "m" {
  count    = ` + fmt.Sprint(len(ids)) + `
  group_id = ["` + strings.Join(ids, `", "`) + `"][count.index]
}`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps, linemock.DemoGroupRelease),
		Steps: []resource.TestStep{
			{Config: list(linemock.DemoGroupOps, linemock.DemoGroupRelease)},
			{
				Config: list(linemock.DemoGroupRelease),
				ExpectError: wrapped(`The bot would leave the group chat ` + linemock.DemoGroupRelease +
					`, which the configuration still declares.*for_each rather than count`),
			},
			{
				PreConfig: func() {
					checkStillIn(t, mock, linemock.DemoGroupOps)()
					checkStillIn(t, mock, linemock.DemoGroupRelease)()
				},
				Config:   list(linemock.DemoGroupOps, linemock.DemoGroupRelease),
				PlanOnly: true,
			},
		},
	})
}

// What the plan must not refuse: leave_on_destroy = false applied first, then the rename
// without a moved block forgets the old address and adopts the chat at the new one.
func TestAccBotMembershipResource_renameAfterLeaveOnDestroyFalse(t *testing.T) {
	mock := newMockLINE(t, nil)
	const keep = "  leave_on_destroy = false\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotIn(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipNamed("ops", linemock.DemoGroupOps, ""))},
			{
				Config: mock.config(membershipNamed("ops", linemock.DemoGroupOps, keep)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: mock.config(membershipNamed("ops_alerts", linemock.DemoGroupOps, keep)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("line_bot_membership.ops_alerts", plancheck.ResourceActionCreate),
				}},
				Check: checkBotIn(t, mock, linemock.DemoGroupOps),
			},
		},
	})
}

// A removed block with lifecycle { destroy = false } (Terraform 1.7 and later) forgets the
// old address, so adopting the same chat under a new one is not refused.
func TestAccBotMembershipResource_removedBlockThenNewAddress(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipNamed("ops", linemock.DemoGroupOps, ""))},
			{
				Config: mock.config(`
removed {
  from = line_bot_membership.ops
  lifecycle {
    destroy = false
  }
}
` + membershipNamed("ops_alerts", linemock.DemoGroupOps, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectForget{opsMembership},
					plancheck.ExpectResourceAction("line_bot_membership.ops_alerts", plancheck.ResourceActionCreate),
				}},
				Check: checkBotIn(t, mock, linemock.DemoGroupOps),
			},
		},
	})
}

// lifecycle { destroy = false } in the resource block (Terraform 1.16) forgets an instance
// whose for_each key went away, so the new key adopts the same chat.
func TestAccBotMembershipResource_forEachKeyChangeWithLifecycleKeep(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(key string) string {
		return mock.config(`
resource "line_bot_membership" "m" {
  for_each = { "` + key + `" = "` + linemock.DemoGroupOps + `" }
  group_id = each.value
  lifecycle {
    destroy = false
  }
}`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0")))},
		Steps: []resource.TestStep{
			{Config: config("ops")},
			{
				Config: config("ops-alerts"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectForget{`line_bot_membership.m["ops"]`},
					plancheck.ExpectResourceAction(`line_bot_membership.m["ops-alerts"]`, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{stateCheckBotIn{t, mock, []string{linemock.DemoGroupOps}}},
			},
			emptiedForEach(t, mock),
		},
	})
}

// emptiedForEach is a last step that destroys everything, the membership of the Ops group
// under a for_each key included (the bot leaves: its resource block is gone), since
// terraform-plugin-testing cannot read a state with for_each keys after the test.
func emptiedForEach(t *testing.T, mock *mockLINE) resource.TestStep {
	return resource.TestStep{
		Config: mock.config(``),
		Check:  checkBotLeft(t, mock, linemock.DemoGroupOps),
	}
}

// afterFirstLeave is a front for the mock that lets the first leave request through with
// faultThen set on the leave endpoint from the moment the mock has carried it out, before
// its answer leaves: the next attempts meet faultThen, on every run.
func afterFirstLeave(t *testing.T, mock *mockLINE, faultThen linemock.Fault) *mockLINE {
	t.Helper()
	var once sync.Once
	front := linemocktest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/bot/group/"+linemock.DemoGroupOps+"/leave" {
			mock.ServeHTTP(w, r)
			return
		}
		answer := httptest.NewRecorder()
		mock.ServeHTTP(answer, r)
		once.Do(func() { mock.SetFault(linemock.EndpointGroupLeave, faultThen) })
		for k, v := range answer.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(answer.Code)
		_, _ = w.Write(answer.Body.Bytes())
	}))
	return &mockLINE{Server: mock.Server, URL: front.URL}
}

// LINE carries out the leave, its answer is lost, and then it throttles until the deadline:
// the last answer is a 429, yet the bot has left, and the error says it may have. The next
// plan finds the bot gone and forgets the membership.
func TestAccBotMembershipResource_leaveLostThenThrottled(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{LostResponse: 1})
	front := afterFirstLeave(t, mock, linemock.Fault{Rate429: 1})
	var applyErr string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		ErrorCheck: expectErrorSaying(&applyErr, wrapped(`The bot may have left group chat `+linemock.DemoGroupOps+`.*`+
			`the delete deadline of 3s would pass before the operation could go on.*LINE was still throttling.*`+
			`LINE may have carried the leave out.*The next plan refreshes it and tells`), "still in"),
		Steps: []resource.TestStep{
			{Config: front.config(membershipNamed("ops", linemock.DemoGroupOps, "  timeouts {\n    delete = \"3s\"\n  }\n"))},
			{Config: front.config(``)}, // the destroy fails: expectErrorSaying
			{
				PreConfig: func() {
					if applyErr == "" {
						t.Fatal("the destroy did not fail")
					}
					if mock.botJoined(t, linemock.DemoGroupOps) {
						t.Fatal("the lost leave was not carried out")
					}
					var statuses []int
					for _, r := range mock.Requests() {
						if r.Endpoint == linemock.EndpointGroupLeave {
							statuses = append(statuses, r.Status)
						}
					}
					if len(statuses) < 2 || statuses[0] != http.StatusInternalServerError || statuses[len(statuses)-1] != http.StatusTooManyRequests {
						t.Fatalf("leave requests answered %v, want a lost 500 and then 429s", statuses)
					}
					mock.ClearFaults()
				},
				// The refresh finds the bot gone and forgets the membership: nothing to destroy.
				Config: front.config(``),
				Check: func(s *terraform.State) error {
					if n := len(s.RootModule().Resources); n != 0 {
						return fmt.Errorf("state holds %d resources, want none", n)
					}
					return nil
				},
			},
		},
	})
}

// LINE throttles every leave until the deadline: its final answer, a 429, proves that the
// leave was not carried out, and no attempt before it may have been, so the error says the bot
// is still in the chat; and it is.
func TestAccBotMembershipResource_leaveThrottledUntilDeadline(t *testing.T) {
	mock := newMockLINE(t, nil)
	var applyErr string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		ErrorCheck: expectErrorSaying(&applyErr, wrapped(`The bot is still in group chat `+linemock.DemoGroupOps+
			`: leaving failed.*LINE (last )?answered 429`), "may have"),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipNamed("ops", linemock.DemoGroupOps, "  timeouts {\n    delete = \"3s\"\n  }\n"))},
			{
				PreConfig: func() { mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{Rate429: 1}) },
				Config:    mock.config(``), // the destroy fails: expectErrorSaying
			},
			{
				PreConfig: func() {
					if applyErr == "" {
						t.Fatal("the destroy did not fail")
					}
					if !mock.botJoined(t, linemock.DemoGroupOps) {
						t.Fatal("the bot left although LINE answered every leave 429")
					}
					mock.ClearFaults()
				},
				// Still in state, and still in the chat: the configuration plans no change.
				Config:   mock.config(membershipNamed("ops", linemock.DemoGroupOps, "  timeouts {\n    delete = \"3s\"\n  }\n")),
				PlanOnly: true,
			},
		},
	})
}

// expectErrorSaying is an ErrorCheck for a step expected to fail (ExpectError cannot say
// what an error must not hold): it records the error in *got and lets the test go on when
// the error matches want and holds none of the forbidden phrases.
func expectErrorSaying(got *string, want *regexp.Regexp, forbidden ...string) resource.ErrorCheckFunc {
	return func(err error) error {
		*got = err.Error()
		if !want.MatchString(*got) {
			return fmt.Errorf("the error does not match %s: %w", want, err)
		}
		for _, phrase := range forbidden {
			if strings.Contains(*got, phrase) {
				return fmt.Errorf("the error says %q: %w", phrase, err)
			}
		}
		return nil
	}
}

// A rename whose new chat comes from a resource not yet created: the plan cannot compare the
// chats, so it warns (internal/e2e shows the warning) and refuses nothing. A moved block with
// create_before_destroy then applies with the bot still in the chat: the moved membership is
// replaced, since its chat is unknown at plan, but it adopts the chat before the old object is
// destroyed, and that destroy keeps the bot there.
func TestAccBotMembershipResource_renameToChatKnownOnlyAtApply(t *testing.T) {
	mock := newMockLINE(t, nil)
	renamed := func(extra string) string {
		return mock.config(`
resource "terraform_data" "ids" {
  input = { ops = "` + linemock.DemoGroupOps + `" }
}
resource "line_bot_membership" "ops_alerts" {
  group_id = terraform_data.ids.output.ops
` + extra + `}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipNamed("ops", linemock.DemoGroupOps, ""))},
			{
				Config:             renamed(""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("line_bot_membership.ops_alerts", plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue("line_bot_membership.ops_alerts", tfjsonpath.New("group_id")),
				}},
			},
			{
				PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
				Config: renamed("  lifecycle {\n    create_before_destroy = true\n  }\n") + `
moved {
  from = line_bot_membership.ops
  to   = line_bot_membership.ops_alerts
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("line_bot_membership.ops_alerts", plancheck.ResourceActionCreateBeforeDestroy),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("line_bot_membership.ops_alerts", tfjsonpath.New("group_id"), knownvalue.StringExact(linemock.DemoGroupOps)),
				},
				Check: checkBotIn(t, mock, linemock.DemoGroupOps),
			},
		},
	})
}
