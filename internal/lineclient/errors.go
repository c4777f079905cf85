package lineclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("%s: LINE answered %d: %s (%s)", e.Operation, e.StatusCode, msg, e.trail())
}

func (e *APIError) trail() string {
	id := e.RequestID
	if id == "" {
		id = "none"
	}
	return fmt.Sprintf("X-Line-Request-Id: %s; %s", id, plural(e.Attempts, "attempt"))
}

// IsNotFound reports a 404: for a chat, it is unknown or the bot is not in it.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsForbidden reports a 403: the account may not use the endpoint (member lists need a
// verified or premium account).
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsUnauthorized reports a 401: the access token is missing, invalid or expired.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

func hasStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// RequestError is a request that got no answer from LINE: it timed out, the connection
// failed, or the caller cancelled it.
type RequestError struct {
	Operation string
	Attempts  int
	TimedOut  bool // the last attempt ran out of time
	Cancelled bool // the caller's context ended (Ctrl-C, or its own deadline)
	// Queued is set when the caller's context ended while the request was still waiting its
	// turn in the shared rate limiter: no request went out for it.
	Queued         bool
	AttemptTimeout time.Duration // the time each attempt was allowed
	Err            error
}

func (e *RequestError) Error() string {
	if e.Cancelled {
		return fmt.Sprintf("%s: cancelled: %v", e.Operation, e.Err)
	}
	if e.TimedOut {
		return fmt.Sprintf("%s: timed out: LINE did not answer within %s (the time allowed for each attempt), after %s: %v",
			e.Operation, e.AttemptTimeout, plural(e.Attempts, "attempt"), e.Err)
	}
	return fmt.Sprintf("%s: request failed after %s: %v", e.Operation, plural(e.Attempts, "attempt"), e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

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

// MissingCredentialsError says that nothing was configured to authenticate with.
type MissingCredentialsError struct{}

func (*MissingCredentialsError) Error() string {
	return "no LINE credentials: set a channel access token, or a channel ID and secret"
}

// TokenError is a failure to issue a stateless channel access token from the channel ID and
// secret; Refused is set when LINE refused the credentials themselves.
type TokenError struct {
	Refused bool
	Err     error
}

func (e *TokenError) Error() string {
	return "issue a stateless channel access token: " + e.Err.Error()
}

func (e *TokenError) Unwrap() error { return e.Err }

// errorBody is the union of LINE's two error shapes: {"message"} from the Messaging API and
// {"error","error_description"} from the token endpoints.
type errorBody struct {
	Message          string `json:"message"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// newAPIError reads LINE's error answer. The SDK re-buffers the body of a failed response,
// so it can be read here again.
func newAPIError(op string, res *http.Response, attempts int) *APIError {
	e := &APIError{
		Operation:  op,
		StatusCode: res.StatusCode,
		RequestID:  res.Header.Get("X-Line-Request-Id"),
		Attempts:   attempts,
	}
	if res.Body == nil {
		return e
	}
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
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
	return e
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
