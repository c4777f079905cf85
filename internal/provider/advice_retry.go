package provider

import (
	"fmt"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// Advice for the 429s and Retry-After answers of issue 19, kept apart until the advice
// moves into one file.

// retryAfterAdvice explains a call stopped by a Retry-After that would have outlasted its
// deadline: waiting was pointless, and LINE itself sends no Retry-After.
func retryAfterAdvice(e *lineclient.RequestError) string {
	return fmt.Sprintf("The answer asked the provider to wait before trying again (Retry-After: %s), longer than "+
		"the operation had left, so it stopped at once rather than wait in vain. LINE's API sends no Retry-After: "+
		"a proxy or gateway in front of it (api_endpoint) may. If the wait is reasonable, give the operation more "+
		"time with a timeouts block; otherwise check what sends it.", e.RetryAfter)
}

// otherTooManyRequestsAdvice explains a 429 that is neither LINE's rate limit nor its monthly
// limit, such as a proxy's: the provider retried it max_retries times.
func otherTooManyRequestsAdvice(e *lineclient.APIError) string {
	who := "This 429 is not LINE's rate-limit answer"
	if e.NotLINE != "" {
		who = "This 429 did not come from LINE (its body is not LINE's JSON)"
	}
	return fmt.Sprintf("%s: a proxy or gateway between the provider and LINE (api_endpoint) may be limiting requests. "+
		"The provider retried it with backoff, %s in all; check the proxy's limits, or raise max_retries in the "+
		"provider block.", who, plural(e.Attempts, "attempt"))
}
