package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// The client stops before the deadline when a wait in its limiter (or a backoff) would outlast
// it: the deadline is to blame although its context has not ended yet, and the advice names
// rate_limit. An attempt that outlived request_timeout is still not blamed on it.
func TestReliability_deadlineExplainsAnEarlyStop(t *testing.T) {
	dl := &deadline{name: "read", limit: 2 * time.Second}
	_, cancel := dl.start(context.Background())
	defer cancel()

	queued := &lineclient.RequestError{Operation: "get group chat summary", Queued: true, Cancelled: true, Err: context.DeadlineExceeded}
	var dlErr *deadlineError
	err := dl.explain(queued)
	if !errors.As(err, &dlErr) || !strings.Contains(err.Error(), "the read deadline of 2s passed") {
		t.Fatalf("a queue past the deadline: %v, want a deadline error", err)
	}
	if advice := adviceFor(nil, err); !strings.Contains(advice, "rate_limit") || !strings.Contains(advice, `timeouts { read = "4s" }`) ||
		strings.Contains(advice, "network") {
		t.Errorf("advice %q, want rate_limit and the deadline, not the network", advice)
	}

	timedOut := &lineclient.RequestError{Operation: "get group chat summary", TimedOut: true, Attempts: 2,
		AttemptTimeout: time.Second, Err: context.DeadlineExceeded}
	if err := dl.explain(timedOut); errors.As(err, &dlErr) {
		t.Errorf("an attempt that outlived request_timeout was blamed on the deadline: %v", err)
	}
}
