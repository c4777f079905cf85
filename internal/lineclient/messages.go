package lineclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
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

// Push is one push to a group or room: a text, sent as a text message, or with Mentions as
// a text message v2; or Messages, LINE message objects sent as written. Exactly one of Text
// and Messages is set.
type Push struct {
	Chat Chat
	Text string
	// Mentions make Text a text message v2 (LINE's "textV2"): each {key} placeholder shows
	// the mention of that key, a user ID or MentionAll, and "{{" and "}}" show braces. Empty:
	// Text is a plain text message, braces and all.
	Mentions map[string]string
	// Messages are 1 to 5 LINE message objects (JSON objects, as ParseMessages returns
	// them), sent as written.
	Messages             []json.RawMessage
	NotificationDisabled bool
	// RetryKey is the X-Line-Retry-Key sent on every attempt of this push. Empty means a
	// fresh UUID for this call; a caller that retries a push itself must pass the same key.
	RetryKey string
}

// messages checks p's message and returns it as the SDK sends it. It makes no request.
func (p Push) messages() ([]messaging_api.MessageInterface, error) {
	switch {
	case p.Messages != nil && (p.Text != "" || len(p.Mentions) > 0):
		return nil, &MessagesError{Reason: "a push carries either a text (with its mentions) or message objects, not both"}
	case p.Messages != nil:
		if len(p.Messages) < 1 || len(p.Messages) > MaxMessages {
			return nil, &MessagesError{Reason: fmt.Sprintf("a push carries 1 to %d message objects, not %d", MaxMessages, len(p.Messages))}
		}
		msgs := make([]messaging_api.MessageInterface, len(p.Messages))
		for i, raw := range p.Messages {
			if !json.Valid(raw) || rawMessage(raw).GetType() == "" {
				return nil, &MessagesError{Reason: fmt.Sprintf("message object [%d] is not a JSON object with a \"type\"", i)}
			}
			msgs[i] = rawMessage(raw)
		}
		return msgs, nil
	}
	if n := TextLength(p.Text); n == 0 || n > MaxTextLength {
		return nil, &TextError{Length: n}
	}
	if len(p.Mentions) == 0 {
		return []messaging_api.MessageInterface{&messaging_api.TextMessage{Text: p.Text}}, nil
	}
	if err := CheckTextV2(p.Text, p.Mentions); err != nil {
		return nil, err
	}
	return []messaging_api.MessageInterface{textV2Message(p.Text, p.Mentions)}, nil
}

// PushResult is LINE's receipt for a pushed message.
type PushResult struct {
	RetryKey string
	// RequestID is the X-Line-Request-Id of LINE's last answer.
	RequestID string
	// AcceptedRequestID is the ID of the request LINE accepted: RequestID for a 200, the
	// X-Line-Accepted-Request-Id header for a 409 (an earlier request with the same key).
	AcceptedRequestID string
	// AlreadyAccepted is set when LINE answered 409: an earlier request with the same retry
	// key (an attempt of this call whose answer was lost, or, for a key the caller gave, an
	// earlier call) was delivered, so this one was not sent again.
	AlreadyAccepted bool
	MessageIDs      []string
}

// Push sends a message to a group or room (POST /v2/bot/message/push) through the same
// stack as every call: limiter, retries, deadline, masked logs. A message LINE would refuse
// for its form (an empty or too long text, a template whose placeholders and mentions do not
// match, message objects that are not 1 to 5 JSON objects) fails before any request.
//
// All attempts carry one X-Line-Retry-Key, so a push whose answer was lost (a timeout or a
// 5xx after LINE had accepted it) is not posted twice: the retry gets 409, which counts as
// delivered. LINE keeps a key for 24 hours. A 400 that lists LINE's details is an
// *InvalidMessageError.
func (c *Client) Push(ctx context.Context, p Push) (PushResult, error) {
	if err := p.Chat.check(); err != nil {
		return PushResult{}, err
	}
	msgs, err := p.messages()
	if err != nil {
		return PushResult{}, err
	}
	switch {
	case p.RetryKey == "":
		p.RetryKey = uuid.NewString()
	case !RetryKeyPattern.MatchString(p.RetryKey):
		return PushResult{}, &MessagesError{Reason: fmt.Sprintf("the retry key %s is not %s", quoteShort(p.RetryKey), RetryKeyFormat)}
	}
	// customAggregationUnits stays nil: the SDK sends it as null, which LINE accepts, and it
	// is only for corporate users who applied for it.
	req := &messaging_api.PushMessageRequest{
		To:                   p.Chat.ID,
		Messages:             msgs,
		NotificationDisabled: p.NotificationDisabled,
	}
	var details []MessageDetail
	res, err := do(ctx, c, "push a message to "+p.Chat.String(),
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
				// The same key was accepted before: by an earlier attempt of this push, or, for
				// a key the caller gave, by an earlier push. Either way it is delivered, once.
				result.AlreadyAccepted = true
				result.AcceptedRequestID = res.Header.Get("X-Line-Accepted-Request-Id")
				var conflict messaging_api.ErrorResponse
				if raw, readErr := io.ReadAll(io.LimitReader(res.Body, maxErrorBody)); readErr == nil &&
					json.Unmarshal(raw, &conflict) == nil {
					result.MessageIDs = sentMessageIDs(conflict.SentMessages)
				}
				return res, result, nil
			}
			details = peekDetails(res)
			return res, PushResult{}, err
		})
	return res, withDetails(err, details)
}

