package linemock

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// LINE's literal error messages (REFERENCE.md §4), and the mock's own choices where LINE's
// text is unknown (marked "choice"; see doc.go).
const (
	msgAuthHeaderRequired = "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'"
	msgAuthFailed         = "Authentication failed. Confirm that the access token in the authorization header is valid."
	msgRateLimited        = "The API rate limit has been exceeded. Try again later."
	msgForbidden          = "Access to this API is not available for your account"
	msgNotFound           = "Not found"
	msgInvalidStart       = "Invalid start param"
	msgRetryKey           = "The X-Line-Retry-Key header is not supported by this API" // choice
	msgInternal           = "Internal server error"                                    // choice
	msgMethodNotAllowed   = "Method not allowed"                                       // choice
	msgRedirect           = "Temporary Redirect"                                       // choice: only the redirect fault sends it
)

func msgInvalidParam(param string) string {
	return "The value for the '" + param + "' parameter is invalid"
}

// errorBody is LINE's Messaging API error shape. details is never sent: none of the
// errors of these endpoints carry it, and LINE leaves it out when empty.
type errorBody struct {
	Message string `json:"message"`
}

// oauthErrorBody is the token endpoints' error shape.
type oauthErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// writeJSON answers with status and v as JSON. Every answer of the mock goes through here,
// so every answer has Content-Type: application/json, errors included.
// Characters such as < and > are written as they are, as LINE writes them, not as \u003c.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	body := []byte(`{"message":"` + msgInternal + `"}`)
	if err := enc.Encode(v); err == nil {
		body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	} else {
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, errorBody{Message: message})
}

// emptyObject is the `{}` that LINE answers to a successful leave.
type emptyObject struct{}

// statusWriter remembers the status and calls onStatus once, when the status is set: that is
// before the body can reach the client, so a test that has its answer always finds the
// request already recorded.
type statusWriter struct {
	http.ResponseWriter
	status   int
	onStatus func(status int)
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
		if w.onStatus != nil {
			w.onStatus(status)
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// discardWriter takes an answer and throws it away: the lost-response fault runs the real
// handler into it. Its headers start as a copy of the real ones (so the handler sees the
// request's X-Line-Request-Id) and never reach the client; its status and body go nowhere.
type discardWriter struct {
	header http.Header
}

func newDiscardWriter(realHeader http.Header) *discardWriter {
	return &discardWriter{header: realHeader.Clone()}
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(int) {}

func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
