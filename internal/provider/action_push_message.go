package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	actiontimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var (
	_ action.ActionWithConfigure        = (*pushMessageAction)(nil)
	_ action.ActionWithConfigValidators = (*pushMessageAction)(nil)
	_ action.ActionWithValidateConfig   = (*pushMessageAction)(nil)
	_ action.ActionWithModifyPlan       = (*pushMessageAction)(nil)
)

// pushMessageAction sends a message to a group or room when Terraform invokes it: on a
// resource's lifecycle event (action_trigger) or with terraform apply -invoke. Its plan checks
// the message, first by itself and then with LINE's validate endpoint
// (action_push_message_plan.go).
type pushMessageAction struct {
	data *providerData
}

func newPushMessageAction() action.Action { return &pushMessageAction{} }

func (a *pushMessageAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_message"
}

func (a *pushMessageAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Pushes a message to a group chat or multi-person chat that the bot is in, when Terraform " +
			"invokes the action: on a resource's lifecycle event (`action_trigger`) or with `terraform apply -invoke`. " +
			"The message is a text, a text that mentions members or everyone (`mentions`), or any LINE message " +
			"objects such as a Flex status card (`messages_json`). The plan checks the message, first by itself and " +
			"then with LINE's validate endpoint, which sends nothing. Needs Terraform 1.14 or later. Every push " +
			"counts against the channel's monthly message quota, once per member of the chat (see `line_message_quota`).",
		Attributes: map[string]schema.Attribute{
			"group_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: groupKind.eitherIDDescription(),
				Validators:          []validator.String{groupKind.idValidator()},
			},
			"room_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: roomKind.eitherIDDescription(),
				Validators:          []validator.String{roomKind.idValidator()},
			},
			"text": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The message: 1 to 5,000 characters as LINE counts them, in UTF-16 code units, so " +
					"that most emoji count 2 and a line break `\\r\\n` counts 2. Without `mentions` it is sent as a " +
					"plain text message, braces as written. With `mentions` it is a LINE text message v2: each `{key}` " +
					"shows the mention of that key, and `{{` and `}}` show a literal brace. Exactly one of `text` and " +
					"`messages_json` is required.",
				Validators: []validator.String{textLengthValidator{}},
			},
			"mentions": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "The mentions that `text` shows, by placeholder key: each key (1 to 20 letters, " +
					"digits and underscores) maps to `\"all\"`, which mentions everyone in the chat (shown as @All), " +
					"or to a user ID (`U` followed by 32 lowercase hexadecimal digits) of a member of the chat. Every " +
					"`{key}` in `text` needs a mention and every mention must be used; a message holds at most 20 " +
					"mentions, each use of a placeholder counting once. LINE refuses the push, and nothing is sent, " +
					"when a mentioned user (or the bot) is not in the chat. Null or empty: `text` is a plain text message.",
				Validators: []validator.Map{mentionsValidator{}},
			},
			"messages_json": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "LINE message objects sent as written, instead of `text`: a JSON array of 1 to 5 " +
					"objects, each with a `type` such as `\"flex\"`, `\"sticker\"`, `\"image\"` or `\"textV2\"`, as LINE's " +
					"Messaging API reference describes them. Build it with `jsonencode`. Exactly one of `text` and " +
					"`messages_json` is required.",
				Validators: []validator.String{messagesJSONValidator{}},
			},
			"notification_disabled": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether to deliver the message without a push notification on the members' " +
					"devices. Defaults to `false`.",
			},
			"retry_key": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A UUID sent as LINE's `X-Line-Retry-Key` on every attempt of this invocation. " +
					"LINE accepts one push per key for 24 hours after the first: an invocation with a key LINE " +
					"already accepted sends nothing and succeeds, saying that the message was already delivered. " +
					"Derive it from what identifies the event, such as a CI run ID with `uuidv5`, so that a re-run " +
					"does not post twice. Omitted: each invocation draws a fresh key, so its own retries post once " +
					"but every invocation posts.",
				Validators: []validator.String{retryKeyValidator{}},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": invokeTimeouts(ctx)},
	}
}

// invokeTimeouts is the action's timeouts block: invoke, longer than the least time with
// which a push is started (the library's own validator accepts "0s", "-1m" and "1s").
func invokeTimeouts(ctx context.Context) schema.Block {
	block, _ := actiontimeouts.BlockWithOpts(ctx, actiontimeouts.Opts{
		InvokeDescription: timeoutDescription("push") + " The plan's check of the message with LINE has the same " +
			"limit. It must be longer than 2s: a push is never started with less than that (or request_timeout, if " +
			"shorter) left.",
	}).(schema.SingleNestedBlock) // what BlockWithOpts returns
	invoke, ok := block.Attributes["invoke"].(schema.StringAttribute)
	if !ok {
		panic(fmt.Sprintf("timeouts attribute invoke is a %T, not a string", block.Attributes["invoke"]))
	}
	invoke.Validators = []validator.String{durationValidator{over: lineclient.MinWriteTime,
		why: writeDeadlineWhy("push", "no push would ever start")}}
	block.Attributes["invoke"] = invoke
	return block
}

func (a *pushMessageAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.ExactlyOneOf(path.MatchRoot("group_id"), path.MatchRoot("room_id")),
		actionvalidator.ExactlyOneOf(path.MatchRoot("text"), path.MatchRoot("messages_json")),
		actionvalidator.Conflicting(path.MatchRoot("mentions"), path.MatchRoot("messages_json")),
	}
}

