package linemock

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/channel_access_token"
	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
)

// TestSDK drives every endpoint through line-bot-sdk-go's own clients, the same code the
// provider uses, so the mock speaks what the SDK sends and decodes.
func TestSDK(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)

	tokens, err := channel_access_token.NewChannelAccessTokenAPI(channel_access_token.WithEndpoint(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	issued, err := tokens.IssueStatelessChannelToken("client_credentials", "", "", DemoChannelID, DemoChannelSecret)
	if err != nil {
		t.Fatalf("IssueStatelessChannelToken: %v", err)
	}
	if issued.TokenType != "Bearer" || issued.ExpiresIn != 900 || issued.AccessToken == "" {
		t.Errorf("issued token %+v", issued)
	}
	if _, err := tokens.IssueStatelessChannelToken("client_credentials", "", "", DemoChannelID, "wrong"); err == nil ||
		!strings.Contains(err.Error(), "unexpected status code: 400") || !strings.Contains(err.Error(), "invalid_request") {
		t.Errorf("wrong secret: err = %v", err)
	}

	// The rest runs on the token just issued.
	api, err := messaging_api.NewMessagingApiAPI(issued.AccessToken, messaging_api.WithEndpoint(ts.URL))
	if err != nil {
		t.Fatal(err)
	}

	bot, err := api.GetBotInfo()
	if err != nil || bot.UserId != DemoBotUserID || bot.BasicId != DemoBotBasicID || bot.PremiumId != "" ||
		bot.PictureUrl != DemoBotPictureURL || bot.ChatMode != messaging_api.BotInfoResponseCHAT_MODE_BOT ||
		bot.MarkAsReadMode != messaging_api.BotInfoResponseMARK_AS_READ_MODE_AUTO {
		t.Errorf("GetBotInfo = %+v, %v", bot, err)
	}

	summary, err := api.GetGroupSummary(DemoGroupOps)
	if err != nil || summary.GroupId != DemoGroupOps || summary.GroupName != DemoGroupOpsName || summary.PictureUrl == "" {
		t.Errorf("GetGroupSummary = %+v, %v", summary, err)
	}
	count, err := api.GetGroupMemberCount(DemoGroupAllHands)
	if err != nil || count.Count != DemoGroupAllHandsMemberCount {
		t.Errorf("GetGroupMemberCount = %+v, %v", count, err)
	}
	var all []string
	for start, pages := "", 0; ; pages++ {
		ids, err := api.GetGroupMembersIds(DemoGroupAllHands, start)
		if err != nil {
			t.Fatalf("GetGroupMembersIds page %d: %v", pages+1, err)
		}
		all = append(all, ids.MemberIds...)
		if start = ids.Next; start == "" {
			if pages+1 != 3 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
	}
	if len(all) != DemoGroupAllHandsListedCount {
		t.Errorf("GetGroupMembersIds listed %d, want %d", len(all), DemoGroupAllHandsListedCount)
	}
	profile, err := api.GetGroupMemberProfile(DemoGroupOps, DemoUserBen)
	if err != nil || profile.UserId != DemoUserBen || profile.DisplayName != "Ben" || profile.PictureUrl != "" {
		t.Errorf("GetGroupMemberProfile = %+v, %v", profile, err)
	}

	roomCount, err := api.GetRoomMemberCount(DemoRoom)
	if err != nil || roomCount.Count != 3 {
		t.Errorf("GetRoomMemberCount = %+v, %v", roomCount, err)
	}
	roomIDs, err := api.GetRoomMembersIds(DemoRoom, "")
	if err != nil || len(roomIDs.MemberIds) != 3 || roomIDs.Next != "" {
		t.Errorf("GetRoomMembersIds = %+v, %v", roomIDs, err)
	}
	roomProfile, err := api.GetRoomMemberProfile(DemoRoom, DemoUserEmi)
	if err != nil || roomProfile.DisplayName != "Emi" || roomProfile.PictureUrl == "" {
		t.Errorf("GetRoomMemberProfile = %+v, %v", roomProfile, err)
	}

	if _, err := api.LeaveGroup(DemoGroupRelease); err != nil {
		t.Errorf("LeaveGroup: %v", err)
	}
	res, _, err := api.LeaveGroupWithHttpInfo(DemoGroupRelease)
	if err == nil || !strings.Contains(err.Error(), "unexpected status code: 404") || !strings.Contains(err.Error(), msgNotFound) {
		t.Errorf("LeaveGroup twice: err = %v", err)
	}
	if res == nil || !uuidPattern.MatchString(res.Header.Get("X-Line-Request-Id")) {
		t.Errorf("LeaveGroup twice: no request ID on the response")
	}
	if _, err := api.LeaveRoom(DemoRoom); err != nil {
		t.Errorf("LeaveRoom: %v", err)
	}
	if _, err := api.LeaveRoom(DemoRoom); err != nil {
		t.Errorf("LeaveRoom twice: %v (a room the bot is not in answers 200)", err)
	}

	// The SDK's requests carried what REFERENCE.md §1 says they carry.
	for _, r := range s.Requests() {
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "LINE-BotSDK-Go/") {
			t.Errorf("%s: User-Agent %q", r.Endpoint, ua)
		}
		if r.Endpoint == EndpointGroupLeave && r.Header.Get("Content-Type") != "" {
			t.Errorf("leave carried Content-Type %q", r.Header.Get("Content-Type"))
		}
	}
	for _, ep := range []string{EndpointBotInfo, EndpointGroupSummary, EndpointGroupMemberCount, EndpointGroupMemberIDs,
		EndpointGroupMemberProfile, EndpointGroupLeave, EndpointRoomMemberCount, EndpointRoomMemberIDs,
		EndpointRoomMemberProfile, EndpointRoomLeave, EndpointStatelessToken} {
		if s.CountRequests(ep) == 0 {
			t.Errorf("the SDK never reached %s", ep)
		}
	}
	if n := s.CountRequests(EndpointGroupMemberIDs); n != 3 {
		t.Errorf("%d member-ID requests, want 3 pages", n)
	}
}

// TestSDKPushAndQuota drives push (with a retry key, then its 409), the quota and the
// consumption through the SDK, as the provider's action and data source will.
func TestSDKPushAndQuota(t *testing.T) {
	s, ts, _ := newTestServer(t, nil)
	api, err := messaging_api.NewMessagingApiAPI(DemoToken, messaging_api.WithEndpoint(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	s.SetMessageQuota(1000)
	q, err := api.GetMessageQuota()
	if err != nil || q.Type != messaging_api.QuotaType_LIMITED || q.Value != 1000 {
		t.Errorf("GetMessageQuota = %+v, %v", q, err)
	}
	const key = "e4e4e4e4-1111-4222-8333-444444444444"
	req := &messaging_api.PushMessageRequest{
		To:                   DemoGroupOps,
		Messages:             []messaging_api.MessageInterface{messaging_api.TextMessage{Text: "Deployed 🚀"}},
		NotificationDisabled: true,
	}
	res, sent, err := api.PushMessageWithHttpInfo(req, key)
	if err != nil || len(sent.SentMessages) != 1 || sent.SentMessages[0].Id == "" || sent.SentMessages[0].QuoteToken == "" {
		t.Fatalf("PushMessage = %+v, %v", sent, err)
	}
	firstID := res.Header.Get("X-Line-Request-Id")

	// The same key: 409, with the accepted request's ID and the original sentMessages in
	// a body the SDK's ErrorResponse decodes.
	res, _, err = api.PushMessageWithHttpInfo(req, key)
	if err == nil || res == nil || res.StatusCode != 409 {
		t.Fatalf("repeat: res %v, err %v; want 409", res, err)
	}
	if got := res.Header.Get("X-Line-Accepted-Request-Id"); got != firstID {
		t.Errorf("X-Line-Accepted-Request-Id %q, want %q", got, firstID)
	}
	var conflict messaging_api.ErrorResponse
	if err := json.NewDecoder(res.Body).Decode(&conflict); err != nil || conflict.Message != msgRetryKeyAccepted ||
		len(conflict.SentMessages) != 1 || conflict.SentMessages[0].Id != sent.SentMessages[0].Id {
		t.Errorf("409 body %+v, %v", conflict, err)
	}

	// Without a key (the SDK sends the header empty), a second push goes out.
	if _, err := api.PushMessage(&messaging_api.PushMessageRequest{To: DemoUserAiko,
		Messages: []messaging_api.MessageInterface{messaging_api.TextMessage{Text: "hi"}}}, ""); err != nil {
		t.Errorf("PushMessage without a key: %v", err)
	}
	// Errors come back as the SDK reports them.
	_, err = api.PushMessage(&messaging_api.PushMessageRequest{To: DemoGroupNotJoined,
		Messages: []messaging_api.MessageInterface{messaging_api.TextMessage{Text: "hi"}}}, "")
	if err == nil || !strings.Contains(err.Error(), "unexpected status code: 400") || !strings.Contains(err.Error(), msgFailedToSend) {
		t.Errorf("push to a group the bot left: %v", err)
	}

	used, err := api.GetMessageQuotaConsumption()
	if err != nil || used.TotalUsage != 4+1 {
		t.Errorf("GetMessageQuotaConsumption = %+v, %v; want 5", used, err)
	}
	pushed := s.PushedMessages()
	if len(pushed) != 2 || !pushed[0].NotificationDisabled || pushed[0].RetryKey != key || pushed[0].Texts[0] != "Deployed 🚀" || pushed[1].RetryKey != "" {
		t.Errorf("pushed %+v", pushed)
	}
	for _, r := range s.Requests() {
		if r.Endpoint == EndpointPushMessage && r.Header.Get("Content-Type") != "application/json; charset=UTF-8" {
			t.Errorf("push Content-Type %q", r.Header.Get("Content-Type"))
		}
	}
	s.SetMessageQuota(Unlimited)
	if q, err := api.GetMessageQuota(); err != nil || q.Type != messaging_api.QuotaType_NONE {
		t.Errorf("GetMessageQuota unlimited = %+v, %v", q, err)
	}
}
