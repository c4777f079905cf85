package lineclient

import "errors"

// MayHaveTakenEffect reports whether a failed operation had an attempt that LINE may have
// carried out although no success came back: a 5xx, a timeout or a transport failure after a
// non-GET request was written. A leave or a push that fails so may have happened all the
// same, whatever the later attempts were answered.
//
// Provisional, until the client records each attempt's outcome: it reads the error's last
// answer and its count of attempts, so an operation that went out more than once counts as
// ambiguous, since an earlier attempt may have met a 5xx or a lost answer.
func MayHaveTakenEffect(err error) bool {
	var (
		apiErr   *APIError
		reqErr   *RequestError
		tokenErr *TokenError
		redirErr *RedirectError
	)
	switch {
	case err == nil, errors.As(err, &tokenErr), errors.As(err, &redirErr):
		return false // no request of the operation's own reached LINE
	case errors.As(err, &reqErr):
		return reqErr.Attempts > 0
	case errors.As(err, &apiErr):
		return apiErr.StatusCode >= 500 || apiErr.Attempts > 1
	}
	return false
}
