package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestAccBotMembershipDataSource(t *testing.T) {
	mock := newMockLINE(t, nil)
	check := func(name string, isMember bool, chatType string, groupName knownvalue.Check) []statecheck.StateCheck {
		addr := "data.line_bot_membership." + name
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_member"), knownvalue.Bool(isMember)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("chat_type"), knownvalue.StringExact(chatType)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("group_name"), groupName),
		}
	}
	var checks []statecheck.StateCheck
	checks = append(checks, check("ops", true, "group", knownvalue.StringExact(linemock.DemoGroupOpsName))...)
	// LINE answers 404 for a chat the bot left: not an error, just not a member.
	checks = append(checks, check("left_group", false, "group", knownvalue.Null())...)
	checks = append(checks, check("room", true, "room", knownvalue.Null())...)
	checks = append(checks, check("left_room", false, "room", knownvalue.Null())...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
data "line_bot_membership" "left_group" {
  group_id = "` + linemock.DemoGroupNotJoined + `"
}
data "line_bot_membership" "room" {
  room_id = "` + linemock.DemoRoom + `"
}
data "line_bot_membership" "left_room" {
  room_id = "` + linemock.DemoRoomNotJoined + `"
}`),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccBotMembershipDataSource_exactlyOneID(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_bot_membership" "x" {
  group_id = "` + linemock.DemoGroupOps + `"
  room_id  = "` + linemock.DemoRoom + `"
}`),
			ExpectError: wrapped(`Exactly one of these attributes must be configured: \[group_id,room_id\]`),
		}},
	})
}

// A check block audits the bot's presence: when the bot was removed, the plan warns and
// still succeeds.
func TestAccBotMembershipDataSource_checkBlockWarnsWithoutFailing(t *testing.T) {
	mock := newMockLINE(t, nil)
	config := mock.config(`
check "bot_in_ops" {
  data "line_bot_membership" "ops" {
    group_id = "` + linemock.DemoGroupOps + `"
  }
  assert {
    condition     = data.line_bot_membership.ops.is_member
    error_message = "The bot is no longer in the Ops alerts group: invite it back from the LINE app."
  }
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: config,
				// Terraform plans to read a check block's data source again on every plan.
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_bot_membership.ops", tfjsonpath.New("is_member"), knownvalue.Bool(true)),
				},
			},
			{
				// The assertion fails, which Terraform reports as a warning: the apply succeeds.
				PreConfig:          outsideTerraform(t, func() error { return mock.KickBot(linemock.DemoGroupOps) }),
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_bot_membership.ops", tfjsonpath.New("is_member"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
