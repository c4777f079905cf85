package lineclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"
)

// APIError is LINE's answer to a request that did not succeed.
type APIError struct {
	Operation  string // what was asked, e.g. "get group chat summary"
	StatusCode int
	Message    string // LINE's "message" (token endpoints: "error_description", else "error")
	RequestID  string // the X-Line-Request-Id header, for LINE's support
	Attempts   int    // requests made, retries included
	// NotLINE is set when the body was not LINE's JSON error, as a proxy's or a gateway's
	// answers are not: it then says what it was, such as "a text/html body" or "an empty body".
	NotLINE string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: %s (X-Line-Request-Id: %s; %s)", e.Operation, e.answered(""), orNone(e.RequestID), nAttempts(e.Attempts))
}

// answered says what came back: "LINE answered 404: Not found", or, for an answer that is not
// LINE's, "the API endpoint answered 429 Too Many Requests with a text/html body, not LINE's
// JSON error". last is "" or "last ".
func (e *APIError) answered(last string) string {
	if e.NotLINE != "" {
		return fmt.Sprintf("the API endpoint %sanswered %d %s with %s, not LINE's JSON error",
			last, e.StatusCode, http.StatusText(e.StatusCode), e.NotLINE)
	}
	return fmt.Sprintf("LINE %sanswered %d: %s", last, e.StatusCode, e.messageOrStatus())
}

func (e *APIError) messageOrStatus() string {
	if e.Message == "" {
		return http.StatusText(e.StatusCode)
	}
	return e.Message
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// IsNotFound reports a 404: for a chat, it is unknown or the bot is not in it.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsForbidden reports a 403: the account may not use the endpoint (member lists need a
// verified or premium account).
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// hasStatus is about the call's own answer: a failed token request (LINE's 404 for an
// unregistered key) never passes for a chat's 404, which would make a membership vanish.
func hasStatus(err error, status int) bool {
	var apiErr *APIError
	var tokenErr *TokenError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status && !errors.As(err, &tokenErr)
}

// RequestError is a request that got no final answer from LINE: it timed out, the
// connection failed, or the caller's context ended (Ctrl-C, or its deadline) before LINE's
// answer could be final. When the deadline passed, errors.Is(err, context.DeadlineExceeded)
// holds; on a cancellation, errors.Is(err, context.Canceled).
type RequestError struct {
	Operation string
	Attempts  int  // requests that went out
	TimedOut  bool // the last attempt ran out of time
	// Cancelled is set when the caller's context ended (Ctrl-C, or its own deadline), or when
	// the retries stopped because the next wait or attempt could not end before the deadline.
	Cancelled bool
	// Queued is set when the caller's context ended while the request was still waiting its
	// turn in the shared rate limiter: no request went out for it.
	Queued bool
	// RetryAfter is set when the last answer asked, with this Retry-After value, for a wait
	// (RetryAfterWait) that would have ended after the deadline: the retries stopped at once.
	// With Queued, the wait ended before the deadline, but the rate limiter, which spreads the
	// attempts it held, could not let the next one go before it.
	RetryAfter     string
	RetryAfterWait time.Duration
	// TooLate is set when an attempt that changes something (a leave, a push) was not started
	// because less than min(request_timeout, 2s) was left before the deadline: its answer
	// could have been cut off.
	TooLate        bool
	AttemptTimeout time.Duration // the time each attempt was allowed
	// Last is, when Cancelled, the last answer (an *APIError: a 429 means LINE was still
	// throttling) or failure that was being retried when the context ended.
	Last error
	Err  error
}

func (e *RequestError) Error() string {
	switch {
	case e.RetryAfter != "" && e.Queued:
		return fmt.Sprintf("%s: the answer asked to wait before trying again (Retry-After: %s, %s), and the client's "+
			"rate limiter, which spreads the attempts it held, could not let attempt %d go before the deadline (%v); %s",
			e.Operation, e.RetryAfter, aboutDuration(e.RetryAfterWait), e.Attempts+1, e.Err, lastWords(e.Last))
	case e.RetryAfter != "":
		return fmt.Sprintf("%s: the answer asked to wait before trying again (Retry-After: %s, %s), which would "+
			"end after the deadline, so the provider stopped after %s; %s",
			e.Operation, e.RetryAfter, aboutDuration(e.RetryAfterWait), nAttempts(e.Attempts), lastWords(e.Last))
	case e.TooLate && e.Last != nil:
		return fmt.Sprintf("%s: %v: too close to the deadline to start another attempt whose answer could be cut "+
			"off, after %s; %s", e.Operation, e.Err, nAttempts(e.Attempts), lastWords(e.Last))
	case e.TooLate:
		return fmt.Sprintf("%s: %v: too close to the deadline to start an attempt whose answer could be cut off, "+
			"so no request went out", e.Operation, e.Err)
	case e.Queued && e.Last != nil:
		return fmt.Sprintf("%s: %v while waiting in the client's rate limiter for attempt %d; %s",
			e.Operation, e.Err, e.Attempts+1, lastWords(e.Last))
	case e.Queued:
		return fmt.Sprintf("%s: still waiting in the client's rate limiter, so no request went out: %v", e.Operation, e.Err)
	case e.Cancelled && e.Last != nil:
		return fmt.Sprintf("%s: %v after %s; %s", e.Operation, e.Err, nAttempts(e.Attempts), lastWords(e.Last))
	case e.Cancelled:
		return fmt.Sprintf("%s: cancelled: %v", e.Operation, e.Err)
	case e.TimedOut:
		return fmt.Sprintf("%s: timed out: LINE did not answer within %s (the time allowed for each attempt), after %s: %v",
			e.Operation, e.AttemptTimeout, nAttempts(e.Attempts), e.Err)
	}
	return fmt.Sprintf("%s: request failed after %s: %v", e.Operation, nAttempts(e.Attempts), e.Err)
}

// lastWords says what LINE did last, without repeating the operation.
func lastWords(last error) string {
	var apiErr *APIError
	switch {
	case last == nil:
		return "no answer came"
	case !errors.As(last, &apiErr):
		return "the last attempt failed: " + last.Error()
	}
	answer := fmt.Sprintf("%s (X-Line-Request-Id: %s)", apiErr.answered("last "), orNone(apiErr.RequestID))
	if IsRateLimited(apiErr) {
		return "LINE was still throttling: " + answer
	}
	return answer
}

// Unwrap gives the context's error and, if any, the last answer.
func (e *RequestError) Unwrap() []error {
	if e.Last != nil {
		return []error{e.Err, e.Last}
	}
	return []error{e.Err}
}

// IsRateLimited reports LINE's rate-limit 429, the one 429 that waiting fixes.
func IsRateLimited(err error) bool {
	return isAnswer(err, http.StatusTooManyRequests, msgRateLimited)
}

// isAnswer reports LINE's answer with this status and this message, wherever err carries it:
// the 429s and 400s that share a status tell their meaning only by the message, which is
// compared loosely (sameMessage: case, punctuation and spacing aside).
func isAnswer(err error, status int, message string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status && apiErr.NotLINE == "" &&
		sameMessage(apiErr.Message, message)
}

// RedirectError is a 3xx answer. LINE never redirects, so none is followed: a redirect means
// the endpoint is not LINE (or a proxy in between rewrites), and following it would send the
// access token or the channel secret to another host.
type RedirectError struct {
	Operation  string
	StatusCode int
	Location   string // the Location header, as sent
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s: the API endpoint answered %d, a redirect to %s; LINE never redirects, so the "+
		"provider does not follow it and sent no credentials there", e.Operation, e.StatusCode, quoteShort(e.Location))
}

