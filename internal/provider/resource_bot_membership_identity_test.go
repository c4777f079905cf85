package provider

import (
	"context"
	"fmt"
	"strings"
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
)

// Resource identity arrived in Terraform 1.12; lifecycle { destroy = false } in 1.16.
var (
	needsIdentity      = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
	needsLifecycleKeep = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0")))}
)

func expectChatIdentity(address, chatID string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(address, map[string]knownvalue.Check{"chat_id": knownvalue.StringExact(chatID)})
}

// expectGeneratedConfig checks the configuration that plan -generate-config-out wrote for an
// imported resource.
type expectGeneratedConfig struct {
	address string
	want    []string // lines the configuration must hold
	notWant []string // words it must not hold
}

func (e expectGeneratedConfig) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.address || rc.Change == nil {
			continue
		}
		generated := rc.Change.GeneratedConfig
		normalized := strings.Join(strings.Fields(generated), " ")
		for _, want := range e.want {
			if !strings.Contains(normalized, want) {
				resp.Error = fmt.Errorf("generated configuration of %s lacks %q:\n%s", e.address, want, generated)
				return
			}
		}
		for _, notWant := range e.notWant {
			if strings.Contains(generated, notWant) {
				resp.Error = fmt.Errorf("generated configuration of %s holds %q:\n%s", e.address, notWant, generated)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("no planned change for %s", e.address)
}

// expectForget checks that the plan forgets a resource rather than destroying it.
type expectForget struct{ address string }

func (e expectForget) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == e.address && rc.Change != nil {
			if !rc.Change.Actions.Forget() {
				resp.Error = fmt.Errorf("%s: planned %v, want forget", e.address, rc.Change.Actions)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("no planned change for %s", e.address)
}

// The identity is the chat alone, set on create and read; an import block with an identity
// imports the membership with no change; and a configuration generated from an identity
// writes group_id or room_id and plans no change.
func TestAccBotMembershipResource_identity(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   needsIdentity,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps, linemock.DemoRoom),
		Steps: []resource.TestStep{
			{
				Config: membershipConfig(mock),
				ConfigStateChecks: []statecheck.StateCheck{
					expectChatIdentity(opsMembership, linemock.DemoGroupOps),
					statecheck.ExpectIdentityValue(roomMembership, tfjsonpath.New("chat_id"), knownvalue.StringExact(linemock.DemoRoom)),
				},
			},
			{
				ResourceName:    opsMembership,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:    roomMembership,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// A configuration generated from an identity writes group_id or room_id and plans no change.
// plan -generate-config-out imports into line_bot_membership.generated beside the membership
// of the same chat in state: two memberships of one chat, which the plan refuses unless the
// one in state goes without leaving. So the memberships are first set to leave_on_destroy =
// false, and the configuration that generates declares no other.
func TestAccBotMembershipResource_generatedConfiguration(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   needsIdentity,
		CheckDestroy: func(*terraform.State) error {
			for _, chatID := range []string{linemock.DemoGroupOps, linemock.DemoRoom} {
				if !mock.botJoined(t, chatID) {
					return fmt.Errorf("the bot left %s, whose membership had leave_on_destroy = false", chatID)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
resource "line_bot_membership" "ops" {
  group_id         = "` + linemock.DemoGroupOps + `"
  leave_on_destroy = false
}
resource "line_bot_membership" "room" {
  room_id          = "` + linemock.DemoRoom + `"
  leave_on_destroy = false
}`),
			},
			{
				// plan -generate-config-out from the identity of ops, into line_bot_membership.generated.
				ResourceName:    opsMembership,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig:  true,
				Config:          mock.config(``),
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					expectGeneratedConfig{
						address: "line_bot_membership.generated",
						want:    []string{`group_id = "` + linemock.DemoGroupOps + `"`, `leave_on_destroy = true`},
						notWant: []string{`room_id = "`},
					},
					plancheck.ExpectKnownValue("line_bot_membership.generated", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
				}},
			},
			{
				ResourceName:    roomMembership,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig:  true,
				Config:          mock.config(``),
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					expectGeneratedConfig{
						address: "line_bot_membership.generated",
						want:    []string{`room_id = "` + linemock.DemoRoom + `"`},
						notWant: []string{`group_id = "`},
					},
				}},
			},
		},
	})
}

