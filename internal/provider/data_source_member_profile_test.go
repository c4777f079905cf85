package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestAccMemberProfileDataSources(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_member_profile" "aiko" {
  group_id = "` + linemock.DemoGroupOps + `"
  user_id  = "` + linemock.DemoUserAiko + `"
}
data "line_group_member_profile" "ben" {
  group_id = "` + linemock.DemoGroupOps + `"
  user_id  = "` + linemock.DemoUserBen + `"
}
data "line_room_member_profile" "emi" {
  room_id = "` + linemock.DemoRoom + `"
  user_id = "` + linemock.DemoUserEmi + `"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_group_member_profile.aiko", tfjsonpath.New("display_name"), knownvalue.StringExact("Aiko")),
				statecheck.ExpectKnownValue("data.line_group_member_profile.aiko", tfjsonpath.New("picture_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://`))),
				statecheck.ExpectKnownValue("data.line_group_member_profile.ben", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoUserBen)),
				// Ben has no profile image: LINE omits pictureUrl, so it is null.
				statecheck.ExpectKnownValue("data.line_group_member_profile.ben", tfjsonpath.New("picture_url"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.line_room_member_profile.emi", tfjsonpath.New("room_id"), knownvalue.StringExact(linemock.DemoRoom)),
				statecheck.ExpectKnownValue("data.line_room_member_profile.emi", tfjsonpath.New("display_name"), knownvalue.StringExact("Emi")),
			},
		}},
	})
}

func TestAccGroupMemberProfileDataSource_noConsent(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_member_profile" "daichi" {
  group_id = "` + linemock.DemoGroupOps + `"
  user_id  = "` + linemock.DemoUserDaichi + `"
}`),
			ExpectError: wrapped(`LINE answered 404: Not found.*has not consented to profile access`),
		}},
	})
}

func TestAccRoomMemberProfileDataSource_invalidUserID(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_room_member_profile" "x" {
  room_id = "` + linemock.DemoRoom + `"
  user_id = "U123"
}`),
			ExpectError: words(`Attribute user_id must be "U" followed by 32 lowercase hexadecimal digits`),
		}},
	})
}
