package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

var (
	_ resource.ResourceWithConfigure        = (*botMembershipResource)(nil)
	_ resource.ResourceWithConfigValidators = (*botMembershipResource)(nil)
	_ resource.ResourceWithImportState      = (*botMembershipResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*botMembershipResource)(nil)
	_ resource.ResourceWithIdentity         = (*botMembershipResource)(nil)
)

// botMembershipResource records that the bot is in a chat. LINE has no call that joins a
// chat, so create adopts a chat the bot was invited to; refresh notices when a member
// removed it; destroy makes it leave.
type botMembershipResource struct {
	data *providerData
}

func newBotMembershipResource() resource.Resource { return &botMembershipResource{} }

func (r *botMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_membership"
}

func (r *botMembershipResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The bot's membership of a group chat or multi-person chat. LINE has no API call that " +
			"joins a chat: a member invites the bot from the LINE app, and this resource then **adopts** the " +
			"membership (creating it fails if the bot is not in the chat). Refreshing notices when the bot was " +
			"removed outside Terraform, and destroying makes the bot **leave**, which only a new invitation can undo.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The chat's ID, the same as `group_id` or `room_id`.",
				PlanModifiers:       keep,
			},
			"group_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: groupKind.idDescription() + " Exactly one of `group_id` " +
					"and `room_id` is required; changing it replaces the resource (the bot leaves the old chat).",
				Validators:    []validator.String{groupKind.idValidator()},
				PlanModifiers: replace,
			},
			"room_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: roomKind.idDescription() + " Exactly one of `group_id` " +
					"and `room_id` is required; changing it replaces the resource (the bot leaves the old chat).",
				Validators:    []validator.String{roomKind.idValidator()},
				PlanModifiers: replace,
			},
			"leave_on_destroy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Whether destroying the resource makes the bot leave the chat. Defaults to `true`. " +
					"With `false`, destroying only forgets the membership and the bot stays in the chat.",
			},
			"chat_type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`group` or `room`.",
				PlanModifiers:       keep,
			},
			"group_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The group's name; null for a multi-person chat, which has none.",
				PlanModifiers:       keep,
			},
			"picture_url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "URL of the group's icon; null when it has none, and for a multi-person chat.",
				PlanModifiers:       keep,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": membershipTimeouts(ctx),
		},
	}
}

// membershipTimeouts is the timeouts block: create, read (refresh, and the replacement check
// at plan) and delete. Update only records leave_on_destroy and asks LINE nothing.
func membershipTimeouts(ctx context.Context) schema.Block {
	block, _ := timeouts.Block(ctx, timeouts.Opts{
		Create:            true,
		Read:              true,
		Delete:            true,
		CreateDescription: timeoutDescription("create (adopting the chat)"),
		ReadDescription: timeoutDescription("refresh, and the check at plan that the bot is in the chat a " +
			"replacement would adopt,"),
		DeleteDescription: timeoutDescription("delete (leaving the chat, after checking, for a replacement, that "+
			"the bot is in the chat it adopts)") + " It must be longer than 2s: a " +
			"leave request is never started with less than that (or request_timeout, if shorter) left.",
	}).(schema.SingleNestedBlock) // what timeouts.Block returns
	block.MarkdownDescription = "Deadlines for each operation, retries and waits for LINE's rate limit included. " +
		"The delete deadline is read from state: apply a change to it before the destroy it is meant for."
	for name, a := range block.Attributes {
		// The library's own validator accepts "-1h" and "0s", deadlines that pass at once.
		attribute, ok := a.(schema.StringAttribute) // timeouts are strings
		if !ok {
			panic(fmt.Sprintf("timeouts attribute %q is a %T, not a string", name, a))
		}
		attribute.Validators = []validator.String{durationValidator{}}
		if name == "delete" {
			attribute.Validators = []validator.String{durationValidator{over: lineclient.MinWriteTime,
				why: writeDeadlineWhy("leave request", "the bot would never leave")}}
		}
		block.Attributes[name] = attribute
	}
	return block
}

