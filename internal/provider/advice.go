package provider

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// What the provider tells a user about a failure, and what to do about it, lives in this file,
// by cause: running out of time, the credentials, a provider configuration known only after
// apply, the network, LINE's answers, a chat the bot is not in (or members who left), an import
// ID, a leave or a push whose outcome is known or not, and a plan that would strand the bot.
// diagnostics.go holds only the mechanics (a diagnostic from an error and its advice); the
// validators of what users write keep their messages beside their rules
// (TestAdviceLivesInAdviceGo).

// adviceFor says what to do about a failed LINE call, from its cause; "" when the error says
// all there is (a cancellation).
func adviceFor(data *providerData, err error) string {
	if data == nil {
		data = &providerData{} // never a panic while reporting an error
	}
	for _, cause := range []func(*providerData, error) (string, bool){
		timeAdvice, credentialAdvice, networkAdvice, answerAdvice,
	} {
		if advice, ok := cause(data, err); ok {
			return advice
		}
	}
	return ""
}

// ---- Running out of time ----

// timeAdvice explains an operation that ran out of time: a Retry-After longer than what was
// left, or its deadline, while LINE throttled, while the requests queued in the provider's own
// rate limiter, or while LINE failed.
func timeAdvice(_ *providerData, err error) (string, bool) {
	var (
		reqErr *lineclient.RequestError
		dlErr  *deadlineError
	)
	hasDeadline := errors.As(err, &dlErr)
	switch {
	case errors.As(err, &reqErr) && reqErr.RetryAfter != "":
		return retryAfterAdvice(reqErr), true
	case errors.As(err, &reqErr) && reqErr.TooLate:
		return tooLateAdvice(reqErr, dlErr), true // dlErr is nil without a deadline
	case !hasDeadline:
		return "", false
	case lineclient.IsRateLimited(err):
		return "LINE was still answering that its rate limit was exceeded when the deadline came: other " +
			"traffic on the channel (the bot itself, other tools) uses the same per-endpoint limit. Lower " +
			"-parallelism or rate_limit, or raise the deadline with a timeouts block, for example " + dlErr.example() + ".", true
	case errors.As(err, &reqErr) && reqErr.Queued:
		return "The requests waited in the provider's own rate limiter until the deadline: either rate_limit is " +
			"lower than this work needs in the time allowed, or LINE's rate-limit answers earlier in the run slowed " +
			"this endpoint down (LINE's per-endpoint limits are shared with the bot itself and other tools). Lower " +
			"-parallelism, raise rate_limit in the provider block if it is what holds the work back (LINE allows " +
			"2,000 requests per second per endpoint), or raise the deadline with a timeouts block, for example " +
			dlErr.example() + ".", true
	}
	return dlErr.advice(), true
}

func (e *deadlineError) advice() string {
	return "The operation ran out of time while LINE was throttling or failing. Raise its deadline with a " +
		"timeouts block, for example " + e.example() + ", or lower -parallelism."
}

// example is a timeouts block with a longer deadline: twice the one that ran out, and never
// less than twice lineclient.MinWriteTime, the least with which a push or a leave starts.
func (e *deadlineError) example() string {
	return fmt.Sprintf("`timeouts { %s = \"%s\" }`", e.name, shortDuration(max(2*e.limit, 2*lineclient.MinWriteTime)))
}

// tooLateAdvice explains a leave or push not started because less than min(request_timeout,
// 2s) was left before its deadline (dl, when that deadline is known).
func tooLateAdvice(e *lineclient.RequestError, dl *deadlineError) string {
	advice := fmt.Sprintf("A request that changes something (a leave, a push) is never started with less than %s (or "+
		"request_timeout, if shorter) left before its deadline: LINE could carry it out after the deadline had cut its "+
		"answer off, and nobody could tell whether it had.", lineclient.MinWriteTime)
	if e.Attempts == 0 {
		advice += " No request went out: the deadline is too short, or waits before the first attempt (the provider's " +
			"own rate limiter, a token) used it up."
	} else {
		advice += " Earlier attempts, and the waits between them, used up the rest."
	}
	if lineclient.IsRateLimited(e) {
		advice += " LINE was still answering that its rate limit was exceeded: other traffic on the channel (the bot " +
			"itself, other tools) uses the same per-endpoint limit. Lower -parallelism or rate_limit."
	}
	if dl != nil {
		advice += fmt.Sprintf(" The %s deadline must be longer than %s plus those waits: raise it, for example %s.",
			dl.name, lineclient.MinWriteTime, dl.example())
	}
	return advice
}

// retryAfterAdvice explains a call stopped by a Retry-After that would have outlasted its
// deadline: waiting was pointless, and LINE itself sends no Retry-After.
func retryAfterAdvice(e *lineclient.RequestError) string {
	return fmt.Sprintf("The answer asked the provider to wait before trying again (Retry-After: %s), longer than "+
		"the operation had left, so it stopped at once rather than wait in vain. LINE's API sends no Retry-After: "+
		"a proxy or gateway in front of it (api_endpoint) may. If the wait is reasonable, give the operation more "+
		"time with a timeouts block; otherwise check what sends it.", e.RetryAfter)
}

