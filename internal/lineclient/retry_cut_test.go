package lineclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A deadline that cuts an attempt short, after LINE's rate-limit 429s, leaves the error saying
// that LINE was still throttling: the cut attempt says nothing about LINE. (The per-endpoint
// controller's floor keeps attempts going until the deadline, so one is often in flight when
// the deadline passes.) The second request hangs until the client gives up, so the cut is
// certain.
func TestADeadlineDuringAnAttemptKeepsLINEsLastAnswer(t *testing.T) {
	var n atomic.Int32
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 429, map[string]string{"message": msgRateLimited})
			return
		}
		<-r.Context().Done()
	})
	c := f.client(t, fastBackoff, newFixedPacer(), func(c *Config) { c.MaxRetries = 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.GroupSummary(ctx, groupID)
	if !errors.Is(err, context.DeadlineExceeded) || !IsRateLimited(err) || !strings.Contains(err.Error(), "LINE was still throttling") {
		t.Fatalf("err = %v, want the deadline, saying that LINE was still throttling", err)
	}
	if got := n.Load(); got != 2 {
		t.Fatalf("%d requests, want the 429 and the one cut short", got)
	}
}
