package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// membershipOf is one line_bot_membership named ops, for a group ("C…") or a room ("R…").
func membershipOf(chatID string) string {
	attr := "group_id"
	if strings.HasPrefix(chatID, "R") {
		attr = "room_id"
	}
	return fmt.Sprintf("resource \"line_bot_membership\" \"ops\" {\n  %s = %q\n}\n", attr, chatID)
}

// requestsFor counts the requests the mock answered (or saw abandoned) for one chat.
func requestsFor(mock *mockLINE, chatID string) int {
	n := 0
	for _, r := range mock.Requests() {
		if strings.Contains(r.Path, "/"+chatID+"/") {
			n++
		}
	}
	return n
}

// checkStillIn asserts, before a step, that the bot is still in a chat and never asked to leave.
func checkStillIn(t *testing.T, mock *mockLINE, chatID string) func() {
	return func() {
		if !mock.botJoined(t, chatID) {
			t.Fatalf("the bot left %s although the plan failed", chatID)
		}
		if n := mock.CountRequests(linemock.EndpointGroupLeave) + mock.CountRequests(linemock.EndpointRoomLeave); n != 0 {
			t.Fatalf("%d leave requests, want none", n)
		}
	}
}

// Changing group_id to a chat the bot is not in would make the bot leave the old chat for
// good and then fail to adopt the new one: the plan refuses, and nothing changes.
func TestAccBotMembershipResource_replaceIntoChatWithoutBotFailsAtPlan(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipOf(linemock.DemoGroupOps))},
			{
				Config: mock.config(membershipOf(linemock.DemoGroupNotJoined)),
				ExpectError: wrapped(`The bot is not in group chat ` + linemock.DemoGroupNotJoined + `: replacing the ` +
					`membership of group chat ` + linemock.DemoGroupOps + ` would strand it.*` +
					`Applying would make the bot leave group chat ` + linemock.DemoGroupOps + ` for good.*` +
					`The bot must be in group chat ` + linemock.DemoGroupNotJoined + ` before this change can apply.*` +
					`Invite the LINE Official Account into the group from the LINE app.*` +
					`create_before_destroy`),
			},
			{
				// From a group to a room the bot is not in: the same refusal, naming room_id.
				PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
				Config:    mock.config(membershipOf(linemock.DemoRoomNotJoined)),
				ExpectError: wrapped(`The bot is not in multi-person chat ` + linemock.DemoRoomNotJoined +
					`: replacing the membership of group chat ` + linemock.DemoGroupOps + ` would strand it.*` +
					`with line_bot_membership.ops,.*room_id = .*into the multi-person chat from the LINE app`),
			},
			{
				// The bot is where it was, and state still says so: nothing to do.
				PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
				Config:    mock.config(membershipOf(linemock.DemoGroupOps)),
				PlanOnly:  true,
			},
		},
	})
}

// Changing group_id to a chat the bot is in replaces the membership as before: the bot
// leaves the old chat and the new one is adopted.
func TestAccBotMembershipResource_replaceIntoChatWithBot(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps, linemock.DemoGroupRelease, linemock.DemoRoom),
		Steps: []resource.TestStep{
			{Config: mock.config(membershipOf(linemock.DemoGroupOps))},
			{
				Config: mock.config(membershipOf(linemock.DemoGroupRelease)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("id"), knownvalue.StringExact(linemock.DemoGroupRelease)),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupReleaseName)),
				},
				Check: func(*terraform.State) error {
					if mock.botJoined(t, linemock.DemoGroupOps) {
						return fmt.Errorf("the bot is still in the old group")
					}
					if n := mock.CountRequests(linemock.EndpointGroupLeave); n != 1 {
						return fmt.Errorf("%d leave requests, want 1", n)
					}
					return nil
				},
			},
			{
				// From a group to a room the bot is in.
				Config: mock.config(membershipOf(linemock.DemoRoom)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionReplace),
					plancheck.ExpectKnownValue(opsMembership, tfjsonpath.New("chat_type"), knownvalue.StringExact("room")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("room_id"), knownvalue.StringExact(linemock.DemoRoom)),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_id"), knownvalue.Null()),
				},
			},
		},
	})
}

// A new chat ID known only at apply cannot be checked at plan: the plan proceeds without
// asking LINE about it, and Create checks it at apply.
func TestAccBotMembershipResource_replaceIntoUnknownChat(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(next string) string {
		return mock.config(`
resource "terraform_data" "next" {
  input = "` + next + `"
}
resource "line_bot_membership" "ops" {
  group_id = terraform_data.next.output
}`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupRelease),
		Steps: []resource.TestStep{
			{Config: config(linemock.DemoGroupOps)},
			{
				PreConfig:          mock.ResetRequests,
				Config:             config(linemock.DemoGroupRelease),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectUnknownValue(opsMembership, tfjsonpath.New("group_id")),
				}},
			},
			{
				PreConfig: func() {
					if n := requestsFor(mock, linemock.DemoGroupRelease); n != 0 {
						t.Fatalf("%d requests about the new chat at plan, want none: its ID was unknown", n)
					}
				},
				Config: config(linemock.DemoGroupRelease),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupReleaseName)),
				},
			},
		},
	})
}

