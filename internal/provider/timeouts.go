package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// Operation deadlines, Terraform's convention: a timeouts block on the resource and on every
// data source, with these defaults. Every wait inside an operation (limiter queue, backoff
// after 429 or 5xx, the request itself) ends at its deadline.
const (
	defaultCreateTimeout = 5 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

// timeoutDescription documents one attribute of a timeouts block with its default.
func timeoutDescription(op string, def time.Duration) string {
	return fmt.Sprintf("How long the %s may take in all, retries and waits for LINE's rate limit included, "+
		"as a duration such as `\"30s\"` or `\"10m\"`. Defaults to `\"%s\"`.", op, shortDuration(def))
}

// dataSourceTimeouts is the timeouts block every data source has: read only.
func dataSourceTimeouts(ctx context.Context) schema.Block {
	return dstimeouts.BlockWithOpts(ctx, dstimeouts.Opts{
		ReadDescription: timeoutDescription("read", defaultReadTimeout),
	})
}

// deadline is one operation's time limit, as its timeouts block sets it.
type deadline struct {
	name  string // the timeouts attribute: "create", "read" or "delete"
	limit time.Duration
}

// start bounds ctx by the deadline.
func (d deadline) start(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.limit)
}

// explain wraps an error that the passing of this deadline caused, so that its diagnostic
// names the deadline and how to raise it; other errors pass unchanged.
func (d deadline) explain(err error) error {
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		return &deadlineError{deadline: d, err: err}
	}
	return err
}

type deadlineError struct {
	deadline
	err error
}

func (e *deadlineError) Error() string {
	return fmt.Sprintf("the %s deadline of %s passed: %v", e.name, shortDuration(e.limit), e.err)
}

func (e *deadlineError) Unwrap() error { return e.err }

func (e *deadlineError) advice() string {
	return fmt.Sprintf("The operation ran out of time while LINE was throttling or failing. Raise its deadline "+
		"with a timeouts block, for example `timeouts { %s = \"%s\" }`, or lower -parallelism.",
		e.name, shortDuration(2*e.limit))
}

// shortDuration prints 5m0s as 5m and 1h0m0s as 1h.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
