package provider

import (
	"fmt"

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

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func addErrorWithAdvice(diags *diag.Diagnostics, summary string, err error, advice string) {
	detail := err.Error() + "."
	if advice != "" {
		detail += "\n\n" + advice
	}
	diags.AddError(summary, detail)
}

// notConfigured reports, and returns true, when a data source or resource has no usable
// client: the provider's own configuration depends on values not known until apply.
func notConfigured(diags *diag.Diagnostics, data *providerData) bool {
	if !data.configured() {
		diags.AddError("LINE provider configuration not known yet", notConfiguredAdvice)
		return true
	}
	return false
}
