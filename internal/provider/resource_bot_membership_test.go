package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const (
	opsMembership  = "line_bot_membership.ops"
	roomMembership = "line_bot_membership.room"
)

func membershipConfig(mock *mockLINE) string {
	return mock.config(`
resource "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
resource "line_bot_membership" "room" {
  room_id = "` + linemock.DemoRoom + `"
}`)
}

// outsideTerraform changes the world the way a LINE user would, between steps.
func outsideTerraform(t *testing.T, change func() error) func() {
	return func() {
		if err := change(); err != nil {
			t.Fatal(err)
		}
	}
}

// checkBotLeft is a CheckDestroy that asks the mock whether the bot is still in the chats.
func checkBotLeft(t *testing.T, mock *mockLINE, chatIDs ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range chatIDs {
			if mock.botJoined(t, id) {
				return fmt.Errorf("the bot is still in %s after destroy", id)
			}
		}
		return nil
	}
}

// TestAccBotMembershipResource_story is the audit story: adopt, re-plan empty, removed outside
// Terraform, the plan proposes to create it again, the apply asks for an invitation,
// re-invited, adopted, and destroy makes the bot leave.
func TestAccBotMembershipResource_story(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := membershipConfig(mock)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps, linemock.DemoRoom),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionCreate),
					// Known at plan from the configured ID.
					plancheck.ExpectKnownValue(opsMembership, tfjsonpath.New("id"), knownvalue.StringExact(linemock.DemoGroupOps)),
					plancheck.ExpectKnownValue(roomMembership, tfjsonpath.New("chat_type"), knownvalue.StringExact("room")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("id"), knownvalue.StringExact(linemock.DemoGroupOps)),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("chat_type"), knownvalue.StringExact("group")),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("picture_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://`))),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("room_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("leave_on_destroy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(roomMembership, tfjsonpath.New("id"), knownvalue.StringExact(linemock.DemoRoom)),
					statecheck.ExpectKnownValue(roomMembership, tfjsonpath.New("group_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(roomMembership, tfjsonpath.New("picture_url"), knownvalue.Null()),
				},
			},
			{
				// Nothing changed: the plan is empty.
				Config:   config,
				PlanOnly: true,
			},
			{
				// Renamed in the LINE app: refresh follows, with nothing to change.
				PreConfig: outsideTerraform(t, func() error { return mock.RenameGroup(linemock.DemoGroupOps, "Ops alerts (night)") }),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact("Ops alerts (night)")),
				},
			},
			{
				// A member removes the bot from the group: the plan proposes to create the
				// membership again, and the apply says to invite the bot.
				PreConfig: outsideTerraform(t, func() error { return mock.KickBot(linemock.DemoGroupOps) }),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(roomMembership, plancheck.ResourceActionNoop),
				}},
				ExpectError: wrapped(`The bot is not in group chat ` + linemock.DemoGroupOps + `.*` +
					`Invite the LINE Official Account into the group from the LINE app, then try again.*` +
					`"Allow bot to join group chats"`),
			},
			{
				// Invited back: the apply adopts the membership again.
				PreConfig: outsideTerraform(t, func() error { return mock.InviteBot(linemock.DemoGroupOps) }),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("group_name"), knownvalue.StringExact("Ops alerts (night)")),
				},
			},
		},
	})
}

func TestAccBotMembershipResource_adoptFailsWhenNotInvited(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
resource "line_bot_membership" "old" {
  room_id = "` + linemock.DemoRoomNotJoined + `"
}`),
				ExpectError: wrapped(`The bot is not in multi-person chat ` + linemock.DemoRoomNotJoined +
					`.*LINE has no API call that makes a bot join a chat`),
			},
			{
				// Nothing was recorded: the failed apply left the state empty.
				Config: mock.config(``),
				Check: func(s *terraform.State) error {
					if len(s.RootModule().Resources) != 0 {
						return fmt.Errorf("state holds %d resources after a failed adopt, want 0", len(s.RootModule().Resources))
					}
					return nil
				},
			},
		},
	})
}

func TestAccBotMembershipResource_leaveOnDestroyFalse(t *testing.T) {
	mock := newMockLINE(t, nil)
	body := func(leave bool) string {
		return mock.config(fmt.Sprintf(`
resource "line_bot_membership" "ops" {
  group_id         = %q
  leave_on_destroy = %t
}`, linemock.DemoGroupOps, leave))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy: func(*terraform.State) error {
			if !mock.botJoined(t, linemock.DemoGroupOps) {
				return fmt.Errorf("the bot left although leave_on_destroy is false")
			}
			if n := mock.CountRequests(linemock.EndpointGroupLeave); n != 0 {
				return fmt.Errorf("%d leave requests, want none", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: body(true)},
			{
				// Updated in place, without asking LINE for anything but the refresh.
				Config: body(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(opsMembership, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(opsMembership, tfjsonpath.New("leave_on_destroy"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// A member removed the bot after the last refresh: destroy asks LINE to leave, LINE answers
// 404, and that counts as left. The plan skips refresh (-refresh=false), as a plan applied
// later would, so that Delete rather than Read meets the 404.
func TestAccBotMembershipResource_destroyAfterLeavingOutsideTerraform(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		AdditionalCLIOptions:     &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupRelease),
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
resource "line_bot_membership" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
}`),
			},
			{
				// Removed in the LINE app, then the resource is removed from the configuration.
				PreConfig: outsideTerraform(t, func() error { return mock.KickBot(linemock.DemoGroupRelease) }),
				Config:    mock.config(``),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("line_bot_membership.release", plancheck.ResourceActionDestroy),
				}},
				Check: func(s *terraform.State) error {
					if n := len(s.RootModule().Resources); n != 0 {
						return fmt.Errorf("state holds %d resources after destroy, want 0", n)
					}
					return expectLeaves(mock, http.StatusNotFound)
				},
			},
		},
	})
}

