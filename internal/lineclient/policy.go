package lineclient

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The retry policy: what an attempt's answer means for the operation, how long to wait before
// the next attempt, and what a Retry-After asks for. retry.go applies it; transport.go is the
// plumbing of one attempt.
//
//	answer                                         verdict         outcome for the pacer
//	2xx, 3xx, 400, 403, 404, 409, 501…             final           passed
//	401                                            renewToken      passed (final for a long-lived token, or the second time)
//	429 "The API rate limit has been exceeded…"    retryThrottled  rateLimited (until the deadline; not counted in max_retries)
//	429 "You have reached your monthly limit."     final           unknown (no wait lifts it)
//	any other 429 (a proxy's, an empty or HTML body) retryBudget   unknown (says nothing of LINE's bucket)
//	500, 502, 503, 504                             retryBudget     passed
//	no answer (transport failure, attempt timeout) retryBudget     unknown (final for a bad certificate)

// Backoff bounds: waits grow exponentially from retryWaitMin to retryWaitMax, with jitter. A
// Retry-After replaces the backoff, however long, as long as it ends before the deadline.
const (
	retryWaitMin = 250 * time.Millisecond
	retryWaitMax = 8 * time.Second
)

// msgRateLimited is LINE's answer when an endpoint's token bucket is empty: the one 429 that
// waiting fixes.
const msgRateLimited = "The API rate limit has been exceeded. Try again later."

// verdict is what the retry loop does after an attempt.
type verdict int

const (
	// final: hand the answer back as it came.
	final verdict = iota
	// retryBudget: retry, at most max_retries times in all for the operation.
	retryBudget
	// retryThrottled: retry until the deadline, without using up max_retries.
	retryThrottled
	// renewToken: LINE refused the token (401): replace an issued token and retry once.
	renewToken
)

// judge classifies one attempt's answer, or its failure when there is no answer. answer is
// LINE's error answer, read from resp (whose body is put back for the SDK) for the statuses
// that are retried or told apart by their message; nil for the others.
func judge(resp *http.Response, err error) (v verdict, o outcome, answer *APIError) {
	if err != nil {
		if finalTransportError(err) {
			return final, outcomeUnknown, nil
		}
		return retryBudget, outcomeUnknown, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		answer = peekAnswer(resp)
		switch {
		case IsRateLimited(answer):
			return retryThrottled, outcomeRateLimited, answer
		case IsMonthlyLimit(answer):
			return final, outcomeUnknown, answer
		}
		return retryBudget, outcomeUnknown, answer
	case http.StatusUnauthorized:
		return renewToken, outcomePassed, peekAnswer(resp)
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return retryBudget, outcomePassed, peekAnswer(resp)
	}
	return final, outcomePassed, nil
}

// finalTransportError reports a failure that no retry can mend: the endpoint's certificate
// is not trusted, or the request cannot be sent as it is (refusedBeforeSending).
func finalTransportError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		refusedBeforeSending(err)
}

// refusedBeforeSending reports a request that net/http refuses to send as it is, before it
// seeks a connection: an invalid header value (a token with a trailing newline), a scheme it
// does not speak, an invalid proxy address (HTTPS_PROXY). These errors are not typed.
func refusedBeforeSending(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid header") ||
		strings.Contains(msg, "invalid proxy address")
}

// peekAnswer reads an error answer and puts the body back for the SDK.
func peekAnswer(resp *http.Response) *APIError {
	var raw []byte
	if resp.Body != nil {
		raw, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	return apiErrorFrom("", resp, raw, 0)
}

// sameMessage compares two of LINE's messages loosely: letters and digits only, in any case,
// so that "you have reached your monthly limit" or a message with another full stop or
// spacing still means what LINE's literal text means.
func sameMessage(a, b string) bool {
	return looseText(a) == looseText(b)
}

func looseText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// backoff waits waitMin·2^attempt, capped at waitMax, with jitter over its upper half so that
// concurrent operations do not retry in step. attempt counts from 0.
func backoff(waitMin, waitMax time.Duration, attempt int) time.Duration {
	attempt = max(attempt, 0)
	wait := waitMax
	if attempt < 30 && waitMin<<attempt < waitMax {
		wait = waitMin << attempt
	}
	half := wait / 2
	return half + rand.N(half+1)
}

// maxWait stands for a Retry-After too long for a time.Duration (about 292 years).
const maxWait = time.Duration(math.MaxInt64)

// retryAfter reads a Retry-After header (RFC 9110 §10.2.3): a number of seconds, or an HTTP
// date, which counts from now. A wait too long for a time.Duration saturates at maxWait rather
// than wrap around to a short one. ok is false without a readable header.
func retryAfter(resp *http.Response, now time.Time) (wait time.Duration, value string, ok bool) {
	if resp == nil {
		return 0, "", false
	}
	value = strings.TrimSpace(resp.Header.Get("Retry-After"))
	if value == "" {
		return 0, "", false
	}
	if isDigits(value) {
		seconds, err := strconv.ParseUint(value, 10, 64)
		if err != nil || seconds > uint64(maxWait/time.Second) {
			return maxWait, value, true // beyond uint64 (ErrRange) or beyond a Duration
		}
		return time.Duration(seconds) * time.Second, value, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, "", false
	}
	return max(at.Sub(now), 0), value, true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// aboutDuration says a wait in words a person reads at a glance: "35s", "2h30m", "317 years".
func aboutDuration(d time.Duration) string {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	switch {
	case d >= 2*year:
		return fmt.Sprintf("about %d years", d/year)
	case d >= 2*day:
		return fmt.Sprintf("about %d days", d/day)
	}
	return d.Round(time.Second).String()
}
