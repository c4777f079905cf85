package lineclient

import (
	"context"
	"net/http"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
)

// Empty strings stand for fields that LINE left out of its answer.

// BotInfo is the LINE Official Account's own profile.
type BotInfo struct {
	UserID, BasicID, PremiumID, DisplayName, PictureURL, ChatMode, MarkAsReadMode string
}

// GroupSummary is a group chat's name and icon.
type GroupSummary struct {
	GroupID, GroupName, PictureURL string
}

// Profile is a chat member's profile as the bot sees it.
type Profile struct {
	UserID, DisplayName, PictureURL string
}

// Membership says whether the bot is in a chat, with the group's name and icon when it is a
// group the bot is in.
type Membership struct {
	Chat                  Chat
	IsMember              bool
	GroupName, PictureURL string
}

// BotInfo reads the bot's own profile (GET /v2/bot/info).
func (c *Client) BotInfo(ctx context.Context) (BotInfo, error) {
	return read(ctx, c, "", "get bot info", "bot/info",
		func(api *messaging_api.MessagingApiAPI) (*http.Response, BotInfo, error) {
			res, body, err := api.GetBotInfoWithHttpInfo()
			if err != nil {
				return res, BotInfo{}, err
			}
			return res, BotInfo{
				UserID: body.UserId, BasicID: body.BasicId, PremiumID: body.PremiumId,
				DisplayName: body.DisplayName, PictureURL: body.PictureUrl,
				ChatMode: string(body.ChatMode), MarkAsReadMode: string(body.MarkAsReadMode),
			}, nil
		})
}

// GroupSummary reads a group's name and icon. A 404 means the group is unknown or the bot is
// not in it.
func (c *Client) GroupSummary(ctx context.Context, groupID string) (GroupSummary, error) {
	if err := GroupChat(groupID).check(); err != nil {
		return GroupSummary{}, err
	}
	return read(ctx, c, groupID, "get group chat summary", "group/"+groupID+"/summary",
		func(api *messaging_api.MessagingApiAPI) (*http.Response, GroupSummary, error) {
			res, body, err := api.GetGroupSummaryWithHttpInfo(groupID)
			if err != nil {
				return res, GroupSummary{}, err
			}
			return res, GroupSummary{GroupID: body.GroupId, GroupName: body.GroupName, PictureURL: body.PictureUrl}, nil
		})
}

// MemberCount reads how many users are in the chat. LINE leaves the bot out of the count.
func (c *Client) MemberCount(ctx context.Context, chat Chat) (int, error) {
	if err := chat.check(); err != nil {
		return 0, err
	}
	return read(ctx, c, chat.ID, "get "+string(chat.Type)+" member count", string(chat.Type)+"/"+chat.ID+"/count",
		func(api *messaging_api.MessagingApiAPI) (*http.Response, int, error) {
			if chat.Type == Room {
				res, body, err := api.GetRoomMemberCountWithHttpInfo(chat.ID)
				if err != nil {
					return res, 0, err
				}
				return res, int(body.Count), nil
			}
			res, body, err := api.GetGroupMemberCountWithHttpInfo(chat.ID)
			if err != nil {
				return res, 0, err
			}
			return res, int(body.Count), nil
		})
}

// MemberProfile reads one member's profile. A 404 means the user is not in the chat, has not
// consented to profile access, or the bot is not in the chat.
func (c *Client) MemberProfile(ctx context.Context, chat Chat, userID string) (Profile, error) {
	if err := chat.check(); err != nil {
		return Profile{}, err
	}
	if err := checkUserID(userID); err != nil {
		return Profile{}, err
	}
	return read(ctx, c, chat.ID, "get "+string(chat.Type)+" member profile", string(chat.Type)+"/"+chat.ID+"/member/"+userID,
		func(api *messaging_api.MessagingApiAPI) (*http.Response, Profile, error) {
			if chat.Type == Room {
				res, body, err := api.GetRoomMemberProfileWithHttpInfo(chat.ID, userID)
				if err != nil {
					return res, Profile{}, err
				}
				return res, Profile{UserID: body.UserId, DisplayName: body.DisplayName, PictureURL: body.PictureUrl}, nil
			}
			res, body, err := api.GetGroupMemberProfileWithHttpInfo(chat.ID, userID)
			if err != nil {
				return res, Profile{}, err
			}
			return res, Profile{UserID: body.UserId, DisplayName: body.DisplayName, PictureURL: body.PictureUrl}, nil
		})
}

// Membership asks LINE, with one request, whether the bot is in the chat: a group's summary,
// or a room's member count, since rooms have no summary. LINE answers 404 for a chat the bot
// is not in; Membership reports that as IsMember false, not as an error.
func (c *Client) Membership(ctx context.Context, chat Chat) (Membership, error) {
	m := Membership{Chat: chat}
	var err error
	if chat.Type == Group {
		var summary GroupSummary
		summary, err = c.GroupSummary(ctx, chat.ID)
		m.GroupName, m.PictureURL = summary.GroupName, summary.PictureURL
	} else {
		_, err = c.MemberCount(ctx, chat)
	}
	switch {
	case err == nil:
		m.IsMember = true
	case !IsNotFound(err):
		return Membership{}, err
	}
	return m, nil
}

// Leave makes the bot leave the chat. For a group the bot is no longer in, LINE answers 404;
// for a room it answers 200 unless the room does not exist. Leaving is safe to retry.
func (c *Client) Leave(ctx context.Context, chat Chat) error {
	if err := chat.check(); err != nil {
		return err
	}
	// Whatever happens, nothing read before this leave may be shared with reads after it.
	defer c.forget(chat.ID)
	_, err := do(ctx, c, "leave "+chat.String(),
		func(api *messaging_api.MessagingApiAPI) (*http.Response, struct{}, error) {
			if chat.Type == Room {
				return api.LeaveRoomWithHttpInfo(chat.ID)
			}
			return api.LeaveGroupWithHttpInfo(chat.ID)
		})
	return err
}
