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
// it: the deadline is to blame although its context has not ended yet, the error says that it
// would pass (not that it passed), and the advice names rate_limit. An attempt that outlived request_timeout is still not blamed on it.
func TestReliability_deadlineExplainsAnEarlyStop(t *testing.T) {
	dl := &deadline{name: "read", limit: 2 * time.Second}
	_, cancel := dl.start(context.Background())
	defer cancel()

	queued := &lineclient.RequestError{Operation: "get group chat summary", Queued: true, Cancelled: true, Err: context.DeadlineExceeded}
	var dlErr *deadlineError
	err := dl.explain(queued)
	if !errors.As(err, &dlErr) || !strings.Contains(err.Error(), "the read deadline of 2s would pass before the operation could go on") {
		t.Fatalf("a queue past the deadline: %v, want a deadline error saying it would pass", err)
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

// A Retry-After past the deadline is an early stop of the deadline's too, but its advice is
// about the Retry-After, never about rate_limit, even when the answer was LINE's rate limit.
func TestReliability_retryAfterPastTheDeadlineAdvice(t *testing.T) {
	dl := &deadline{name: "read", limit: 5 * time.Minute}
	_, cancel := dl.start(context.Background())
	defer cancel()
	last := &lineclient.APIError{Operation: "get group chat summary", StatusCode: 429, Message: "The API rate limit has been exceeded. Try again later."}
	stopped := &lineclient.RequestError{Operation: "get group chat summary", Attempts: 1, Cancelled: true, RetryAfter: "10000000000",
		RetryAfterWait: time.Duration(1<<63 - 1), Last: last, Err: context.DeadlineExceeded}
	err := dl.explain(stopped)
	advice := adviceFor(nil, err)
	if !strings.Contains(advice, "Retry-After: 10000000000") || !strings.Contains(advice, "timeouts block") ||
		strings.Contains(advice, "rate_limit") || strings.Contains(advice, "-parallelism") {
		t.Errorf("advice %q, want the Retry-After and its value, not rate_limit", advice)
	}
	if !strings.Contains(err.Error(), "Retry-After: 10000000000, about 292 years") {
		t.Errorf("error %q does not name the Retry-After", err)
	}
}

// A 429 that is not LINE's is retried within max_retries: its advice says so and points at
// what sits between the provider and LINE. The monthly limit keeps its own.
func TestReliability_otherTooManyRequestsAdvice(t *testing.T) {
	proxy := &lineclient.APIError{Operation: "get bot info", StatusCode: 429, Attempts: 6, NotLINE: "a body of type text/html"}
	if advice := adviceFor(nil, proxy); !strings.Contains(advice, "did not come from LINE") || !strings.Contains(advice, "6 attempts in all") ||
		!strings.Contains(advice, "max_retries") || strings.Contains(advice, "did not retry") {
		t.Errorf("a proxy's 429: advice %q", advice)
	}
	other := &lineclient.APIError{Operation: "get bot info", StatusCode: 429, Attempts: 3, Message: "Too many messages to the same user"}
	if advice := adviceFor(nil, other); !strings.Contains(advice, "not LINE's rate-limit answer") || !strings.Contains(advice, "3 attempts in all") {
		t.Errorf("another 429: advice %q", advice)
	}
	monthly := &lineclient.APIError{Operation: "get bot info", StatusCode: 429, Attempts: 1, Message: "you have reached your monthly limit"}
	if advice := adviceFor(nil, monthly); !strings.Contains(advice, "did not retry") {
		t.Errorf("the monthly limit: advice %q", advice)
	}
}

// A push or leave not started because too little time was left before the deadline has advice
// of its own: why (an attempt whose answer the deadline could cut off), how much a deadline
// needs, and an example that is long enough, never one at or under 2s.
func TestReliability_tooLateAdvice(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limit  time.Duration
		err    *lineclient.RequestError
		want   []string
		forbid []string
	}{
		{
			name:  "no attempt could start",
			limit: 1500 * time.Millisecond,
			err:   &lineclient.RequestError{Operation: "push a message", Cancelled: true, TooLate: true, Err: context.DeadlineExceeded},
			want: []string{"never started with less than 2s (or request_timeout, if shorter) left", "No request went out",
				"must be longer than 2s", `timeouts { invoke = "4s" }`},
			forbid: []string{`invoke = "3s"`, "rate_limit"},
		},
		{
			name:  "throttled until too late",
			limit: 3 * time.Second,
			err: &lineclient.RequestError{Operation: "push a message", Attempts: 3, Cancelled: true, TooLate: true, Err: context.DeadlineExceeded,
				Last: &lineclient.APIError{Operation: "push a message", StatusCode: 429, Message: "The API rate limit has been exceeded. Try again later."}},
			want:   []string{"never started with less than 2s", "LINE was still answering that its rate limit was exceeded", "-parallelism", `timeouts { invoke = "6s" }`},
			forbid: []string{"No request went out"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dl := &deadline{name: "invoke", limit: tc.limit}
			_, cancel := dl.start(context.Background())
			defer cancel()
			advice := adviceFor(nil, dl.explain(tc.err))
			for _, want := range tc.want {
				if !strings.Contains(advice, want) {
					t.Errorf("advice lacks %q:\n%s", want, advice)
				}
			}
			for _, no := range tc.forbid {
				if strings.Contains(advice, no) {
					t.Errorf("advice says %q:\n%s", no, advice)
				}
			}
		})
	}
}

// The example deadline in the advice is double the one that ran out, and never 4s or less, so
// that it is always longer than the 2s a push or a leave needs to start.
func TestDeadlineError_adviceExample(t *testing.T) {
	for limit, want := range map[time.Duration]string{
		500 * time.Millisecond: `timeouts { read = "4s" }`,
		time.Second:            `timeouts { read = "4s" }`,
		2 * time.Second:        `timeouts { read = "4s" }`,
		3 * time.Second:        `timeouts { read = "6s" }`,
		5 * time.Minute:        `timeouts { read = "10m" }`,
	} {
		e := &deadlineError{deadline: deadline{name: "read", limit: limit}}
		if advice := e.advice(); !strings.Contains(advice, want) {
			t.Errorf("limit %s: advice %q, want %s", limit, advice, want)
		}
	}
}
