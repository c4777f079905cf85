package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestAccMemberCountDataSources(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: mock.config(`
data "line_group_member_count" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
data "line_group_member_count" "all_hands" {
  group_id = "` + linemock.DemoGroupAllHands + `"
}
data "line_room_member_count" "room" {
  room_id = "` + linemock.DemoRoom + `"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					// Four users, one of whom never consented to profile access: counted all the same;
					// the bot is not counted.
					statecheck.ExpectKnownValue("data.line_group_member_count.ops", tfjsonpath.New("member_count"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue("data.line_group_member_count.all_hands", tfjsonpath.New("member_count"), knownvalue.Int64Exact(linemock.DemoGroupAllHandsMemberCount)),
					statecheck.ExpectKnownValue("data.line_room_member_count.room", tfjsonpath.New("room_id"), knownvalue.StringExact(linemock.DemoRoom)),
					statecheck.ExpectKnownValue("data.line_room_member_count.room", tfjsonpath.New("member_count"), knownvalue.Int64Exact(3)),
				},
			},
			{
				PreConfig: func() {
					if err := mock.RemoveMember(linemock.DemoRoom, linemock.DemoUserBen); err != nil {
						t.Fatal(err)
					}
				},
				Config: mock.config(`
data "line_room_member_count" "room" {
  room_id = "` + linemock.DemoRoom + `"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_room_member_count.room", tfjsonpath.New("member_count"), knownvalue.Int64Exact(2)),
				},
			},
		},
	})
}

func TestAccRoomMemberCountDataSource_botNotInRoom(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_room_member_count" "gone" {
  room_id = "` + linemock.DemoRoomNotJoined + `"
}`),
			ExpectError: words("LINE answered 404: Not found"),
		}},
	})
}