// With a provider configuration known only at apply, LINE cannot be asked at plan: the
// replacement check is skipped without an error, like the refresh.
func TestAccBotMembershipResource_replaceWithUnknownProviderConfiguration(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: mock.config(membershipOf(linemock.DemoGroupOps))},
			{
				PreConfig: mock.ResetRequests,
				Config: `
resource "terraform_data" "endpoint" {
  input = "` + mock.URL + `"
}
provider "line" {
  api_endpoint         = terraform_data.endpoint.output
  channel_access_token = "` + linemock.DemoToken + `"
}
` + membershipOf(linemock.DemoGroupNotJoined),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
			{
				PreConfig: func() {
					if n := mock.CountRequests(""); n != 0 {
						t.Fatalf("%d requests during a plan whose provider configuration was unknown, want none", n)
					}
				},
				Config:   mock.config(membershipOf(linemock.DemoGroupOps)),
				PlanOnly: true,
			},
		},
	})
}

// With leave_on_destroy = false in state, a replacement only forgets the old chat, so the
// plan does not stop: the apply forgets the old chat, keeps the bot there, and the create
// fails as any adoption of a chat the bot is not in does.
func TestAccBotMembershipResource_replaceWithoutLeavingIsNotChecked(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(chatID string) string {
		return mock.config(`
resource "line_bot_membership" "ops" {
  group_id         = "` + chatID + `"
  leave_on_destroy = false
}`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config(linemock.DemoGroupOps)},
			{
				PreConfig: mock.ResetRequests,
				Config:    config(linemock.DemoGroupNotJoined),
				ExpectError: wrapped(`The bot is not in group chat ` + linemock.DemoGroupNotJoined +
					`.*can only adopt a chat the bot is already in`),
			},
			{
				PreConfig: func() {
					checkStillIn(t, mock, linemock.DemoGroupOps)()
					// One read of the new chat, by Create at apply; none by the plan.
					if n := requestsFor(mock, linemock.DemoGroupNotJoined); n != 1 {
						t.Fatalf("%d requests about the new chat, want 1", n)
					}
				},
				Config:             config(linemock.DemoGroupOps),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true, // forgotten: the plan adopts ops again
			},
		},
	})
}

// A tainted membership whose chat also changes is planned as a new membership (Terraform
// plans a tainted object with no prior state), so the plan cannot check the new chat. The
// apply does, before the bot leaves the old one: into a chat the bot is not in, the destroy
// fails and the bot stays; into one it is in, the replacement goes through.
func TestAccBotMembershipResource_taintedIntoAnotherChat(t *testing.T) {
	for name, tc := range map[string]struct{ lifecycle, refusal string }{
		// Delete checks the new chat before the bot leaves the old one.
		"destroy first": {"", `: replacing the membership of group chat ` + linemock.DemoGroupOps + ` would strand it.*` +
			`Applying would make the bot leave group chat ` + linemock.DemoGroupOps + ` for good.*` +
			`The apply stops here, before the bot leaves group chat ` + linemock.DemoGroupOps + `: the bot has not left`},
		// Create fails first, and the destroy never comes.
		"create first": {"  lifecycle {\n    create_before_destroy = true\n  }\n", `.*can only adopt a chat the bot is already in`},
	} {
		t.Run(name, func(t *testing.T) {
			mock := newMockLINE(t, nil)
			config := func(chatID string) string {
				return mock.config(membershipNamed("ops", chatID, tc.lifecycle))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps, linemock.DemoGroupRelease),
				Steps: []resource.TestStep{
					{Config: config(linemock.DemoGroupOps)},
					{
						Taint:       []string{opsMembership},
						Config:      config(linemock.DemoGroupNotJoined),
						ExpectError: wrapped(`The bot is not in group chat ` + linemock.DemoGroupNotJoined + tc.refusal),
					},
					{
						PreConfig: checkStillIn(t, mock, linemock.DemoGroupOps),
						Taint:     []string{opsMembership},
						Config:    config(linemock.DemoGroupRelease),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupReleaseName)),
						},
						Check: func(*terraform.State) error {
							if mock.botJoined(t, linemock.DemoGroupOps) {
								return fmt.Errorf("the bot is still in the old group")
							}
							return nil
						},
					},
				},
			})
		})
	}
}