type pushMessageModel struct {
	GroupID              types.String         `tfsdk:"group_id"`
	RoomID               types.String         `tfsdk:"room_id"`
	Text                 types.String         `tfsdk:"text"`
	Mentions             types.Map            `tfsdk:"mentions"`
	MessagesJSON         types.String         `tfsdk:"messages_json"`
	NotificationDisabled types.Bool           `tfsdk:"notification_disabled"`
	RetryKey             types.String         `tfsdk:"retry_key"`
	Timeouts             actiontimeouts.Value `tfsdk:"timeouts"`
}

// push is the model's message as the client sends it. known is false while any part of the
// message is unknown (at plan); the chat and retry key are left out then too.
func (m pushMessageModel) push(ctx context.Context) (p lineclient.Push, known bool, diags diag.Diagnostics) {
	if m.Text.IsUnknown() || m.MessagesJSON.IsUnknown() || m.Mentions.IsUnknown() {
		return p, false, nil
	}
	for _, v := range m.Mentions.Elements() {
		if v.IsUnknown() {
			return p, false, nil
		}
	}
	p.Text = m.Text.ValueString()
	if !m.Mentions.IsNull() {
		diags.Append(m.Mentions.ElementsAs(ctx, &p.Mentions, false)...)
	}
	if !m.MessagesJSON.IsNull() {
		msgs, err := lineclient.ParseMessages(m.MessagesJSON.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("messages_json"), "Invalid message objects", "Attribute messages_json "+err.Error()+".")
		}
		p.Messages = msgs
	}
	if !m.GroupID.IsUnknown() && !m.RoomID.IsUnknown() {
		p.Chat = chatOf(m.GroupID, m.RoomID)
	}
	p.NotificationDisabled = m.NotificationDisabled.ValueBool() // null is false
	p.RetryKey = m.RetryKey.ValueString()
	return p, true, diags
}

// deadline reads the invoke deadline from the timeouts block; its error goes to diags.
func (m *pushMessageModel) deadline(ctx context.Context, diags *diag.Diagnostics) *deadline {
	limit, d := m.Timeouts.Invoke(ctx, defaultTimeout)
	diags.Append(d...)
	return &deadline{name: "invoke", limit: limit}
}

func (a *pushMessageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Invoke makes one push. Its retries share one retry key, so a push whose answer was lost is
// delivered once. A second invocation is a new push with a new key, unless retry_key gives
// the same key: LINE then answers 409 and nothing is sent again.
func (a *pushMessageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m pushMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, a.data) {
		return
	}
	push, _, diags := m.push(ctx)
	resp.Diagnostics.Append(diags...)
	dl := m.deadline(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := dl.start(ctx)
	defer cancel()

	chat := push.Chat
	resp.SendProgress(action.InvokeProgressEvent{Message: "Pushing to " + chat.String() + "…"})
	res, err := a.data.client.Push(ctx, push)
	if err != nil {
		addPushError(&resp.Diagnostics, a.data, push, dl.explain(err))
		return
	}
	fields := map[string]any{
		"chat_id": chat.ID, "retry_key": res.RetryKey, "request_id": res.RequestID,
		"accepted_request_id": res.AcceptedRequestID, "message_ids": res.MessageIDs,
	}
	switch {
	case res.AlreadyAccepted && push.RetryKey != "":
		tflog.Info(ctx, "LINE had already accepted a push with this retry key: nothing was sent again", fields)
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Already delivered: LINE had accepted a push "+
			"with retry key %s (request ID %s), so nothing was sent again", res.RetryKey, res.AcceptedRequestID)})
	case res.AlreadyAccepted:
		tflog.Info(ctx, "LINE had already accepted this push: an earlier attempt was delivered and its answer lost", fields)
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(
			"Delivered once, request ID %s (a retry found that LINE had already accepted the push)", res.AcceptedRequestID)})
	default:
		tflog.Info(ctx, "Pushed a message", fields)
		resp.SendProgress(action.InvokeProgressEvent{Message: "Delivered, request ID " + res.RequestID})
	}
}

// mentionedUsers lists the users a push mentions: in mentions, or in message objects.
func mentionedUsers(p lineclient.Push) []string {
	var users []string
	for _, key := range slices.Sorted(maps.Keys(p.Mentions)) {
		if target := p.Mentions[key]; target != lineclient.MentionAll && !slices.Contains(users, target) {
			users = append(users, target)
		}
	}
	return append(users, lineclient.MentionedUsers(p.Messages)...)
}

// textLengthValidator checks a message's length as LINE counts it, at plan, so that a text LINE
// would refuse is never sent.
type textLengthValidator struct{}

func (textLengthValidator) Description(context.Context) string {
	return "must be 1 to 5,000 characters as LINE counts them (UTF-16 code units)"
}

func (v textLengthValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v textLengthValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := lineclient.TextLength(req.ConfigValue.ValueString())
	if n >= 1 && n <= lineclient.MaxTextLength {
		return
	}
	detail := fmt.Sprintf("Attribute %s %s, got an empty text.", req.Path, v.Description(ctx))
	if n > 0 {
		detail = fmt.Sprintf("Attribute %s %s, got %d: characters outside the Basic Multilingual Plane, such as "+
			"most emoji, count 2. Shorten the text, or split it over several pushes.", req.Path, v.Description(ctx), n)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid message text", detail)
}
