package lineclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
	"golang.org/x/sync/errgroup"
)

// maxMemberPages bounds the pages read for one chat. LINE groups hold at most 500 users and
// pages carry 100, so reaching it means the continuation tokens go round in a circle.
const maxMemberPages = 1000

// MemberIDs lists the user IDs of the chat's members, every page, in LINE's order. LINE lists
// only members who consented to profile access, and only for verified or premium accounts
// (403 otherwise). Pages are read in sequence: each needs the token of the one before.
func (c *Client) MemberIDs(ctx context.Context, chat Chat) ([]string, error) {
	if err := chat.check(); err != nil {
		return nil, err
	}
	op := "get " + string(chat.Type) + " member user IDs"
	ids := []string{}
	start := ""
	for page := 0; page < maxMemberPages; page++ {
		body, err := read(ctx, c, chat.ID, op, string(chat.Type)+"/"+chat.ID+"/ids?start="+start,
			func(api *messaging_api.MessagingApiAPI) (*http.Response, *messaging_api.MembersIdsResponse, error) {
				if chat.Type == Room {
					return api.GetRoomMembersIdsWithHttpInfo(chat.ID, start)
				}
				return api.GetGroupMembersIdsWithHttpInfo(chat.ID, start)
			})
		if err != nil {
			return nil, err
		}
		ids = append(ids, body.MemberIds...)
		if body.Next == "" {
			return ids, nil
		}
		start = body.Next
	}
	return nil, fmt.Errorf("%s: more than %d pages for %s; LINE's continuation tokens do not end", op, maxMemberPages, chat)
}

// MemberProfiles reads the profiles of userIDs, at most parallel at a time (all requests also
// wait for the client's rate limiter), and returns them in the order of userIDs. Users LINE
// answers 404 for, who left the chat since they were listed, are returned in skipped instead.
// When LINE answers 404 for every user, MemberProfiles asks once whether the bot is still in
// the chat: if it is not, the error is the membership check's 404 (IsNotFound), since LINE
// answers 404 for every profile of a chat the bot was removed from.
func (c *Client) MemberProfiles(ctx context.Context, chat Chat, userIDs []string, parallel int) (profiles []Profile, skipped []string, err error) {
	found := make([]*Profile, len(userIDs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(parallel, 1))
	for i, userID := range userIDs {
		g.Go(func() error {
			profile, err := c.MemberProfile(gctx, chat, userID)
			switch {
			case err == nil:
				found[i] = &profile
			case IsNotFound(err):
			default:
				return err
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	if len(userIDs) > 0 && !slices.ContainsFunc(found, func(p *Profile) bool { return p != nil }) {
		if err := c.stillIn(ctx, chat); err != nil {
			return nil, nil, err
		}
	}
	profiles = make([]Profile, 0, len(userIDs))
	for i, p := range found {
		if p == nil {
			skipped = append(skipped, userIDs[i])
			continue
		}
		profiles = append(profiles, *p)
	}
	return profiles, skipped, nil
}

// stillIn returns nil when the bot is in the chat, and else LINE's 404, worded for a chat the
// bot is not in.
func (c *Client) stillIn(ctx context.Context, chat Chat) error {
	var err error
	if chat.Type == Group {
		_, err = c.GroupSummary(ctx, chat.ID)
	} else {
		_, err = c.MemberCount(ctx, chat)
	}
	if IsNotFound(err) {
		return &NotInChatError{Chat: chat, Err: err}
	}
	return err
}