// IdentitySchema names a membership by its chat alone (Terraform 1.12+): import blocks with
// identity, generated configuration and terraform show -json use it.
func (r *botMembershipResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"chat_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description: "The chat's ID: a group chat ID (" + lineclient.GroupIDFormat + ") or a multi-person " +
					"chat ID (" + lineclient.RoomIDFormat + "). The kind of chat follows from its first letter.",
			},
		},
	}
}

// botMembershipIdentity is the identity's model.
type botMembershipIdentity struct {
	ChatID types.String `tfsdk:"chat_id"`
}

// setIdentity records the chat as the identity, where Terraform keeps one (1.12+).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, chat lineclient.Chat, diags *diag.Diagnostics) {
	if identity != nil {
		diags.Append(identity.Set(ctx, botMembershipIdentity{ChatID: types.StringValue(chat.ID)})...)
	}
}

func (r *botMembershipResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("group_id"), path.MatchRoot("room_id")),
	}
}

type botMembershipModel struct {
	ID             types.String   `tfsdk:"id"`
	GroupID        types.String   `tfsdk:"group_id"`
	RoomID         types.String   `tfsdk:"room_id"`
	LeaveOnDestroy types.Bool     `tfsdk:"leave_on_destroy"`
	ChatType       types.String   `tfsdk:"chat_type"`
	GroupName      types.String   `tfsdk:"group_name"`
	PictureURL     types.String   `tfsdk:"picture_url"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// deadline reads one operation's deadline ("create", "read" or "delete") from the timeouts block.
func (m *botMembershipModel) deadline(ctx context.Context, name string, diags *diag.Diagnostics) *deadline {
	var (
		limit time.Duration
		d     diag.Diagnostics
	)
	switch name {
	case "create":
		limit, d = m.Timeouts.Create(ctx, defaultTimeout)
	case "delete":
		limit, d = m.Timeouts.Delete(ctx, defaultTimeout)
	default:
		limit, d = m.Timeouts.Read(ctx, defaultTimeout)
	}
	diags.Append(d...)
	return &deadline{name: name, limit: limit}
}

// newMembershipModel is a membership of chat with the defaults and nothing yet from LINE.
func newMembershipModel(chat lineclient.Chat) botMembershipModel {
	m := botMembershipModel{
		LeaveOnDestroy: types.BoolValue(true),
		GroupName:      types.StringNull(),
		PictureURL:     types.StringNull(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
			"create": types.StringType, "read": types.StringType, "delete": types.StringType,
		})},
	}
	m.setChat(chat)
	return m
}

func (m *botMembershipModel) chat() lineclient.Chat { return chatOf(m.GroupID, m.RoomID) }

// setChat records which chat the model is about.
func (m *botMembershipModel) setChat(chat lineclient.Chat) {
	m.ID = types.StringValue(chat.ID)
	m.ChatType = types.StringValue(string(chat.Type))
	m.GroupID, m.RoomID = types.StringNull(), types.StringNull()
	if chat.Type == lineclient.Group {
		m.GroupID = m.ID
	} else {
		m.RoomID = m.ID
	}
}

// setMembership records what LINE said of a chat the bot is in.
func (m *botMembershipModel) setMembership(membership lineclient.Membership) {
	m.setChat(membership.Chat)
	m.GroupName = optionalString(membership.GroupName)
	m.PictureURL = optionalString(membership.PictureURL)
}

func (r *botMembershipResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills in id and chat_type from the configured ID, so that the plan shows them;
// records what the plan does with the chat, refusing a plan that would make the bot leave a
// chat the same plan still declares (membership_plans.go); and refuses a replacement that
// would strand the bot, or warns when that cannot be checked.
func (r *botMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state *botMembershipModel
	if !req.State.Raw.IsNull() {
		state = &botMembershipModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if req.Plan.Raw.IsNull() {
		r.planDestroy(ctx, state, resp)
		return
	}
	var plan botMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || (plan.GroupID.IsNull() && plan.RoomID.IsNull()) {
		return
	}
	var chat lineclient.Chat // none while the configured ID is known only at apply
	if !plan.GroupID.IsUnknown() && !plan.RoomID.IsUnknown() {
		chat = plan.chat()
		plan.setChat(chat)
		if chat.Type == lineclient.Room {
			plan.GroupName, plan.PictureURL = types.StringNull(), types.StringNull()
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	}
	mark := r.recordPlan(ctx, req.Private, state, chat, &resp.Diagnostics)
	if resp.Private != nil {
		writeClaimMark(ctx, resp.Private, mark, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() || state == nil || !state.LeaveOnDestroy.ValueBool() || state.chat() == chat {
		return // refused already, or no replacement that makes the bot leave
	}
	from := state.chat()
	switch {
	case chat.ID == "":
		idAttr := "group_id" // the one that is unknown, even beside a known other one
		if !plan.GroupID.IsUnknown() {
			idAttr = "room_id"
		}
		resp.Diagnostics.AddAttributeWarning(path.Root(idAttr),
			"The bot leaves the "+from.String()+" before the new chat can be checked", unknownChatDetail(from))
	case !r.data.configured():
		resp.Diagnostics.AddAttributeWarning(path.Root(kindOf(chat).idAttr),
			"The bot leaves the "+from.String()+" before the "+chat.String()+" can be checked",
			unknownConfigurationDetail(from, chat))
	default:
		dl := plan.deadline(ctx, "read", &resp.Diagnostics)
		ctx, cancel := dl.start(ctx)
		defer cancel()
		r.checkReplacement(ctx, from, chat, dl, false, &resp.Diagnostics)
	}
}

// planDestroy records a membership that the plan destroys.
func (r *botMembershipResource) planDestroy(ctx context.Context, state *botMembershipModel, resp *resource.ModifyPlanResponse) {
	if resp.Private != nil {
		writeClaimMark(ctx, resp.Private, claimMark{}, &resp.Diagnostics) // this destroy adopts nothing
	}
	plans := r.plans()
	if state == nil || plans == nil || resp.Diagnostics.HasError() {
		return
	}
	plans.record(membershipClaim{kind: claimDestroy, held: state.chat(), leaveOnDestroy: state.LeaveOnDestroy.ValueBool()},
		&resp.Diagnostics)
}

// recordPlan records what the plan does with this membership in the walk's membershipPlans,
// and returns the mark for its planned private state. declared is the configured chat, or
// none while it is unknown.
func (r *botMembershipResource) recordPlan(ctx context.Context, private privateState, state *botMembershipModel, declared lineclient.Chat, diags *diag.Diagnostics) claimMark {
	plans := r.plans()
	if plans == nil || diags.HasError() {
		return claimMark{Adopts: declared.ID}
	}
	if prior := readClaimMark(ctx, private); state == nil && prior.Walk == plans.walk && prior.Claim != 0 {
		// The create half of a replacement whose first call this walk has just planned.
		plans.replacing(prior.Claim, diags)
		return claimMark{Walk: plans.walk, Claim: prior.Claim, Adopts: declared.ID}
	}
	claim := membershipClaim{kind: claimCreate, declared: declared}
	if state != nil {
		claim.held, claim.leaveOnDestroy = state.chat(), state.LeaveOnDestroy.ValueBool()
		claim.kind = claimKeep
		if declared != claim.held {
			claim.kind = claimChange
		}
	}
	return claimMark{Walk: plans.walk, Claim: plans.record(claim, diags), Adopts: declared.ID}
}

// plans is the walk's membershipPlans, or nil before the provider is configured.
func (r *botMembershipResource) plans() *membershipPlans {
	if r.data == nil {
		return nil
	}
	return r.data.plans
}

// checkReplacement refuses to replace the membership of one chat by that of a chat the bot
// is not in: at plan, and at apply before the bot leaves (atApply). Terraform destroys before
// it creates, so the apply would make the bot leave the old chat for good and then fail to
// adopt the new one. Create still checks, for chats known only at apply. ctx is bounded by dl.
func (r *botMembershipResource) checkReplacement(ctx context.Context, from, to lineclient.Chat, dl *deadline, atApply bool, diags *diag.Diagnostics) {
	membership, err := r.data.client.Membership(ctx, to)
	if err != nil {
		addClientError(diags, r.data, "Unable to tell whether the bot is in "+to.String()+
			", which would replace the membership of "+from.String(), dl.explain(err))
		return
	}
	if !membership.IsMember {
		diags.AddAttributeError(path.Root(kindOf(to).idAttr),
			"The bot is not in "+to.String()+": replacing the membership of "+from.String()+" would strand it",
			strandingDetail(from, to, atApply))
	}
}

func (r *botMembershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan botMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || notConfigured(&resp.Diagnostics, r.data) {
		return
	}
	chat := plan.chat()
	dl := plan.deadline(ctx, "create", &resp.Diagnostics)
	ctx, cancel := dl.start(ctx)
	defer cancel()
	membership, err := r.data.client.Membership(ctx, chat)
	if err != nil {
		addClientError(&resp.Diagnostics, r.data, "Unable to tell whether the bot is in "+chat.String(), dl.explain(err))
		return
	}
	if !membership.IsMember {
		resp.Diagnostics.AddAttributeError(path.Root(kindOf(chat).idAttr),
			"The bot is not in "+chat.String(), notMemberDetail(chat))
		return
	}
	plan.setMembership(membership)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, chat, &resp.Diagnostics)
	r.data.plans.adopt(chat)
	// A plan's mark is not state: a Delete handed the state's own private state must not read
	// it as "the first half of a replacement". The framework (v1.19) starts Create from an
	// empty private state, unlike Update; clearing it here, as Update does, keeps it so.
	if resp.Private != nil {
		writeClaimMark(ctx, resp.Private, claimMark{}, &resp.Diagnostics)
	}
}

func (r *botMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state botMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	chat := state.chat()
	// Whatever LINE answers, the identity is the chat: the framework wants one after every
	// Read, and Terraform before 1.12 kept none in state.
	setIdentity(ctx, resp.Identity, chat, &resp.Diagnostics)
	importing := takeImportMark(ctx, req.Private, resp.Private, &resp.Diagnostics)
	if importing && notConfigured(&resp.Diagnostics, r.data) {
		return // an import must be confirmed by LINE
	}
	if !r.data.configured() {
		resp.Diagnostics.AddWarning("Membership of "+chat.String()+" not refreshed", notRefreshedDetail)
		return
	}
	dl := state.deadline(ctx, "read", &resp.Diagnostics)
	ctx, cancel := dl.start(ctx)
	defer cancel()
	membership, err := r.data.client.Membership(ctx, chat)
	if err != nil {
		addClientError(&resp.Diagnostics, r.data, "Unable to tell whether the bot is still in "+chat.String(), dl.explain(err))
		return
	}
	if !membership.IsMember && importing {
		resp.Diagnostics.AddError("The bot is not in "+chat.String()+": nothing to import",
			notMemberDetail(chat))
		return
	}
	if !membership.IsMember {
		// The audit signal: the plan will propose to create the membership again.
		resp.Diagnostics.AddWarning("The bot is no longer in "+chat.String(), noLongerInDetail(chat))
		resp.State.RemoveResource(ctx)
		return
	}
	state.setMembership(membership)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes only leave_on_destroy: every other argument forces replacement.
func (r *botMembershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan botMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, plan.chat(), &resp.Diagnostics)
	if resp.Private != nil {
		writeClaimMark(ctx, resp.Private, claimMark{}, &resp.Diagnostics) // a plan's mark, not state
	}
}

func (r *botMembershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state botMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	chat := state.chat()
	if !state.LeaveOnDestroy.ValueBool() {
		resp.Diagnostics.AddWarning("The bot stays in "+chat.String(), keptByLeaveOnDestroyDetail)
		return
	}
	if why := r.stayReason(ctx, req.Private, chat); why != "" {
		resp.Diagnostics.AddWarning("Destroyed without leaving "+chat.String(), destroyedWithoutLeavingDetail(why))
		return
	}
	if notConfigured(&resp.Diagnostics, r.data) {
		return
	}
	dl := state.deadline(ctx, "delete", &resp.Diagnostics)
	ctx, cancel := dl.start(ctx)
	defer cancel()
	if next, ok := r.replacementChat(ctx, req.Private, chat); ok {
		// The plan checked this chat only when it saw the replacement (not a tainted one) and
		// at the time it was made (not a saved plan applied later): check it again before
		// leaving for good.
		r.checkReplacement(ctx, chat, next, dl, true, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	addLeaveOutcome(&resp.Diagnostics, r.data, chat, dl.explain(r.data.client.Leave(ctx, chat)))
}

// replacementChat is the other chat that the plan's replacement of this membership adopts
// after this destroy, as its mark says (Terraform hands the destroy half of a replacement the
// private state planned for its create half), unless this apply has adopted it already
// (create_before_destroy).
func (r *botMembershipResource) replacementChat(ctx context.Context, private privateState, leaving lineclient.Chat) (lineclient.Chat, bool) {
	if private == nil {
		return lineclient.Chat{}, false
	}
	adopts := readClaimMark(ctx, private).Adopts
	if adopts == "" || adopts == leaving.ID {
		return lineclient.Chat{}, false
	}
	next, err := lineclient.ParseChat(adopts)
	if err != nil || r.plans().adoptedInWalk(next) {
		return lineclient.Chat{}, false // a mark this provider did not write; or no need to ask
	}
	return next, true
}

// stayReason says why destroying this membership must not make the bot leave chat, or ""
// when nothing keeps it there: the plan that destroys it adopts the same chat again (a
// tainted membership, replaced in Terraform's default order), or this apply has already
// adopted it (create_before_destroy). The plan refuses the other ways of leaving a chat that
// the configuration declares; these two it cannot always see.
func (r *botMembershipResource) stayReason(ctx context.Context, private privateState, chat lineclient.Chat) string {
	if private != nil && readClaimMark(ctx, private).Adopts == chat.ID {
		return stayForReplacement
	}
	if plans := r.plans(); plans != nil && plans.adoptedInWalk(chat) {
		return stayForAdoptedInApply
	}
	return ""
}

// ImportState accepts the chat's ID, from terraform import or an import block's id, or an
// identity (Terraform 1.12+), checked alike before any request.
func (r *botMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, byIdentity := req.ID, false
	if id == "" && req.Identity != nil {
		var identity botMembershipIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id, byIdentity = identity.ChatID.ValueString(), true
	}
	chat, err := lineclient.ParseChat(id)
	if err != nil {
		if byIdentity {
			resp.Diagnostics.AddError("Invalid import identity", invalidImportDetail(id, true))
		} else {
			resp.Diagnostics.AddError("Invalid import ID", invalidImportDetail(id, false))
		}
		return
	}
	// Read, which Terraform calls next, asks LINE for the rest.
	state := newMembershipModel(chat)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setIdentity(ctx, resp.Identity, chat, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, []byte("true"))...)
}

// importingKey marks, in private state, a membership that ImportState has just made, so that
// the Read that follows fails on a chat the bot is not in rather than forgetting it.
const importingKey = "importing"

// takeImportMark reports, and clears, the mark ImportState leaves for the Read that follows it.
func takeImportMark(ctx context.Context, in privateState, out privateState, diags *diag.Diagnostics) bool {
	mark, d := in.GetKey(ctx, importingKey)
	diags.Append(d...)
	if len(mark) == 0 {
		return false
	}
	diags.Append(out.SetKey(ctx, importingKey, nil)...)
	return true
}

// privateState is the framework's private state, as Read receives and returns it.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}
