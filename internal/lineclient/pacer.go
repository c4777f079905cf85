package lineclient

import (
	"context"
	"strings"
	"time"
)

// The seam between the retry loop and the rate controller (issue 19): the loop asks the pacer
// before every attempt and tells it what became of each. Both sides code to this file; see
// the pacer contract in the project's briefs before changing it.

// scope names one LINE rate-limit scope: LINE counts its limits per channel, per endpoint, where
// an endpoint is a method and a path template; path values never matter (line-api.md §1.5, §14.3).
// Examples: "GET /v2/bot/group/{groupId}/summary", "POST /v2/bot/message/push",
// "POST /oauth2/v3/token".
type scope string

// scopeOf maps a request's method and URL path to its scope: every ID segment (group C…, room R…,
// user U…) becomes its template name ({groupId}, {roomId}, {userId}); any other path is kept as is.
func scopeOf(method, path string) scope {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		switch {
		case GroupIDPattern.MatchString(s):
			segments[i] = "{groupId}"
		case RoomIDPattern.MatchString(s):
			segments[i] = "{roomId}"
		case UserIDPattern.MatchString(s):
			segments[i] = "{userId}"
		}
	}
	return scope(method + " " + strings.Join(segments, "/"))
}

// scopeToken is the stateless token endpoint's scope: its own bucket, never behind reads, and not
// drawn from the run-wide rate_limit cap.
const scopeToken scope = "POST /oauth2/v3/token"

// outcome is what became of one attempt, as far as LINE's rate limit is concerned.
type outcome int

const (
	// outcomePassed: an answer LINE's rate limit let through: any status but 429 (5xx included).
	outcomePassed outcome = iota
	// outcomeRateLimited: LINE's rate-limit 429 ("The API rate limit has been exceeded. Try again later.").
	outcomeRateLimited
	// outcomeUnknown: no answer (transport failure, attempt timeout, cancelled) or a 429 that is not
	// LINE's rate-limit answer (a proxy's, the monthly limit): it says nothing about LINE's bucket.
	outcomeUnknown
)

// ticket is one attempt's permission to go, handed back with its outcome.
type ticket struct {
	scope   scope
	episode uint64    // the scope's decrease count when the attempt was queued
	queued  time.Time // when wait was called
	sent    time.Time // when wait returned
}

// pacer decides when each attempt may go. One per Client; safe for concurrent use.
type pacer interface {
	// wait blocks until an attempt on sc may go, and returns its ticket. It fails at once with
	// context.DeadlineExceeded when the wait could not end before ctx's deadline, and with
	// ctx.Err() when ctx ends while waiting. A pause or a decrease that happens while a request waits
	// applies to it.
	wait(ctx context.Context, sc scope) (ticket, error)
	// done reports what became of the attempt sent with t (exactly once per ticket).
	done(ctx context.Context, t ticket, o outcome)
	// pause holds every attempt on sc, queued ones included, until until (a Retry-After). Waiters
	// released at the end of a pause are spread out (jittered), not let go all at once.
	pause(ctx context.Context, sc scope, until time.Time)
}