// ValidatePush asks LINE whether it would accept p's message
// (POST /v2/bot/message/validate/push). Nothing is sent and no quota is used, so the retry
// loop treats it as a read: it may start with little time left, and never "may have taken
// effect". LINE checks the message objects only: not the chat, whether the bot or a mentioned
// user is in it, nor the quota. p's own checks (as for Push) come first and cost no request;
// LINE's refusal is an *InvalidMessageError with its reason and property.
func (c *Client) ValidatePush(ctx context.Context, p Push) error {
	msgs, err := p.messages()
	if err != nil {
		return err
	}
	req := &messaging_api.ValidateMessageRequest{Messages: msgs}
	var details []MessageDetail
	_, err = doOp(ctx, c, "validate the message with LINE", changesNothing,
		func(api *messaging_api.MessagingApiAPI) (*http.Response, struct{}, error) {
			res, _, err := api.ValidatePushWithHttpInfo(req)
			if err != nil {
				details = peekDetails(res)
			}
			return res, struct{}{}, err
		})
	return withDetails(err, details)
}

// MessageDetail is one detail of LINE's 400 for a message: what is wrong, and where. The
// property is absolute ("messages[0].text") when LINE's message is "The request body has N
// error(s)", relative to the message ("text", or a JSON pointer into a Flex container such
// as "/body/contents/0") when it is "A message (messages[N]) in the request body is invalid".
type MessageDetail struct {
	Message  string `json:"message"`
	Property string `json:"property"`
}

// InvalidMessageError is LINE's 400 refusing a message, with the details LINE gave.
type InvalidMessageError struct {
	*APIError
	Details []MessageDetail
}

func (e *InvalidMessageError) Error() string {
	parts := make([]string, len(e.Details))
	for i, d := range e.Details {
		parts[i] = d.Message
		if d.Property != "" {
			parts[i] = fmt.Sprintf("%s (property %s)", d.Message, d.Property)
		}
	}
	return e.APIError.Error() + ": " + strings.Join(parts, "; ")
}

func (e *InvalidMessageError) Unwrap() error { return e.APIError }

// peekDetails reads the details of a 400 and puts the body back, so that the error built
// from the response (newAPIError) reads it too. The SDK has re-buffered the body.
func peekDetails(res *http.Response) []MessageDetail {
	if res == nil || res.StatusCode != http.StatusBadRequest || res.Body == nil {
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	res.Body = io.NopCloser(bytes.NewReader(raw))
	var body struct {
		Details []MessageDetail `json:"details"`
	}
	if err != nil || json.Unmarshal(raw, &body) != nil {
		return nil
	}
	return body.Details
}

// withDetails makes LINE's final 400 with details an *InvalidMessageError, still marked as
// may have taken effect when an earlier attempt was ambiguous. Only the call's own final
// answer gets details, never an answer a RequestError carries as its last.
func withDetails(err error, details []MessageDetail) error {
	var apiErr *APIError
	var reqErr *RequestError
	if len(details) == 0 || !errors.As(err, &apiErr) || errors.As(err, &reqErr) || apiErr.StatusCode != http.StatusBadRequest {
		return err
	}
	var invalid error = &InvalidMessageError{APIError: apiErr, Details: details}
	if MayHaveTakenEffect(err) {
		invalid = &mayHaveTakenEffectError{err: invalid}
	}
	return invalid
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
