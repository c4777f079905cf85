package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// channelIDPattern: LINE channel IDs are decimal strings such as "1573163733".
var channelIDPattern = regexp.MustCompile(`^[0-9]+$`)

// stringMatches fails a value that does not match pattern with
// `Attribute <name> must be <format>, got: <value>`.
func stringMatches(pattern *regexp.Regexp, format string) validator.String {
	return stringvalidator.RegexMatches(pattern, "must be "+format)
}

// endpointValidator accepts what lineclient.CheckEndpoint accepts.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be an https URL, or an http URL of a loopback host"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := lineclient.CheckEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LINE API endpoint",
			fmt.Sprintf("Attribute %s: %s.", req.Path, err))
	}
}

// durationValidator accepts a positive Go duration string such as "30s" or "1m30s", longer
// than over when over is set, and no longer than atMost when that is set (why says what needs
// either).
type durationValidator struct {
	over, atMost time.Duration
	why          string
}

func (v durationValidator) Description(context.Context) string {
	switch {
	case v.over > 0:
		return fmt.Sprintf(`must be a duration longer than %s, such as "30s", "1m" or "1m30s"`, v.over)
	case v.atMost > 0:
		return fmt.Sprintf(`must be a positive duration of at most %s, such as "30s", "1m" or "1m30s"`, shortDuration(v.atMost))
	}
	return `must be a positive duration such as "30s", "1m" or "1m30s"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	// over is 0 or more, so d <= v.over also refuses zero and negative durations.
	if err != nil || d <= v.over || (v.atMost > 0 && d > v.atMost) {
		detail := fmt.Sprintf("Attribute %s %s, got: %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString())
		if err == nil && d > 0 && v.why != "" {
			detail += " " + v.why
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", detail)
	}
}

// unlessEmpty applies a validator to every value but "", which the provider block treats as
// unset (so that a variable with an empty default falls back to the environment).
type unlessEmpty struct{ validator.String }

func (v unlessEmpty) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.ValueString() == "" {
		return
	}
	v.String.ValidateString(ctx, req, resp)
}
