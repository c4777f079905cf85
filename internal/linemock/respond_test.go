package linemock

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// countingWriter counts the WriteHeader calls that reach the real writer: net/http logs
// "superfluous response.WriteHeader call" for every one after the first.
type countingWriter struct {
	*httptest.ResponseRecorder
	writeHeaders []int
}

func (w *countingWriter) WriteHeader(status int) {
	w.writeHeaders = append(w.writeHeaders, status)
	w.ResponseRecorder.WriteHeader(status)
}

// statusWriter records a request once, with the status the client gets: the one set before
// the body, or 200 when the body comes first, as net/http would answer. It passes each
// WriteHeader through once and adds none of its own.
func TestStatusWriter(t *testing.T) {
	for _, tc := range []struct {
		name     string
		answer   func(w http.ResponseWriter)
		status   int
		reaching []int // the WriteHeader calls that reach the real writer
	}{
		{"body only", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte("a"))
			_, _ = w.Write([]byte("b"))
		}, http.StatusOK, []int{http.StatusOK}},
		{"status, then body", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte("a"))
			_, _ = w.Write([]byte("b"))
		}, http.StatusConflict, []int{http.StatusConflict}},
		{"writeJSON", func(w http.ResponseWriter) {
			writeError(w, http.StatusTooManyRequests, msgRateLimited)
		}, http.StatusTooManyRequests, []int{http.StatusTooManyRequests}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			under := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
			var recorded []int
			sw := &statusWriter{ResponseWriter: under, onStatus: func(st int) { recorded = append(recorded, st) }}
			tc.answer(sw)
			if len(recorded) != 1 || recorded[0] != tc.status {
				t.Errorf("recorded statuses %v, want [%d]", recorded, tc.status)
			}
			if !slices.Equal(under.writeHeaders, tc.reaching) {
				t.Errorf("WriteHeader calls reaching the writer %v, want %v", under.writeHeaders, tc.reaching)
			}
			if under.Code != tc.status || under.Body.Len() == 0 {
				t.Errorf("client got %d %q, want %d and the body", under.Code, under.Body, tc.status)
			}
		})
	}
}