// NotInChatError says that the bot is not in a chat (any more): LINE answered the membership
// check with 404. IsNotFound holds for it.
type NotInChatError struct {
	Chat Chat
	Err  error // the membership check's *APIError
}

func (e *NotInChatError) Error() string {
	return fmt.Sprintf("the bot is not in %s (any more): %v", e.Chat, e.Err)
}

func (e *NotInChatError) Unwrap() error { return e.Err }

// MissingCredentialsError says that nothing was configured to authenticate with.
type MissingCredentialsError struct{}

func (*MissingCredentialsError) Error() string {
	return "no LINE credentials: set a channel access token, or a channel ID with an assertion signing key or the channel secret"
}

// TokenError is a failure to issue a stateless channel access token from the channel ID and
// secret, or an assertion; Refused is set when LINE refused the credentials themselves. Err
// names the operation ("issue stateless channel access token") once.
type TokenError struct {
	Refused bool
	// KeyID is the assertion signing key's kid when the token was asked for with an
	// assertion; UnknownKey is LINE's 404: no such key is registered for the channel.
	KeyID      string
	UnknownKey bool
	Err        error
}

func (e *TokenError) Error() string { return e.Err.Error() }

func (e *TokenError) Unwrap() error { return e.Err }

// errorBody is the union of LINE's two error shapes: {"message"} from the Messaging API and
// {"error","error_description"} from the token endpoints.
type errorBody struct {
	Message          string `json:"message"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// maxErrorBody bounds what is read of an error answer.
const maxErrorBody = 64 << 10

// newAPIError reads LINE's error answer. The SDK re-buffers the body of a failed response,
// so it can be read here again.
func newAPIError(op string, res *http.Response, attempts int) *APIError {
	var raw []byte
	if res.Body != nil {
		raw, _ = io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	}
	return apiErrorFrom(op, res, raw, attempts)
}

func apiErrorFrom(op string, res *http.Response, raw []byte, attempts int) *APIError {
	e := &APIError{
		Operation:  op,
		StatusCode: res.StatusCode,
		RequestID:  res.Header.Get("X-Line-Request-Id"),
		Attempts:   attempts,
	}
	var body errorBody
	if json.Unmarshal(raw, &body) == nil {
		switch {
		case body.Message != "":
			e.Message = body.Message
		case body.ErrorDescription != "":
			e.Message = body.ErrorDescription
		default:
			e.Message = body.Error
		}
	}
	if e.Message == "" {
		e.NotLINE = bodyKind(res.Header.Get("Content-Type"), raw)
	}
	return e
}

// bodyKind describes a body that is not LINE's JSON error, by its Content-Type.
func bodyKind(contentType string, raw []byte) string {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "an empty body"
	}
	if media, _, err := mime.ParseMediaType(contentType); err == nil {
		return "a body of type " + media
	}
	return "a body without a Content-Type"
}

// nAttempts is n attempts, in words: "1 attempt", "3 attempts".
func nAttempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