// An import block written with an identity adopts the membership with no change, as one
// written with an id does.
func TestAccBotMembershipResource_importBlockByIdentity(t *testing.T) {
	mock := newMockLINE(t, nil)
	const release = "line_bot_membership.release"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   needsIdentity,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupRelease),
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
import {
  to       = line_bot_membership.release
  identity = { chat_id = "` + linemock.DemoGroupRelease + `" }
}
resource "line_bot_membership" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
}`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(release, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectChatIdentity(release, linemock.DemoGroupRelease),
					statecheck.ExpectKnownValue(release, tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupReleaseName)),
					statecheck.ExpectKnownValue(release, tfjsonpath.New("leave_on_destroy"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// A malformed chat_id is refused before any request, naming the identity attribute; a chat
// the bot is not in cannot be imported by identity either.
func TestAccBotMembershipResource_importByIdentityRefused(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := func(chatID string) string {
		return mock.config(`
import {
  to       = line_bot_membership.x
  identity = { chat_id = "` + chatID + `" }
}
resource "line_bot_membership" "x" {
  group_id = "` + linemock.DemoGroupNotJoined + `"
}`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   needsIdentity,
		Steps: []resource.TestStep{
			{
				Config: config("C0c5"),
				ExpectError: wrapped(`Invalid import identity .*The identity attribute chat_id of line_bot_membership must ` +
					`be a group chat ID \("C" followed by 32 lowercase hexadecimal digits.*Got "C0c5"`),
			},
			{
				Config:      config(linemock.DemoBotUserID),
				ExpectError: wrapped(`Invalid import identity .*chat_id.*Got "` + linemock.DemoBotUserID + `"`),
			},
			{
				PreConfig: func() {
					if n := mock.CountRequests(""); n != 0 {
						t.Fatalf("%d requests reached LINE for malformed identities, want 0", n)
					}
				},
				Config: config(linemock.DemoGroupNotJoined),
				ExpectError: wrapped(`The bot is not in group chat ` + linemock.DemoGroupNotJoined + `: nothing to import.*` +
					`Invite the LINE Official Account into the group`),
			},
		},
	})
}

// Terraform 1.16's lifecycle { destroy = false }: whenever Terraform would destroy the
// membership while its block is in the configuration (a count that shrinks, terraform
// destroy), it forgets it instead, and the bot stays. The setting goes with the block: once
// the block is removed, Terraform destroys as usual, which the resource page says.
func TestAccBotMembershipResource_lifecycleDestroyFalse(t *testing.T) {
	mock := newMockLINE(t, nil)
	kept := func(id string) string {
		return fmt.Sprintf(`
  group_id = %q
  lifecycle {
    destroy = false
  }
}`, id)
	}
	config := func(count int, allHands bool) string {
		body := fmt.Sprintf("resource \"line_bot_membership\" \"release\" {\n  count = %d", count) + kept(linemock.DemoGroupRelease) +
			"\nresource \"line_bot_membership\" \"ops\" {" + kept(linemock.DemoGroupOps)
		if allHands {
			body += "\nresource \"line_bot_membership\" \"all_hands\" {" + kept(linemock.DemoGroupAllHands)
		}
		return mock.config(body)
	}
	leaves := func(want int, stayed ...string) error {
		for _, id := range stayed {
			if !mock.botJoined(t, id) {
				return fmt.Errorf("the bot left %s although destroy = false", id)
			}
		}
		if n := mock.CountRequests(linemock.EndpointGroupLeave); n != want {
			return fmt.Errorf("%d leave requests, want %d", n, want)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   needsLifecycleKeep,
		// terraform destroy forgets ops instead of destroying it.
		CheckDestroy: func(*terraform.State) error { return leaves(1, linemock.DemoGroupOps, linemock.DemoGroupRelease) },
		Steps: []resource.TestStep{
			{Config: config(1, true)},
			{
				Config: config(0, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectForget{"line_bot_membership.release[0]"},
				}},
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["line_bot_membership.release.0"]; ok {
						return fmt.Errorf("the forgotten membership is still in state")
					}
					return leaves(0, linemock.DemoGroupRelease)
				},
			},
			{
				// The block of all_hands is removed, and its lifecycle with it: the bot leaves.
				Config: config(0, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("line_bot_membership.all_hands", plancheck.ResourceActionDestroy),
				}},
				Check: func(*terraform.State) error {
					if mock.botJoined(t, linemock.DemoGroupAllHands) {
						return fmt.Errorf("the bot stayed in all_hands: has Terraform begun to keep destroy = false after the block is gone? Update the resource page")
					}
					return leaves(1)
				},
			},
		},
	})
}
