package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// Operation deadlines, Terraform's convention: a timeouts block on the resource and on every
// data source, with this default for every operation. Every wait inside an operation (limiter
// queue, backoff after 429 or 5xx, the request itself) ends at its deadline.
const defaultTimeout = 5 * time.Minute

// timeoutDescription documents one attribute of a timeouts block with its default.
func timeoutDescription(op string) string {
	return fmt.Sprintf("How long the %s may take in all, retries and waits for LINE's rate limit included, "+
		"as a duration such as `\"30s\"` or `\"10m\"`. Defaults to `\"%s\"`.", op, shortDuration(defaultTimeout))
}

// dataSourceTimeouts is the timeouts block every data source has: read only, a positive
// duration (the library's own validator accepts "0s" and "-1m", deadlines that pass at once).
func dataSourceTimeouts(ctx context.Context) schema.Block {
	block, _ := dstimeouts.BlockWithOpts(ctx, dstimeouts.Opts{
		ReadDescription: timeoutDescription("read"),
	}).(schema.SingleNestedBlock) // what BlockWithOpts returns
	read, ok := block.Attributes["read"].(schema.StringAttribute)
	if !ok {
		panic(fmt.Sprintf("timeouts attribute read is a %T, not a string", block.Attributes["read"]))
	}
	read.Validators = []validator.String{durationValidator{}}
	block.Attributes["read"] = read
	return block
}

// writeDeadlineWhy says why a deadline for an operation that changes something (a leave, a
// push) must be longer than lineclient.MinWriteTime.
func writeDeadlineWhy(request, never string) string {
	return fmt.Sprintf("A %s is never started with less than %s (or request_timeout, if shorter) left before the "+
		"deadline, since LINE could carry it out after the deadline cut its answer off: with this deadline %s.",
		request, lineclient.MinWriteTime, never)
}

// deadline is one operation's time limit, as its timeouts block sets it.
type deadline struct {
	name  string // the timeouts attribute: "create", "read", "delete" or "invoke"
	limit time.Duration
	ctx   context.Context // set by start
}

// start bounds ctx by the deadline. Errors from calls made under it go through explain.
func (d *deadline) start(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, d.limit)
	d.ctx = ctx
	return ctx, cancel
}

// explain wraps an error that the passing of this deadline caused, so that its diagnostic
// names the deadline and how to raise it; other errors pass unchanged. It looks at the
// deadline's own context, not only at the error: an error that wraps
// context.DeadlineExceeded for another reason (an attempt that outlived request_timeout, a
// token issuance out of its own time) is not helped by a longer deadline. The client stops
// (Cancelled) before the deadline when a wait in its limiter or a backoff would outlast it:
// that is the deadline's doing too.
func (d *deadline) explain(err error) error {
	if err == nil || d.ctx == nil || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var reqErr *lineclient.RequestError
	// The client gave up before the deadline because a wait would have outlasted it.
	stoppedEarly := errors.As(err, &reqErr) && reqErr.Cancelled
	passed := d.ctx.Err() != nil
	if !passed && !stoppedEarly {
		return err
	}
	return &deadlineError{deadline: *d, early: !passed, err: err}
}

type deadlineError struct {
	deadline
	// early is set when the client stopped before the deadline, because the next wait (a
	// queue, a backoff) or attempt could not have ended before it.
	early bool
	err   error
}

func (e *deadlineError) Error() string {
	if e.early {
		return fmt.Sprintf("the %s deadline of %s would pass before the operation could go on: %v",
			e.name, shortDuration(e.limit), e.err)
	}
	return fmt.Sprintf("the %s deadline of %s passed: %v", e.name, shortDuration(e.limit), e.err)
}

func (e *deadlineError) Unwrap() error { return e.err }

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