// ---- Credentials ----

// credentialAdvice explains missing or refused credentials. A token request that failed for
// another reason (the network, a server error) is explained by that cause instead.
func credentialAdvice(data *providerData, err error) (string, bool) {
	var tokenErr *lineclient.TokenError
	switch {
	case errors.As(err, new(*lineclient.MissingCredentialsError)):
		return data.creds.hint(), true
	case errors.As(err, new(*lineclient.NoIssuerError)):
		return noIssuerAdvice(data.creds), true
	case !errors.As(err, &tokenErr) || !tokenErr.Refused:
		return "", false
	case tokenErr.KeyID != "":
		return assertionAdvice(data.creds, tokenErr), true
	}
	return secretRefusedAdvice(data.creds), true
}

// hint completes the error shown at the first call when the credentials are missing or
// incomplete: what is missing, and what is set but not used.
func (c credentials) hint() string {
	var hint string
	switch {
	case c.channelID.set() && !c.channelSecret.set():
		hint = "channel_id is set but neither a private key nor channel_secret is: set channel_private_key with " +
			"channel_key_id (or the " + envChannelPrivateKey + " and " + envChannelKeyID + " environment variables), " +
			"or channel_secret (or " + envChannelSecret + "), or unset channel_id and set channel_access_token."
	case c.channelSecret.set() && !c.channelID.set():
		hint = "channel_secret is set but channel_id is not: set channel_id in the provider block or the " +
			envChannelID + " environment variable, or unset channel_secret and set channel_access_token."
	default:
		hint = "Set channel_access_token in the provider block or the " + envAccessToken + " environment variable; " +
			"or set channel_id with channel_private_key and channel_key_id (" + envChannelID + ", " + envChannelPrivateKey +
			", " + envChannelKeyID + "), or channel_id with channel_secret (" + envChannelSecret + "), so that the provider " +
			"issues short-lived tokens itself."
	}
	if len(c.shadowed) > 0 {
		sources := make([]string, len(c.shadowed))
		for i, s := range c.shadowed {
			sources[i] = s.source
		}
		hint += " Not used, because credentials in the provider block take precedence over the environment, " +
			"and a token over a private key over a secret: " + strings.Join(sources, ", ") + "."
	}
	return hint
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

// assertionAdvice explains LINE's refusal of a token request signed with the private key.
func assertionAdvice(c credentials, err *lineclient.TokenError) string {
	kid := sourceOr(c.keyID, "channel_key_id")
	channel := sourceOr(c.channelID, "channel_id")
	switch {
	case err.UnknownKey:
		return "No assertion signing key with the key ID from " + kid + " is registered for the channel in " +
			channel + ". Check channel_key_id against the channel's Basic settings → Assertion Signing Key in the " +
			"LINE Developers Console (register the public key there if it is missing), and that channel_id is the " +
			"channel the key was registered for."
	case err.Refused:
		return "LINE refused the JWT assertion signed with " + sourceOr(c.privateKey, "channel_private_key") +
			". Check that channel_private_key is the private half of the key registered as channel_key_id for the " +
			"channel in " + channel + ", and that this machine's clock is right: an assertion is valid for 25 minutes " +
			"from the time it is signed."
	}
	return ""
}

// secretRefusedAdvice explains LINE's refusal (400) of the channel ID and secret.
func secretRefusedAdvice(c credentials) string {
	from := ""
	if c.channelID.set() && c.channelSecret.set() {
		from = " (from " + c.channelID.source + " and " + c.channelSecret.source + ")"
	}
	return "LINE refused the channel ID and secret" + from + ". Check them against the channel's Basic " +
		"settings in the LINE Developers Console."
}

// noIssuerAdvice explains why line_channel_access_token cannot issue a token.
func noIssuerAdvice(c credentials) string {
	advice := "line_channel_access_token issues a new token, which needs the channel's credentials: set " +
		"channel_id with channel_private_key and channel_key_id (" + envChannelID + ", " + envChannelPrivateKey + ", " +
		envChannelKeyID + "), or channel_id with channel_secret (" + envChannelSecret + ")."
	if c.token.set() {
		advice += " The provider uses the channel access token from " + c.token.source + ", which takes " +
			"precedence and cannot issue other tokens: give the ephemeral resource a provider alias configured " +
			"with channel credentials only."
	}
	return advice
}

// addCredentialsError reports, at configure, an assertion signing key that cannot be used:
// on the attribute at fault, naming where its value came from and what to do. No value is shown.
func addCredentialsError(diags *diag.Diagnostics, c credentials, err *lineclient.CredentialsError) {
	keyFrom := sourceOr(c.privateKey, "channel_private_key")
	switch err.Field {
	case lineclient.FieldChannelPrivateKey:
		diags.AddAttributeError(path.Root("channel_private_key"), "Invalid LINE channel private key",
			"The value of "+keyFrom+" is not usable as an assertion signing key: it is "+err.Reason+". Give the "+
				"private key of the pair whose public key is registered for the channel, as a JSON Web Key (the form "+
				"LINE's guide generates) or PEM, RSA of 2048 bits, as LINE requires.")
	case lineclient.FieldChannelKeyID:
		diags.AddAttributeError(path.Root("channel_key_id"), "Invalid LINE channel key ID",
			"channel_key_id: "+err.Reason+". The private key comes from "+keyFrom+"; set channel_key_id in the "+
				"provider block or the "+envChannelKeyID+" environment variable to the kid shown in the channel's Basic "+
				"settings → Assertion Signing Key in the LINE Developers Console.")
	case lineclient.FieldChannelID:
		diags.AddAttributeError(path.Root("channel_id"), "Missing LINE channel ID",
			"channel_id is "+err.Reason+". The private key comes from "+keyFrom+"; set channel_id in the "+
				"provider block or the "+envChannelID+" environment variable.")
	default:
		diags.AddError("Invalid LINE credentials", err.Error()+".")
	}
}

func sourceOr(s setting, attr string) string {
	if s.source != "" {
		return s.source
	}
	return attr
}

// ---- A provider configuration known only after apply ----

// notConfiguredAdvice explains why LINE cannot be asked during this plan, and what to do.
const notConfiguredAdvice = "The provider block uses values that are known only after apply, so LINE cannot be " +
	"asked anything during this plan. Apply the resources the provider configuration depends on first (for " +
	"example with -target), or set those values directly."

// notRefreshedDetail explains a refresh that kept a membership as it was, for the same reason.
const notRefreshedDetail = "The provider configuration depends on values known only after apply, so LINE was not " +
	"asked whether the bot is still in the chat. The state is kept as it was."

// ---- The network ----

// networkAdvice explains a request that got no answer from LINE: a redirect (which LINE never
// sends), no answer in time, or no connection.
func networkAdvice(_ *providerData, err error) (string, bool) {
	var reqErr *lineclient.RequestError
	switch {
	case errors.As(err, new(*lineclient.RedirectError)):
		return "LINE's API never redirects. Check api_endpoint (or the " + envAPIEndpoint + " environment " +
			"variable): it should be " + lineclient.DefaultEndpoint + ", or the address of a proxy that forwards " +
			"requests without redirecting them.", true
	case !errors.As(err, &reqErr):
		return "", false
	case reqErr.TimedOut:
		return "LINE did not answer in time. If LINE is slow rather than unreachable, raise request_timeout " +
			"or max_retries in the provider block.", true
	case reqErr.Cancelled:
		return "", true // Ctrl-C: the error says so
	}
	return "The request did not reach LINE. Check the network and api_endpoint.", true
}

// ---- LINE's answers ----

// answerAdvice explains LINE's final answer by its status and message.
func answerAdvice(data *providerData, err error) (string, bool) {
	var apiErr *lineclient.APIError
	if !errors.As(err, &apiErr) {
		return "", false
	}
	switch code := apiErr.StatusCode; {
	case code == http.StatusUnauthorized:
		return unauthorizedAdvice(data.creds), true
	case code == http.StatusForbidden:
		// Member lists have advice of their own (forbiddenListAdvice): every other endpoint
		// is open to every account.
		return "LINE does not let this account use this endpoint, which is open to every LINE Official " +
			"Account. Check that the credentials belong to the bot's Messaging API channel, and that the " +
			"account is not suspended (LINE Official Account Manager).", true
	case lineclient.IsRateLimited(apiErr):
		return fmt.Sprintf("LINE's rate limit was still exceeded after %s. Lower rate_limit or -parallelism, "+
			"or give the operation more time with a timeouts block.", plural(apiErr.Attempts, "attempt")), true
	case lineclient.IsMonthlyLimit(apiErr):
		return "LINE answered 429 for a limit that waiting does not lift (the monthly message limit), " +
			"so the provider did not retry. Check the account's usage in LINE Official Account Manager.", true
	case code == http.StatusTooManyRequests:
		return otherTooManyRequestsAdvice(apiErr), true
	case code >= http.StatusInternalServerError:
		return "LINE had a server error. Try again later; max_retries sets how often the provider retries.", true
	}
	return "", false
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

// forbiddenListAdvice explains a 403 on a member list, the one endpoint LINE keeps for some
// accounts.
const forbiddenListAdvice = "This endpoint needs a verified or premium LINE Official Account: LINE lists chat " +
	"members only for those accounts. Member counts and single profiles work for every account."

// ---- Chats the bot is not in ----

// notInChatAdvice says what to do about a chat the bot is not in. LINE has no API call that
// joins a chat, so the only way in is a member's invitation; create, import, the replacement
// check and the data sources' 404 all end with these words, so that they never disagree.
func notInChatAdvice(kind chatKind) string {
	where := "the group"
	if kind.chatType == lineclient.Room {
		where = "the multi-person chat"
	}
	advice := "Invite the LINE Official Account into " + where + " from the LINE app, then try again. A bot can be " +
		"invited only when \"Allow bot to join group chats\" is enabled for the channel (LINE Official Account " +
		"Manager, Settings, Account settings)."
	if kind.chatType == lineclient.Room {
		advice += " LINE now creates new multi-person chats as group chats, so a chat created recently has a " +
			"group ID (C…)."
	}
	return advice
}

// notMemberDetail explains LINE's 404 for a chat the bot should be in, and what to do.
func notMemberDetail(chat lineclient.Chat) string {
	return "LINE answered 404 Not found: the " + kindOf(chat).noun + " does not exist or the bot is not a member " +
		"of it. LINE has no API call that makes a bot join a chat, so line_bot_membership can only adopt a chat " +
		"the bot is already in.\n\n" + notInChatAdvice(kindOf(chat))
}

func notFoundAdvice(kind chatKind) string {
	return "LINE answers 404 when the " + kind.noun + " does not exist or the bot is not a member of it " +
		"(never invited, removed by a member, or left). Check " + kind.idAttr + ", or use the line_bot_membership " +
		"data source to test whether the bot is in the chat. " + notInChatAdvice(kind)
}

// noLongerInDetail explains a refresh that found the bot gone from chat: the membership leaves
// state, and the plan proposes to adopt it again.
func noLongerInDetail(chat lineclient.Chat) string {
	return "LINE answered 404 Not found for " + chat.String() + ": the bot was removed or left outside Terraform, " +
		"or the chat no longer exists. The membership is removed from state, so the plan proposes to create it " +
		"again, which succeeds once a member invites the bot back."
}

// membersLeftDetail explains members that LINE listed and then had no profile for: they left
// while the list was read, and are left out of profiles.
func membersLeftDetail(skipped []string) string {
	return "LINE listed these users as members but had no profile for them a moment later, so they are left out " +
		"of profiles: " + strings.Join(skipped, ", ") + "."
}

// invalidImportDetail explains an import ID (or the identity's chat_id) that is no chat's ID,
// with the formats it must have.
func invalidImportDetail(id string, byIdentity bool) string {
	formats := fmt.Sprintf("a group chat ID (%s) or a multi-person chat ID (%s). Got %q.",
		lineclient.GroupIDFormat, lineclient.RoomIDFormat, id)
	if byIdentity {
		return "The identity attribute chat_id of line_bot_membership must be " + formats
	}
	return "Import line_bot_membership by the chat's ID: " + formats
}

// profileNotFoundAdvice explains LINE's 404 for one member's profile.
func profileNotFoundAdvice(kind chatKind) string {
	return "LINE answers 404 when the user is not a member of the " + kind.noun + ", has not consented to " +
		"profile access (users who have never used LINE for iOS or Android), or when the bot is not in the chat."
}

// strandingDetail explains why a replacement from one chat to another that the bot is not in
// is refused, at plan or at apply before the bot leaves: destroy runs first, the bot leaves
// for good, and the create then fails.
func strandingDetail(from, to lineclient.Chat, atApply bool) string {
	stop := "The plan stops here and nothing has changed."
	if atApply {
		stop = "The apply stops here, before the bot leaves " + from.String() + ": the bot has not left, and the " +
			"membership stays in state. (The plan could not check " + to.String() + ": the membership is tainted, " +
			"which Terraform plans like a new one, or the plan was saved and LINE's answer has changed since.)"
	}
	return "The chat changes from " + from.String() + " to " + to.String() + ", which replaces this " +
		"line_bot_membership. LINE answered 404 Not found for " + to.String() + ": the bot is not in it (or the " +
		"chat does not exist). Applying would make the bot leave " + from.String() + " for good, since only a " +
		"member's new invitation brings a bot back, and then fail to adopt " + to.String() + ". " + stop + "\n\n" +
		"The bot must be in " + to.String() + " before this change can apply. " + notInChatAdvice(kindOf(to)) + "\n\n" +
		"To keep the bot in " + from.String() + " as well, keep this resource and add another " +
		"line_bot_membership for " + to.String() + " (or rename this one with a moved block and add a new one). " +
		"With lifecycle { create_before_destroy = true }, Terraform adopts the new chat before the bot leaves " +
		"the old one, which also protects chat IDs known only at apply; this check applies either way, since " +
		"the provider cannot see lifecycle settings."
}

// ---- Leaving ----

// addLeaveOutcome reports what a destroy's leave request came to. An attempt that LINE may
// have carried out decides what can be said, whatever LINE answered the attempts after it:
// "The bot is still in" is said only when LINE's final answer proves it and no attempt before
// it may have been carried out.
func addLeaveOutcome(diags *diag.Diagnostics, data *providerData, chat lineclient.Chat, err error) {
	ambiguous := lineclient.MayHaveTakenEffect(err)
	switch {
	case err == nil:
	case lineclient.IsNotFound(err) && ambiguous:
		diags.AddWarning("The bot has left "+chat.String(),
			"LINE answered 404 Not found to a retried leave request: an earlier attempt, whose answer was lost, "+
				"most likely made the bot leave, unless it had left already. Either way the bot is not in the "+
				"chat, which is what destroying asks for.")
	case lineclient.IsNotFound(err):
		// A group the bot already left, or a room that is gone: the bot is not there, as wanted.
		diags.AddWarning("The bot had already left "+chat.String(),
			"LINE answered 404 Not found to the leave request: the bot was no longer in the chat, which is "+
				"what destroying asks for.")
	case ambiguous:
		advice := "LINE may have carried the leave out although no answer said so (a server error, a timeout or " +
			"a broken connection after a request went out), whatever it answered after that: the bot may have " +
			"left. The membership stays in state until LINE says otherwise. The next plan refreshes it and tells: " +
			"if the bot has left, the membership leaves state with a warning; if the bot remains in the chat, the " +
			"plan proposes to destroy it again."
		if more := adviceFor(data, err); more != "" {
			advice += "\n\n" + more
		}
		addErrorWithAdvice(diags, "The bot may have left "+chat.String(), err, advice)
	case leaveRefused(err):
		// LINE's final answer refused the leave, and no attempt before it may have been carried out.
		addClientError(diags, data, "The bot is still in "+chat.String()+": leaving failed", err)
	default:
		// No leave request reached LINE (the rate limiter's queue, a token that could not be
		// issued, a redirect): LINE neither did nor refused anything.
		advice := "No leave request was carried out, so the bot has not left and the membership stays in state; " +
			"running the destroy again tries again."
		if more := adviceFor(data, err); more != "" {
			advice += "\n\n" + more
		}
		addErrorWithAdvice(diags, "Unable to make the bot leave "+chat.String(), err, advice)
	}
}

// keptByLeaveOnDestroyDetail explains a destroy that, as leave_on_destroy = false asks, only
// forgot the membership.
const keptByLeaveOnDestroyDetail = "leave_on_destroy is false, so the membership was removed from Terraform state " +
	"without asking LINE to make the bot leave. The bot is still in the chat."

// Why a destroy kept the bot in a chat that the same apply adopts (stayReason).
const (
	stayForReplacement = "This destroy is the first half of a replacement whose new membership adopts the same " +
		"chat (a tainted membership, for example)."
	stayForAdoptedInApply = "This apply has just adopted the same chat as a new membership (create_before_destroy)."
)

// destroyedWithoutLeavingDetail explains a destroy that kept the bot in the chat, for why.
func destroyedWithoutLeavingDetail(why string) string {
	return why + " So the provider did not ask LINE to make the bot leave, which would strand that membership; " +
		"this one is removed from state."
}

// leaveRefused reports an error that says LINE did not carry a leave out: it answered with a
// client error (401, 403, 429…). Timeouts, cancellation and server errors leave it unknown.
func leaveRefused(err error) bool {
	var apiErr *lineclient.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode < http.StatusInternalServerError
}

// ---- Plans that would make the bot leave a chat the configuration declares ----

// The diagnostics: Terraform gives the provider no address, so they describe each membership
// by what the plan does with it, and Terraform adds the address of the one that reports (but
// not for a resource whose block is gone).

// standing says, in parentheses, what the plan does with a claim's membership; long adds
// how a membership created by the plan may have come about.
func standing(c *membershipClaim, long bool) string {
	switch c.kind {
	case claimCreate:
		if long {
			return "(created by this plan: a new resource, one renamed or given another for_each key without " +
				"a moved block, or a tainted one that is replaced)"
		}
		return "(created by this plan)"
	case claimKeep:
		return "(already in state)"
	case claimChange:
		return "(its chat changes from the " + c.held.String() + ")"
	case claimReplace:
		return "(replaced by this plan)"
	}
	return "(destroyed by this plan)"
}

// subject names a claim's membership: the one the diagnostic is attached to, or the other.
func subject(self bool) string {
	if self {
		return "This line_bot_membership"
	}
	return "Another line_bot_membership"
}

// leavingSentence says how the plan makes the bot leave chat for claim c.
func leavingSentence(chat lineclient.Chat, c *membershipClaim, self bool) string {
	switch c.kind {
	case claimDestroy:
		if self {
			return "This plan destroys this line_bot_membership of the " + chat.String() + ", whose " +
				"leave_on_destroy is true: it is no longer in the configuration (renamed, or its for_each key or " +
				"count index changed, without a moved block), or a removed block destroys it. When no address is " +
				"shown above, terraform state list shows the memberships in state: Terraform does not tell " +
				"providers which resource they plan."
		}
		return "The same plan destroys another line_bot_membership of the " + chat.String() + " whose " +
			"leave_on_destroy is true: one no longer in the configuration (renamed, or its for_each key or count " +
			"index changed, without a moved block) or destroyed by a removed block."
	case claimChange:
		to := "a chat known only after apply"
		if c.declared.ID != "" {
			to = "the " + c.declared.String()
		}
		if self {
			return "The chat of this line_bot_membership changes from the " + chat.String() + " to " + to +
				", which replaces it, and its leave_on_destroy is true."
		}
		return "The same plan changes the chat of another line_bot_membership from the " + chat.String() +
			" to " + to + ", which replaces it, and its leave_on_destroy is true."
	}
	return subject(self) + " " + standing(c, false) + " leaves the " + chat.String() + "."
}

// strandingConflictDetail explains a plan in which leaver makes the bot leave chat while
// keeper still declares it; reporter is the one of the two the diagnostic is attached to.
func strandingConflictDetail(chat lineclient.Chat, leaver, keeper, reporter *membershipClaim) string {
	return leavingSentence(chat, leaver, leaver == reporter) + " " +
		subject(keeper == reporter) + " " + standing(keeper, true) + " declares the " + chat.String() + ". " +
		"Applying would make the bot leave the chat for good, since only a member's new invitation brings a " +
		"bot back, while the configuration still declares it: the other membership could then not adopt the " +
		"chat or, adopted first (create_before_destroy), would record a chat the bot has left. The plan stops " +
		"here and nothing has changed.\n\n" + keepingAdvice
}

// keepingAdvice says how to get what a plan that would strand the bot was most likely meant
// to do.
const keepingAdvice = "To rename a membership or change its for_each key, add a moved block from the old " +
	"address to the new one: Terraform then moves it in state, and nothing is destroyed or created. For example:\n\n" +
	"  moved {\n    from = line_bot_membership.ops\n    to   = line_bot_membership.ops_alerts\n  }\n\n" +
	"To stop managing a membership without the bot leaving, set leave_on_destroy = false on it and apply that " +
	"first, or (Terraform 1.7 and later) replace its resource block with a removed block whose lifecycle has " +
	"destroy = false. Use for_each rather than count for memberships, so that removing one chat from a list " +
	"does not move the others to new indexes."

// selfReplacementDetail explains why a membership is not replaced by one of the same chat.
func selfReplacementDetail(chat lineclient.Chat) string {
	return "This plan replaces this line_bot_membership with a new one of the same " + chat.String() + ": " +
		"-replace names it, a reference in its replace_triggered_by changed, or it is destroyed and created " +
		"again for another reason. Its leave_on_destroy is true, so destroying the old one makes the bot leave " +
		"the chat for good, since only a member's new invitation brings a bot back. In the default order the new " +
		"one could then not adopt the chat; with create_before_destroy it would be adopted first and state would " +
		"record a chat the bot has left. The plan stops here and nothing has changed.\n\n" +
		"Replacing a membership has nothing to redo: creating one only checks with LINE that the bot is in the " +
		"chat, and every refresh checks that again. Leave this resource out of -replace, or drop the reference " +
		"from its replace_triggered_by. To have Terraform forget the membership and adopt it again, set " +
		"leave_on_destroy = false and apply that first."
}

// duplicateDetail explains why one chat may be declared by one line_bot_membership only.
func duplicateDetail(chat lineclient.Chat, reporter, other *membershipClaim) string {
	return "This line_bot_membership " + standing(reporter, false) + " and another one " + standing(other, false) +
		" both declare the " +
		chat.String() + ". Destroying either one (removing it, renaming it without a moved block, replacing it) " +
		"would make the bot leave the chat that the other still declares. The plan stops here and nothing has " +
		"changed.\n\n" +
		"Keep one line_bot_membership per chat and delete the other resource block. If that one is already in " +
		"state, have Terraform forget it without the bot leaving: replace its block with a removed block whose " +
		"lifecycle has destroy = false (Terraform 1.7 and later), or run terraform state rm on it. To keep the " +
		"other block's address instead, move the one in state there with a moved block."
}

// addUnknownChatConflict warns that the plan makes the bot leave the chat in state of
// leaver while undeclared keeps or adopts a chat known only after apply, which may be the same
// one; reporter is the one of the two the warning is attached to.
func addUnknownChatConflict(diags *diag.Diagnostics, leaver, undeclared, reporter *membershipClaim) {
	chat := leaver.held
	diags.AddWarning("The bot leaves the "+chat.String()+" while a membership's chat is known only after apply",
		leavingSentence(chat, leaver, leaver == reporter)+" "+
			subject(undeclared == reporter)+" "+standing(undeclared, true)+" declares a chat known only after "+
			"apply, so this plan cannot tell whether it is the "+chat.String()+". If it is, applying may make the "+
			"bot leave the chat for good, since only a member's new invitation brings a bot back: Terraform does "+
			"not order the destroy of one resource against the create of another, so the new membership either "+
			"adopts the chat before the bot leaves it, and state records a chat the bot has left, or fails to adopt "+
			"it afterwards. The plan goes on: the chats may differ.\n\n"+unknownChatConflictAdvice)
}

// unknownChatConflictAdvice says how to make a plan with a chat known only after apply safe.
const unknownChatConflictAdvice = "If the two are one membership under a new address (renamed, or given another " +
	"for_each key, without a moved block), add a moved block from the old address to the new one, with " +
	"lifecycle { create_before_destroy = true } in the resource block: while its chat is unknown at plan, " +
	"Terraform still replaces the moved membership, and create_before_destroy makes it adopt the chat first, " +
	"so that the bot stays. Or make the chat known at plan: write its ID in the configuration, or apply what it " +
	"comes from first (terraform apply -target=ADDRESS). To stop managing the destroyed membership without the " +
	"bot leaving, set leave_on_destroy = false on it and apply that first."

// unknownChatDetail warns that a replacement's new chat is known only at apply.
func unknownChatDetail(from lineclient.Chat) string {
	return "The chat of this line_bot_membership changes from the " + from.String() + " to one known only " +
		"after apply, so this plan can check neither that the bot is in the new chat nor that no other " +
		"line_bot_membership declares it. " + destroyFirstWarning(from, "the new chat")
}

// unknownConfigurationDetail warns that a replacement's new chat cannot be checked at plan,
// since the provider configuration is known only at apply.
func unknownConfigurationDetail(from, to lineclient.Chat) string {
	return "The provider configuration depends on values known only after apply, so LINE cannot be asked " +
		"during this plan whether the bot is in the " + to.String() + ". " + destroyFirstWarning(from, "the "+to.String())
}

// destroyFirstWarning says what replacing a membership does in Terraform's default order, and
// what create_before_destroy changes.
func destroyFirstWarning(from lineclient.Chat, to string) string {
	return "Terraform replaces this membership by destroying it first: the bot leaves the " + from.String() +
		" for good (only a member's new invitation brings a bot back), and if it is not in " + to + ", creating " +
		"the new membership then fails. With lifecycle { create_before_destroy = true } in this resource, " +
		to + " is adopted first, and the bot leaves the " + from.String() + " only once that has succeeded."
}

// ---- Pushes ----

// addPushError explains a failed push: what LINE's answer means for a push, and whether the
// message may have gone out. An attempt LINE may have carried out decides the summary,
// whatever LINE answered after it: the message may have been delivered.
func addPushError(diags *diag.Diagnostics, data *providerData, push lineclient.Push, err error) {
	chat, mentioned := push.Chat, mentionedUsers(push)
	summary := "Unable to push a message to the " + chat.String()
	refused := lineclient.IsNotInChat(err)
	switch {
	case lineclient.MayHaveTakenEffect(err):
		advice := mayHaveBeenDeliveredAdvice(push.RetryKey)
		if refused && len(mentioned) > 0 {
			advice += "\n\nLINE's last answer, 400 \"Failed to send messages\", is also what it answers when a " +
				"mentioned user, or the bot, is not in the chat. " + mentionCheck(chat, mentioned)
		}
		if more := adviceFor(data, err); more != "" {
			advice += "\n\n" + more
		}
		addErrorWithAdvice(diags, summary+": the message may have been delivered", err, advice)
	case refused && len(mentioned) > 0:
		// LINE gives the same answer when a mentioned user is not in the chat as when the bot
		// is not, and checks mentions only when sending, so the plan could not tell.
		addErrorWithAdvice(diags, summary+": a mentioned user, or the bot, is not in it", err, "LINE answers 400 "+
			"\"Failed to send messages\" when the message mentions a user who is not a member of the "+kindOf(chat).noun+
			", and when the bot is not in it; its validate endpoint cannot check either, so the plan passed. Nothing was "+
			"sent. "+mentionCheck(chat, mentioned))
	case refused:
		addErrorWithAdvice(diags, summary+": the bot is not in it", err, "LINE answers 400 \"Failed to send "+
			"messages\" when the chat does not exist or the bot is not a member of it. Nothing was sent. A member "+
			"must invite the bot to the "+chat.String()+" from the LINE app; then run again. The line_bot_membership "+
			"data source tells whether the bot is in a chat.")
	case lineclient.IsMonthlyLimit(err):
		addErrorWithAdvice(diags, summary+": the monthly message limit is reached", err, "Nothing was sent, and "+
			"the provider did not retry: pushes fail until the quota resets next month or is raised in LINE "+
			"Official Account Manager. A push to a chat counts once per member, so a push larger than what is "+
			"left of the quota fails too. The line_message_quota data source shows the limit and what is used.")
	case lineclient.IsForbidden(err):
		addErrorWithAdvice(diags, summary, err, "LINE does not let this account push messages. Check the "+
			"channel's plan in LINE Official Account Manager.")
	default:
		addClientError(diags, data, summary, err)
	}
}

// mayHaveBeenDeliveredAdvice says what a push whose outcome is unknown means for running the
// action again: with retry_key, LINE sends the message at most once within 24 hours; with a
// fresh key, a new invocation is a new push.
func mayHaveBeenDeliveredAdvice(retryKey string) string {
	advice := "The message may have been delivered: LINE may have accepted an attempt whose answer never came. "
	if retryKey == "" {
		return advice + "Every attempt carried the same X-Line-Retry-Key, so it was posted at most once, but invoking " +
			"the action again makes a new push: look in the chat before running it again."
	}
	return advice + "Every attempt carried retry_key " + retryKey + " as X-Line-Retry-Key, so it was posted at most " +
		"once. LINE remembers a key for 24 hours from the first request that used it: running the action again with " +
		"the same retry_key sends the message if LINE did not accept it, and nothing if it did."
}

// mentionCheck says how to find which of the mentioned users is not in the chat.
func mentionCheck(chat lineclient.Chat, users []string) string {
	return "The message mentions " + strings.Join(users, ", ") + ": check that each is a member of the " +
		chat.String() + " (the line_" + string(kindOf(chat).chatType) + "_member_profile data source reads one " +
		"member, and answers 404 for someone who is not), and that the bot is in it (the line_bot_membership data source)."
}

// messageIndex finds the message LINE names, "messages[N]", in its answer.
var messageIndex = regexp.MustCompile(`messages\[(\d+)\]`)

// addValidateError explains a failed check with LINE at plan. LINE's refusal of the message
// is an error naming the attribute, LINE's reason and property. A credential problem is an
// error too, since the push would fail the same way. Anything else (LINE unreachable, a
// server error, its rate limit past the deadline) is a warning: the message could not be
// checked, and LINE checks it again when it is sent.
func addValidateError(diags *diag.Diagnostics, data *providerData, m pushMessageModel, err error) {
	attr, what := path.Root("text"), "text"
	if !m.MessagesJSON.IsNull() {
		attr, what = path.Root("messages_json"), "messages_json"
	}
	var apiErr *lineclient.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == 400:
		detail := "LINE's validate endpoint refuses " + what + ", so LINE would refuse the push. Nothing was sent.\n\n" +
			"LINE answered: " + apiErr.Message
		var invalid *lineclient.InvalidMessageError
		if errors.As(err, &invalid) {
			for _, d := range invalid.Details {
				detail += "\n  - " + orDash(d.Message)
				if d.Property != "" {
					detail += " (property " + d.Property + ")"
				}
			}
		}
		detail += fmt.Sprintf("\n\nX-Line-Request-Id: %s.", orDash(apiErr.RequestID))
		if what == "messages_json" {
			if i := messageIndex.FindStringSubmatch(apiErr.Message + firstProperty(err)); i != nil {
				detail += " messages[" + i[1] + "] is the message at index " + i[1] + " of messages_json (counted from 0); a " +
					"property starting with / is a JSON pointer into that message's Flex container (its \"contents\")."
			}
		}
		diags.AddAttributeError(attr, "LINE refuses the message", detail)
	case errors.As(err, &apiErr) && (apiErr.StatusCode == 401 || apiErr.StatusCode == 403),
		errors.As(err, new(*lineclient.TokenError)), errors.As(err, new(*lineclient.MissingCredentialsError)),
		errors.As(err, new(*lineclient.NoIssuerError)):
		addClientError(diags, data, "Unable to check the message with LINE", err)
	case isLocalMessageError(err):
		diags.AddAttributeError(attr, "Invalid message", capitalize(err.Error())+". Nothing was sent.")
	default:
		advice := adviceFor(data, err)
		if advice != "" {
			advice = "\n\n" + advice
		}
		diags.AddAttributeWarning(attr, "The message could not be checked with LINE",
			err.Error()+". The plan goes on; LINE checks the message again when it is pushed."+advice)
	}
}

func isLocalMessageError(err error) bool {
	return errors.As(err, new(*lineclient.TemplateError)) || errors.As(err, new(*lineclient.MessagesError)) ||
		errors.As(err, new(*lineclient.TextError))
}

func firstProperty(err error) string {
	var invalid *lineclient.InvalidMessageError
	if errors.As(err, &invalid) && len(invalid.Details) > 0 {
		return " " + invalid.Details[0].Property
	}
	return ""
}
