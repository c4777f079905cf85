package lineclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"unicode/utf16"

	"github.com/google/uuid"
	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
	"golang.org/x/sync/errgroup"
)

// MaxTextLength is the most a text message may hold, in UTF-16 code units as LINE counts:
// a character outside the Basic Multilingual Plane (most emoji) counts 2, "\r\n" counts 2.
const MaxTextLength = 5000

// TextLength counts s as LINE counts a text message's length: in UTF-16 code units.
func TextLength(s string) int {
	n := 0
	for _, r := range s { // invalid UTF-8 ranges as U+FFFD, one unit, as it goes on the wire
		n += utf16.RuneLen(r)
	}
	return n
}

// Message texts LINE refuses or answers in ways that have a meaning of their own.
const (
	msgFailedToSend = "Failed to send messages"
	msgMonthlyLimit = "You have reached your monthly limit."
)

// TextError is returned, before any request, for a text LINE would refuse.
type TextError struct{ Length int }

func (e *TextError) Error() string {
	if e.Length == 0 {
		return "the message text is empty: LINE sends texts of 1 to 5,000 characters"
	}
	return fmt.Sprintf("the message text is %d characters long as LINE counts them (UTF-16 code units: most "+
		"emoji count 2), more than LINE's limit of %d", e.Length, MaxTextLength)
}

// Push is one text message to push to a group or room.
type Push struct {
	Chat                 Chat
	Text                 string
	NotificationDisabled bool
	// RetryKey is the X-Line-Retry-Key sent on every attempt of this push. Empty means a
	// fresh UUID for this call; a caller that retries a push itself must pass the same key.
	RetryKey string
}

// PushResult is LINE's receipt for a pushed message.
type PushResult struct {
	RetryKey string
	// RequestID is the X-Line-Request-Id of LINE's last answer.
	RequestID string
	// AcceptedRequestID is the ID of the request LINE accepted: RequestID for a 200, the
	// X-Line-Accepted-Request-Id header for a 409 (an earlier attempt whose answer was lost).
	AcceptedRequestID string
	// AlreadyAccepted is set when LINE answered 409: an earlier attempt with the same retry
	// key was delivered, so this one was not sent again.
	AlreadyAccepted bool
	MessageIDs      []string
}

// Push sends one text message to a group or room (POST /v2/bot/message/push) through the
// same stack as every call: limiter, retries, deadline, masked logs.
//
// All attempts carry one X-Line-Retry-Key, so a push whose answer was lost (a timeout or a
// 5xx after LINE had accepted it) is not posted twice: the retry gets 409, which counts as
// delivered. LINE keeps a key for 24 hours.
func (c *Client) Push(ctx context.Context, p Push) (PushResult, error) {
	if err := p.Chat.check(); err != nil {
		return PushResult{}, err
	}
	if n := TextLength(p.Text); n == 0 || n > MaxTextLength {
		return PushResult{}, &TextError{Length: n}
	}
	if p.RetryKey == "" {
		p.RetryKey = uuid.NewString()
	}
	// customAggregationUnits stays nil: the SDK sends it as null, which LINE accepts, and it
	// is only for corporate users who applied for it.
	req := &messaging_api.PushMessageRequest{
		To:                   p.Chat.ID,
		Messages:             []messaging_api.MessageInterface{&messaging_api.TextMessage{Text: p.Text}},
		NotificationDisabled: p.NotificationDisabled,
	}
	return do(ctx, c, "push a message to "+p.Chat.String(),
		func(api *messaging_api.MessagingApiAPI) (*http.Response, PushResult, error) {
			res, body, err := api.PushMessageWithHttpInfo(req, p.RetryKey)
			result := PushResult{RetryKey: p.RetryKey}
			if res != nil {
				result.RequestID = res.Header.Get("X-Line-Request-Id")
				result.AcceptedRequestID = result.RequestID
			}
			switch {
			case err == nil:
				result.MessageIDs = sentMessageIDs(body.SentMessages)
				return res, result, nil
			case res != nil && res.StatusCode == http.StatusConflict:
				// The key is this call's own, so only an earlier attempt of this very push can
				// have been accepted: the message is delivered, once.
				result.AlreadyAccepted = true
				result.AcceptedRequestID = res.Header.Get("X-Line-Accepted-Request-Id")
				var conflict messaging_api.ErrorResponse
				if raw, readErr := io.ReadAll(io.LimitReader(res.Body, 64<<10)); readErr == nil &&
					json.Unmarshal(raw, &conflict) == nil {
					result.MessageIDs = sentMessageIDs(conflict.SentMessages)
				}
				return res, result, nil
			}
			return res, PushResult{}, err
		})
}

func sentMessageIDs(sent []messaging_api.SentMessage) []string {
	ids := make([]string, 0, len(sent))
	for _, m := range sent {
		ids = append(ids, m.Id)
	}
	return ids
}

// IsNotInChat reports a push that LINE refused with 400 "Failed to send messages": for a
// group or room ID of the right form, the chat is unknown or the bot is not in it (LINE does
// not tell the two apart).
func IsNotInChat(err error) bool {
	return isAnswer(err, http.StatusBadRequest, msgFailedToSend)
}

// IsMonthlyLimit reports LINE's 429 "You have reached your monthly limit.": the channel's
// message quota for the month is used up, or too small for this push. It lasts until the
// quota resets or is raised, so retrying is useless.
func IsMonthlyLimit(err error) bool {
	return isAnswer(err, http.StatusTooManyRequests, msgMonthlyLimit)
}

// Quota is the channel's message quota for the current month.
type Quota struct {
	Limited bool  // false: LINE sets no target limit
	Limit   int64 // messages allowed this month, additional ones included; 0 when not Limited
	Used    int64 // messages sent this month, approximately, as LINE counts them
}

// MessageQuota reads the month's quota and what has been used of it, with two requests
// made together (GET /v2/bot/message/quota and /v2/bot/message/quota/consumption).
func (c *Client) MessageQuota(ctx context.Context) (Quota, error) {
	var q Quota
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		limit, err := read(gctx, c, "", "get the message quota", "message/quota",
			func(api *messaging_api.MessagingApiAPI) (*http.Response, *messaging_api.MessageQuotaResponse, error) {
				return api.GetMessageQuotaWithHttpInfo()
			})
		if err != nil {
			return err
		}
		// The SDK reads an absent value as 0, so the type alone says whether there is a limit.
		q.Limited = limit.Type == messaging_api.QuotaType_LIMITED
		if q.Limited {
			q.Limit = limit.Value
		}
		return nil
	})
	g.Go(func() error {
		used, err := read(gctx, c, "", "get the message quota consumption", "message/quota/consumption",
			func(api *messaging_api.MessagingApiAPI) (*http.Response, *messaging_api.QuotaConsumptionResponse, error) {
				return api.GetMessageQuotaConsumptionWithHttpInfo()
			})
		if err != nil {
			return err
		}
		q.Used = used.TotalUsage
		return nil
	})
	if err := g.Wait(); err != nil {
		return Quota{}, err
	}
	return q, nil
}