// expectLeaves checks the statuses the mock answered to group leave requests, in order.
func expectLeaves(mock *mockLINE, want ...int) error {
	var got []int
	for _, r := range mock.Requests() {
		if r.Endpoint == linemock.EndpointGroupLeave {
			got = append(got, r.Status)
		}
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("leave requests answered %v, want %v", got, want)
	}
	return nil
}

func TestAccBotMembershipResource_leaveFailsKeepsState(t *testing.T) {
	mock := newMockLINE(t, nil)
	settings := `channel_access_token = "` + linemock.DemoToken + `"
  max_retries          = 1`
	config := mock.configWith(settings, `
resource "line_bot_membership" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{Rate500: 1}) },
				Config:    mock.configWith(settings, ``),
				// LINE answered 500 twice: whether it carried the leave out is unknown.
				ExpectError: wrapped(`The bot may have left group chat ` + linemock.DemoGroupOps + `.*` +
					`LINE answered 500: Internal server error .*2 attempts.*` +
					`LINE may have carried the leave out.*The next plan refreshes it and tells`),
			},
			{
				// The membership is still in state: with the fault gone, the plan has nothing to do.
				PreConfig: func() {
					if !mock.botJoined(t, linemock.DemoGroupOps) {
						t.Fatal("the bot left although every leave failed")
					}
					mock.ClearFaults()
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

func TestAccBotMembershipResource_import(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := membershipConfig(mock)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				ResourceName:      opsMembership,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:      roomMembership,
				ImportState:       true,
				ImportStateId:     linemock.DemoRoom,
				ImportStateVerify: true,
			},
			{
				ResourceName:  opsMembership,
				ImportState:   true,
				ImportStateId: "C0c5",
				ExpectError:   wrapped(`Invalid import ID .*Import line_bot_membership by the chat's ID: a group chat ID \("C" followed by 32 lowercase hexadecimal digits`),
			},
			{
				ResourceName:  opsMembership,
				ImportState:   true,
				ImportStateId: linemock.DemoGroupNotJoined,
				ExpectError: wrapped(`The bot is not in group chat ` + linemock.DemoGroupNotJoined + `: nothing to import.*` +
					`can only adopt a chat the bot is already in.*Invite the LINE Official Account into the group`),
			},
		},
	})
}

func TestAccBotMembershipResource_importBlock(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupRelease),
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
import {
  to = line_bot_membership.release
  id = "` + linemock.DemoGroupRelease + `"
}
resource "line_bot_membership" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
}`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Adopted by import: no create, no change.
					plancheck.ExpectResourceAction("line_bot_membership.release", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("line_bot_membership.release", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupReleaseName)),
					statecheck.ExpectKnownValue("line_bot_membership.release", tfjsonpath.New("leave_on_destroy"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func TestAccBotMembershipResource_validation(t *testing.T) {
	mock := newMockLINE(t, nil)
	cases := map[string]struct {
		body string
		want *regexp.Regexp
	}{
		"malformed group ID": {
			body: `group_id = "C0C500000000000000000000000000001"`,
			want: wrapped(`Attribute group_id must be "C" followed by 32 lowercase hexadecimal digits \(a LINE group ID\), got: C0C5`),
		},
		"room ID in group_id": {
			body: `group_id = "` + linemock.DemoRoom + `"`,
			want: wrapped(`Attribute group_id must be "C" followed by 32 lowercase hexadecimal digits`),
		},
		"malformed room ID": {
			body: `room_id = "R/../../v2/bot/info"`,
			want: wrapped(`Attribute room_id must be "R" followed by 32 lowercase hexadecimal digits`),
		},
		"both IDs": {
			body: `group_id = "` + linemock.DemoGroupOps + `"
  room_id  = "` + linemock.DemoRoom + `"`,
			want: wrapped(`Invalid Attribute Combination .*Exactly one of these attributes must be configured: \[group_id,room_id\]`),
		},
		"neither ID": {
			body: `leave_on_destroy = false`,
			want: wrapped(`Missing Attribute Configuration .*Exactly one of these attributes must be configured: \[group_id,room_id\]`),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      mock.config("resource \"line_bot_membership\" \"x\" {\n  " + tc.body + "\n}"),
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
	t.Cleanup(func() {
		if n := mock.CountRequests(""); n != 0 {
			t.Errorf("%d requests reached LINE for invalid configurations, want 0", n)
		}
	})
}
