package provider

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// addClientError turns a failed LINE call into an error diagnostic: the summary says what
// failed, the detail gives LINE's status, message and request ID, then what to do about it.
func addClientError(diags *diag.Diagnostics, data *providerData, summary string, err error) {
	addErrorWithAdvice(diags, summary, err, adviceFor(data, err))
}

// addChatError is addClientError for a call about one chat, where a 404 has a meaning of
// its own: the chat is unknown or the bot is not in it.
func addChatError(diags *diag.Diagnostics, data *providerData, summary string, kind chatKind, err error) {
	advice := adviceFor(data, err)
	if lineclient.IsNotFound(err) {
		advice = notFoundAdvice(kind)
	}
	addErrorWithAdvice(diags, summary, err, advice)
}

// forbiddenListAdvice explains a 403 on a member list, the one endpoint LINE keeps for some
// accounts.
const forbiddenListAdvice = "This endpoint needs a verified or premium LINE Official Account: LINE lists chat " +
	"members only for those accounts. Member counts and single profiles work for every account."

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func notFoundAdvice(kind chatKind) string {
	return "LINE answers 404 when the " + kind.noun + " does not exist or the bot is not a member of it " +
		"(never invited, removed by a member, or left). Check " + kind.idAttr + ", or use the line_bot_membership " +
		"data source to test whether the bot is in the chat. " + notInChatAdvice(kind)
}

func addErrorWithAdvice(diags *diag.Diagnostics, summary string, err error, advice string) {
	detail := err.Error() + "."
	if advice != "" {
		detail += "\n\n" + advice
	}
	diags.AddError(summary, detail)
}

func adviceFor(data *providerData, err error) string {
	var (
		apiErr    *lineclient.APIError
		reqErr    *lineclient.RequestError
		tokenErr  *lineclient.TokenError
		noCredErr *lineclient.MissingCredentialsError
		redirErr  *lineclient.RedirectError
		dlErr     *deadlineError
	)
	if data == nil {
		data = &providerData{} // never a panic while reporting an error
	}
	switch {
	case errors.As(err, &reqErr) && reqErr.RetryAfter != "":
		return retryAfterAdvice(reqErr)
	case errors.As(err, &dlErr) && lineclient.IsRateLimited(err):
		return "LINE was still answering that its rate limit was exceeded when the deadline passed: other " +
			"traffic on the channel (the bot itself, other tools) uses the same per-endpoint limit. Lower " +
			"-parallelism or rate_limit, or raise the deadline: " + dlErr.advice()
	case errors.As(err, &dlErr) && errors.As(err, &reqErr) && reqErr.Queued:
		return "The requests waited in the provider's own rate limiter until the deadline. Raise rate_limit " +
			"in the provider block (LINE allows 2,000 requests per second per endpoint), lower -parallelism, or " +
			"raise the deadline: " + dlErr.advice()
	case errors.As(err, &dlErr):
		return dlErr.advice()
	case errors.As(err, &redirErr):
		return "LINE's API never redirects. Check api_endpoint (or the " + envAPIEndpoint + " environment " +
			"variable): it should be " + lineclient.DefaultEndpoint + ", or the address of a proxy that forwards " +
			"requests without redirecting them."
	case errors.As(err, &noCredErr):
		return data.creds.hint()
	case errors.As(err, &tokenErr) && tokenErr.KeyID != "":
		return assertionAdvice(data.creds, tokenErr)
	case errors.As(err, new(*lineclient.NoIssuerError)):
		return noIssuerAdvice(data.creds)
	case errors.As(err, &tokenErr) && tokenErr.Refused:
		from := ""
		if c := data.creds; c.channelID.set() && c.channelSecret.set() {
			from = " (from " + c.channelID.source + " and " + c.channelSecret.source + ")"
		}
		return "LINE refused the channel ID and secret" + from + ". Check them against the channel's Basic " +
			"settings in the LINE Developers Console."
	case errors.As(err, &reqErr) && reqErr.TimedOut:
		return "LINE did not answer in time. If LINE is slow rather than unreachable, raise request_timeout " +
			"or max_retries in the provider block."
	case errors.As(err, &reqErr) && reqErr.Cancelled:
		return ""
	case errors.As(err, &reqErr):
		return "The request did not reach LINE. Check the network and api_endpoint."
	case errors.As(err, &apiErr):
		switch code := apiErr.StatusCode; {
		case code == http.StatusUnauthorized:
			return unauthorizedAdvice(data.creds)
		case code == http.StatusForbidden:
			// Member lists have advice of their own (forbiddenListAdvice): every other endpoint
			// is open to every account.
			return "LINE does not let this account use this endpoint, which is open to every LINE Official " +
				"Account. Check that the credentials belong to the bot's Messaging API channel, and that the " +
				"account is not suspended (LINE Official Account Manager)."
		case lineclient.IsRateLimited(apiErr):
			return fmt.Sprintf("LINE's rate limit was still exceeded after %s. Lower rate_limit or -parallelism, "+
				"or give the operation more time with a timeouts block.", plural(apiErr.Attempts, "attempt"))
		case lineclient.IsMonthlyLimit(apiErr):
			return "LINE answered 429 for a limit that waiting does not lift (the monthly message limit), " +
				"so the provider did not retry. Check the account's usage in LINE Official Account Manager."
		case code == http.StatusTooManyRequests:
			return otherTooManyRequestsAdvice(apiErr)
		case code >= 500:
			return "LINE had a server error. Try again later; max_retries sets how often the provider retries."
		}
	}
	return ""
}

// unauthorizedAdvice explains LINE's 401 by the credential behind the token it refused: the
// long-lived token, or the private key or secret that stateless tokens are issued with, each
// named by where it was set.
func unauthorizedAdvice(c credentials) string {
	switch {
	case c.token.set():
		return "The channel access token from " + c.token.source + " is invalid, expired or revoked. Check it, " +
			"or issue a new one in the LINE Developers Console (the channel's Messaging API tab)."
	case c.privateKey.set():
		return "LINE refused a stateless token it had issued for the JWT assertion signed with the private key " +
			"from " + c.privateKey.source + " (key ID from " + sourceOr(c.keyID, "channel_key_id") + ", channel ID from " +
			sourceOr(c.channelID, "channel_id") + "). Check that channel_id is the bot's Messaging API channel, the " +
			"channel the key was registered for."
	case c.channelSecret.set():
		return "LINE refused a stateless token it had issued for the channel ID and secret (from " +
			sourceOr(c.channelID, "channel_id") + " and " + c.channelSecret.source + "). Check that channel_id and " +
			"channel_secret belong to the bot's Messaging API channel."
	}
	return c.hint()
}

// notConfigured reports, and returns true, when a data source or resource has no usable
// client: the provider's own configuration depends on values not known until apply.
func notConfigured(diags *diag.Diagnostics, data *providerData) bool {
	if data == nil || data.unknown || data.client == nil {
		diags.AddError("LINE provider configuration not known yet",
			"The provider block uses values that are known only after apply, so LINE cannot be asked "+
				"anything during this plan. Apply the resources the provider configuration depends on first "+
				"(for example with -target), or set those values directly.")
		return true
	}
	return false
}
