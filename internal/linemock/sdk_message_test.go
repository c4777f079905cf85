package linemock

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
)

// TestSDKTextV2AndValidate drives text message v2, other message types and the validate
// endpoint through line-bot-sdk-go's own client (v8.22.0: mentions need v8.14.1 or later),
// so the mock accepts exactly what the SDK sends (REFERENCE.md §15).
func TestSDKTextV2AndValidate(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	api, err := messaging_api.NewMessagingApiAPI(DemoToken, messaging_api.WithEndpoint(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	mention := &messaging_api.TextMessageV2{
		Text: "{all} deploy failed, {oncall} please look {fire}",
		Substitution: map[string]messaging_api.SubstitutionObjectInterface{
			"all":    &messaging_api.MentionSubstitutionObject{Mentionee: &messaging_api.AllMentionTarget{}},
			"oncall": &messaging_api.MentionSubstitutionObject{Mentionee: &messaging_api.UserMentionTarget{UserId: DemoUserBen}},
			"fire":   &messaging_api.EmojiSubstitutionObject{ProductId: "5ac1bfd5040ab15980c9b435", EmojiId: "002"},
		},
	}
	card := &messaging_api.FlexMessage{AltText: "Deploy status", Contents: &messaging_api.FlexBubble{
		Body: &messaging_api.FlexBox{Layout: messaging_api.FlexBoxLAYOUT_VERTICAL,
			Contents: []messaging_api.FlexComponentInterface{&messaging_api.FlexText{Text: "v1.2 failed"}}},
	}}
	sticker := &messaging_api.StickerMessage{PackageId: "446", StickerId: "1988"}
	messages := []messaging_api.MessageInterface{mention, card, sticker}

	// Validate first: 200, nothing sent.
	if _, err := api.ValidatePush(&messaging_api.ValidateMessageRequest{Messages: messages}); err != nil {
		t.Fatalf("ValidatePush: %v", err)
	}
	if len(s.PushedMessages()) != 0 {
		t.Fatal("validate sent something")
	}
	// A stranger's mention passes validate (no recipient), then fails the push.
	stranger := &messaging_api.TextMessageV2{Text: "{u}", Substitution: map[string]messaging_api.SubstitutionObjectInterface{
		"u": &messaging_api.MentionSubstitutionObject{Mentionee: &messaging_api.UserMentionTarget{UserId: DemoUserEmi}}}}
	if _, err := api.ValidatePush(&messaging_api.ValidateMessageRequest{Messages: []messaging_api.MessageInterface{stranger}}); err != nil {
		t.Errorf("ValidatePush of a stranger's mention: %v", err)
	}
	_, err = api.PushMessage(&messaging_api.PushMessageRequest{To: DemoGroupOps, Messages: []messaging_api.MessageInterface{stranger}}, "")
	if err == nil || !strings.Contains(err.Error(), "unexpected status code: 400") || !strings.Contains(err.Error(), msgFailedToSend) {
		t.Errorf("push of a stranger's mention: %v", err)
	}

	res, _, err := api.PushMessageWithHttpInfo(&messaging_api.PushMessageRequest{To: DemoGroupOps, Messages: messages}, "")
	if err != nil {
		t.Fatalf("PushMessage: %v", err)
	}
	pushed := s.PushedMessages()
	if len(pushed) != 1 || pushed[0].RequestID != res.Header.Get("X-Line-Request-Id") {
		t.Fatalf("pushed %+v", pushed)
	}
	if got := strings.Join(pushed[0].Texts, "|"); got != "@All deploy failed, @Ben please look (emoji)|Deploy status|(sticker)" {
		t.Errorf("shown %q", got)
	}
	if fmt.Sprint(pushed[0].Mentions) != fmt.Sprint([]string{"all", DemoUserBen}) {
		t.Errorf("mentions %q", pushed[0].Mentions)
	}
	// The SDK puts "type" after the other fields; the mock does not depend on key order.
	var first map[string]any
	if err := json.Unmarshal(pushed[0].Messages[0], &first); err != nil || first["type"] != "textV2" {
		t.Errorf("first message recorded as %s", pushed[0].Messages[0])
	}

	// Errors come back as the SDK reports them, in LINE's two families.
	_, err = api.ValidatePush(&messaging_api.ValidateMessageRequest{Messages: []messaging_api.MessageInterface{
		&messaging_api.FlexMessage{AltText: "empty", Contents: &messaging_api.FlexBubble{}}}})
	if err == nil || !strings.Contains(err.Error(), `{"message":"A message (messages[0]) in the request body is invalid","details":[{"message":"At least one block must be specified","property":"/"}]}`) {
		t.Errorf("ValidatePush of a bubble without blocks: %v", err)
	}
	_, err = api.ValidatePush(&messaging_api.ValidateMessageRequest{})
	if err == nil || !strings.Contains(err.Error(), `"Size must be between 1 and 5","property":"messages"`) {
		t.Errorf("ValidatePush with no messages: %v", err)
	}
	_, err = api.ValidatePush(nil)
	if err == nil || !strings.Contains(err.Error(), `"Size must be between 1 and 5","property":"messages"`) {
		t.Errorf("ValidatePush(nil), which sends null: %v", err)
	}
	for _, r := range s.Requests() {
		if r.Endpoint == EndpointValidatePush && r.Header.Get("X-Line-Retry-Key") != "" {
			t.Errorf("the SDK sent X-Line-Retry-Key %q to validate", r.Header.Get("X-Line-Retry-Key"))
		}
	}
	if n := s.CountRequests(EndpointValidatePush); n != 5 {
		t.Errorf("%d validate requests, want 5", n)
	}
}
