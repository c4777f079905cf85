package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// The push action's checks before anything is sent. Terraform validates an action's
// configuration only while input variables are still unknown (terraform validate, and the
// validate walk before a plan), then plans it (PlanAction) with the values known; the
// framework runs no validator at plan. So ModifyPlan runs every check of the schema (the
// timeouts block's included) and of ValidateConfig again on the planned values, and only when
// they pass asks LINE's validate endpoint, which costs a request and sends nothing.

// ValidateConfig checks what spans attributes: the text v2 template against its mentions.
func (a *pushMessageAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m pushMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkTemplate(m, &resp.Diagnostics)
}

// checkTemplate checks text as a text message v2 against the keys of mentions, when both are
// known (the mentions' values need not be: their own validator checks them).
func checkTemplate(m pushMessageModel, diags *diag.Diagnostics) {
	if m.Text.IsNull() || m.Text.IsUnknown() || m.Mentions.IsNull() || m.Mentions.IsUnknown() || len(m.Mentions.Elements()) == 0 {
		return
	}
	keys := slices.Collect(maps.Keys(m.Mentions.Elements()))
	for _, p := range lineclient.CheckTemplate(m.Text.ValueString(), keys) {
		if p.Mention {
			diags.AddAttributeError(path.Root("mentions").AtMapKey(p.Key), "Unused mention",
				fmt.Sprintf("Attribute mentions[%q] is not used: text has no {%s} placeholder. Every mention must "+
					"appear in text, so that a misspelt placeholder cannot go unnoticed. Nothing was sent.", p.Key, p.Key))
			continue
		}
		what := "Attribute text " + p.Reason
		if p.Placeholder {
			what = "Attribute text's " + p.Error()
		}
		diags.AddAttributeError(path.Root("text"), "Invalid text with mentions", what+". With mentions set, text is a "+
			"LINE text message v2: {key} shows the mention of that key, and {{ and }} show a literal brace. Nothing was sent.")
	}
}

// ModifyPlan checks the message at plan: every local check again on the planned values, then
// LINE's validate endpoint when the message is known and the provider is configured. LINE's
// refusal fails the plan with its reason and property; nothing is sent either way.
func (a *pushMessageAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	resp.Diagnostics.Append(a.localChecks(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var m pushMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	push, known, diags := m.push(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !known {
		tflog.Debug(ctx, "The message is not known until apply: LINE checks it when it is sent")
		return
	}
	if !a.data.configured() {
		tflog.Debug(ctx, "The provider configuration is not known yet: the message is checked with LINE when it is sent")
		return
	}
	dl := m.deadline(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := dl.start(ctx)
	defer cancel()
	if err := a.data.client.ValidatePush(ctx, push); err != nil {
		addValidateError(&resp.Diagnostics, a.data, m, dl.explain(err))
		return
	}
	tflog.Debug(ctx, "LINE's validate endpoint accepts the message")
}

// localChecks runs the schema's validators (the attributes' and those of the timeouts
// block's), the configuration validators and ValidateConfig on a configuration, as
// Terraform's validation does, for the values known only at plan.
func (a *pushMessageAction) localChecks(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	var sch action.SchemaResponse
	a.Schema(ctx, action.SchemaRequest{}, &sch)
	checkAttributes(ctx, config, path.Empty(), sch.Schema.Attributes, &diags)
	for _, name := range slices.Sorted(maps.Keys(sch.Schema.Blocks)) {
		if block, ok := sch.Schema.Blocks[name].(schema.SingleNestedBlock); ok {
			checkAttributes(ctx, config, path.Root(name), block.Attributes, &diags)
		}
	}
	for _, cv := range a.ConfigValidators(ctx) {
		var r action.ValidateConfigResponse
		cv.ValidateAction(ctx, action.ValidateConfigRequest{Config: config}, &r)
		diags.Append(r.Diagnostics...)
	}
	var r action.ValidateConfigResponse
	a.ValidateConfig(ctx, action.ValidateConfigRequest{Config: config}, &r)
	return append(diags, r.Diagnostics...)
}

// checkAttributes runs the validators of the string and map attributes under parent (the
// root, or a single nested block, whose null value holds null attributes).
func checkAttributes(ctx context.Context, config tfsdk.Config, parent path.Path, attrs map[string]schema.Attribute, diags *diag.Diagnostics) {
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		at := parent.AtName(name)
		switch attr := attrs[name].(type) {
		case schema.StringAttribute:
			var v types.String
			diags.Append(config.GetAttribute(ctx, at, &v)...)
			for _, val := range attr.Validators {
				var r validator.StringResponse
				val.ValidateString(ctx, validator.StringRequest{Path: at, PathExpression: at.Expression(), ConfigValue: v, Config: config}, &r)
				diags.Append(r.Diagnostics...)
			}
		case schema.MapAttribute:
			var v types.Map
			diags.Append(config.GetAttribute(ctx, at, &v)...)
			for _, val := range attr.Validators {
				var r validator.MapResponse
				val.ValidateMap(ctx, validator.MapRequest{Path: at, PathExpression: at.Expression(), ConfigValue: v, Config: config}, &r)
				diags.Append(r.Diagnostics...)
			}
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// mentionsValidator checks the mentions on their own: keys, targets and how many.
type mentionsValidator struct{}

func (mentionsValidator) Description(context.Context) string {
	return fmt.Sprintf("keys of 1 to 20 letters, digits and underscores, each mapped to %q or a user ID; at most %d",
		lineclient.MentionAll, lineclient.MaxMentions)
}

func (v mentionsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (mentionsValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	known := map[string]string{}
	for k, v := range req.ConfigValue.Elements() {
		s, ok := v.(types.String)
		switch {
		case !ok || s.IsUnknown():
			known[k] = lineclient.MentionAll // the key is still checked; the target is checked at plan
		case s.IsNull():
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid mention",
				fmt.Sprintf("Attribute %s is null: give %q or a user ID.", req.Path.AtMapKey(k), lineclient.MentionAll))
		default:
			known[k] = s.ValueString()
		}
	}
	for _, p := range lineclient.CheckMentions(known) {
		at := req.Path
		if p.Key != "" {
			at = req.Path.AtMapKey(p.Key)
		}
		resp.Diagnostics.AddAttributeError(at, "Invalid mention", "Attribute "+at.String()+": "+p.Error()+".")
	}
}

// messagesJSONValidator checks messages_json as the client reads it: a JSON array of 1 to 5
// message objects, each with a type.
type messagesJSONValidator struct{}

func (messagesJSONValidator) Description(context.Context) string {
	return "a JSON array of 1 to 5 LINE message objects, each with a \"type\""
}

func (v messagesJSONValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (messagesJSONValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := lineclient.ParseMessages(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid message objects", "Attribute "+req.Path.String()+" "+
			err.Error()+". It must be a JSON array of 1 to 5 LINE message objects, such as jsonencode([{ type = "+
			"\"sticker\", packageId = \"446\", stickerId = \"1988\" }]).")
	}
}

// retryKeyValidator checks that retry_key is a UUID, as LINE takes it.
type retryKeyValidator struct{}

func (retryKeyValidator) Description(context.Context) string {
	return "must be " + lineclient.RetryKeyFormat
}

func (v retryKeyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v retryKeyValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || lineclient.RetryKeyPattern.MatchString(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid retry key", fmt.Sprintf("Attribute %s %s, such as "+
		"uuidv5(\"url\", \"https://ci.example.com/runs/1234\") returns; got %q.", req.Path, v.Description(ctx),
		strings.TrimSpace(req.ConfigValue.ValueString())))
}
