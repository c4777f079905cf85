package lineclient

import "errors"

// MayHaveTakenEffect reports whether an operation that failed with err may nonetheless have
// been carried out by LINE: one of its attempts that changes something (any method but GET: a
// leave, a push; not a validation) got a 5xx answer, timed out, failed once the request had
// been written, or was accepted (2xx) with an answer that could not be read, so LINE may have
// acted on it and its answer been lost. It holds whatever came after that attempt: 429s until
// the deadline, a queue in the rate limiter past it, a 404, a token that could not be renewed.
// What the last attempt said does not undo an earlier one.
//
// It is false for an operation whose every attempt LINE is known to have refused or never
// received, for reads, and for a validation, which changes nothing.
func MayHaveTakenEffect(err error) bool {
	var e *mayHaveTakenEffectError
	return errors.As(err, &e)
}

// mayHaveTakenEffectError marks the error of an operation that may have been carried out. It
// says nothing of its own: the error it wraps says what happened last.
type mayHaveTakenEffectError struct{ err error }

func (e *mayHaveTakenEffectError) Error() string { return e.err.Error() }
func (e *mayHaveTakenEffectError) Unwrap() error { return e.err }
