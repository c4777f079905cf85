package provider

import (
	"context"
	"fmt"

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
)

// pushMessageAction sends one text message to a group or room when Terraform invokes it: on a
// resource's lifecycle event (action_trigger) or with terraform apply -invoke.
type pushMessageAction struct {
	data *providerData
}

func newPushMessageAction() action.Action { return &pushMessageAction{} }

func (a *pushMessageAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_message"
}

func (a *pushMessageAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Pushes a text message to a group chat or multi-person chat that the bot is in, when " +
			"Terraform invokes the action: on a resource's lifecycle event (`action_trigger`) or with " +
			"`terraform apply -invoke`. Needs Terraform 1.14 or later. Every push counts against the channel's " +
			"monthly message quota, once per member of the chat (see `line_message_quota`).",
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
				Required: true,
				MarkdownDescription: "The message: 1 to 5,000 characters as LINE counts them, in UTF-16 code units, so " +
					"that most emoji count 2 and a line break `\\r\\n` counts 2.",
				Validators: []validator.String{textLengthValidator{}},
			},
			"notification_disabled": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether to deliver the message without a push notification on the members' " +
					"devices. Defaults to `false`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": actiontimeouts.BlockWithOpts(ctx, actiontimeouts.Opts{
				InvokeDescription: timeoutDescription("push"),
			}),
		},
	}
}

func (a *pushMessageAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.ExactlyOneOf(path.MatchRoot("group_id"), path.MatchRoot("room_id")),
	}
}

type pushMessageModel struct {
	GroupID              types.String         `tfsdk:"group_id"`
	RoomID               types.String         `tfsdk:"room_id"`
	Text                 types.String         `tfsdk:"text"`
	NotificationDisabled types.Bool           `tfsdk:"notification_disabled"`
	Timeouts             actiontimeouts.Value `tfsdk:"timeouts"`
}

func (a *pushMessageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Invoke makes one push. Its retries share one retry key, so a push whose answer was lost
// is delivered once; a second invocation is a new push with a new key.
func (a *pushMessageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m pushMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, a.data) {
		return
	}
	limit, diags := m.Timeouts.Invoke(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	dl := deadline{name: "invoke", limit: limit}
	ctx, cancel := dl.start(ctx)
	defer cancel()

	chat := chatOf(m.GroupID, m.RoomID)
	resp.SendProgress(action.InvokeProgressEvent{Message: "Pushing to " + chat.String() + "…"})
	res, err := a.data.client.Push(ctx, lineclient.Push{
		Chat:                 chat,
		Text:                 m.Text.ValueString(),
		NotificationDisabled: m.NotificationDisabled.ValueBool(), // null is false
	})
	if err != nil {
		addPushError(&resp.Diagnostics, a.data, chat, dl.explain(err))
		return
	}
	fields := map[string]any{
		"chat_id": chat.ID, "retry_key": res.RetryKey, "request_id": res.RequestID,
		"accepted_request_id": res.AcceptedRequestID, "message_ids": res.MessageIDs,
	}
	if res.AlreadyAccepted {
		tflog.Info(ctx, "LINE had already accepted this push: an earlier attempt was delivered and its answer lost", fields)
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(
			"Delivered once, request ID %s (a retry found that LINE had already accepted the push)", res.AcceptedRequestID)})
		return
	}
	tflog.Info(ctx, "Pushed a message", fields)
	resp.SendProgress(action.InvokeProgressEvent{Message: "Delivered, request ID " + res.RequestID})
}

// addPushError explains a failed push: what LINE's answer means for a push, and whether the
// message may have gone out.
func addPushError(diags *diag.Diagnostics, data *providerData, chat lineclient.Chat, err error) {
	summary := "Unable to push a message to the " + chat.String()
	switch {
	case lineclient.MayHaveTakenEffect(err):
		// An attempt LINE may have accepted, whose answer never came: whatever the later
		// attempts were answered (a queue past the deadline, 429s), the message may be out.
		advice := "The message may have been delivered: LINE may have accepted an attempt whose answer never " +
			"came. Every attempt carried the same X-Line-Retry-Key, so it was posted at most once, but invoking " +
			"the action again makes a new push: look in the chat before running it again."
		if more := adviceFor(data, err); more != "" {
			advice += "\n\n" + more
		}
		addErrorWithAdvice(diags, summary+": the message may have been delivered", err, advice)
	case lineclient.IsNotInChat(err):
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
