package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestAccBotInfoDataSource(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`data "line_bot_info" "bot" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("basic_id"), knownvalue.StringExact(linemock.DemoBotBasicID)),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("display_name"), knownvalue.StringExact(linemock.DemoBotDisplayName)),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("picture_url"), knownvalue.StringExact(linemock.DemoBotPictureURL)),
				// The demo bot has no premium ID: LINE leaves the field out, so it is null, not "".
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("premium_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("chat_mode"), knownvalue.StringExact("bot")),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("mark_as_read_mode"), knownvalue.StringExact("auto")),
			},
		}},
	})
}

func TestAccBotInfoDataSource_premiumWithoutPicture(t *testing.T) {
	fixture := linemock.DemoFixture()
	fixture.Bot.PremiumID = "@opsbot"
	fixture.Bot.PictureURL = ""
	fixture.Bot.ChatMode = "chat"
	fixture.Bot.MarkAsReadMode = "manual"
	mock := newMockLINE(t, fixture)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`data "line_bot_info" "bot" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("premium_id"), knownvalue.StringExact("@opsbot")),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("picture_url"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("chat_mode"), knownvalue.StringExact("chat")),
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("mark_as_read_mode"), knownvalue.StringExact("manual")),
			},
		}},
	})
}

// A read deadline that passes at once is refused at plan, naming the attribute, before any
// request (every data source has this validator: TestDataSources_readTimeoutValidation).
func TestAccBotInfoDataSource_readTimeoutMustBePositive(t *testing.T) {
	mock := newMockLINE(t, nil)
	var steps []resource.TestStep
	for _, value := range []string{"0s", "-1m"} {
		steps = append(steps, resource.TestStep{
			Config:      mock.config(`data "line_bot_info" "bot" {` + "\n  timeouts {\n    read = \"" + value + "\"\n  }\n}"),
			ExpectError: wrapped(`Invalid duration.*Attribute timeouts.read must be a positive duration such as "30s", "1m" or "1m30s", got: "` + value + `"`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories, Steps: steps})
	if n := mock.CountRequests(""); n != 0 {
		t.Errorf("%d requests reached LINE for an invalid read deadline, want 0", n)
	}
}
