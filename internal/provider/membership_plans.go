package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// membershipPlans is what one graph walk of Terraform plans for line_bot_membership, chat by
// chat, so that no plan makes the bot leave a chat that the same plan still declares.
//
// Terraform configures a provider once per graph walk (plan, apply, the destroy plan…) and
// then plans every resource instance of that provider configuration through it, so the
// ModifyPlan calls of one plan all reach the membershipPlans that Configure made for the walk;
// the next walk, even in the same process (terraform apply re-plans during its apply walk;
// terraform-plugin-testing serves the provider in-process to many commands), gets a new one.
// What each call shows (Terraform 1.5 to 1.16 and OpenTofu alike, as recorded in the
// resource's tests):
//
//   - a resource in state and in the configuration: its prior state and its plan (a "keep", or
//     a "change" when the chat changes, which replaces it);
//   - a resource to be destroyed (no longer in the configuration, a removed block that
//     destroys, terraform destroy): its prior state and a null plan;
//   - a resource to be created (a new one, or a tainted one to be replaced): a null prior
//     state;
//   - a replacement (-replace, replace_triggered_by, a changed chat): the first call as above,
//     then a second with a null prior state and the private state the first one planned, which
//     is how the second call finds its first (claimMark).
//
// Terraform never says which address a call is for, so the diagnostics name the chat and
// describe the other resource instead; Terraform adds the address of the one that reports.
type membershipPlans struct {
	// walk identifies this walk in private state, which outlives it (a saved plan holds it).
	walk string

	mu     sync.Mutex
	claims []*membershipClaim
	byChat map[string][]*membershipClaim
	// adopted holds the chats that Create adopted during this walk: in an apply walk, a
	// destroy that comes after (create_before_destroy) must not make the bot leave them.
	adopted map[string]bool
}

func newMembershipPlans() *membershipPlans {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return &membershipPlans{
		walk:    hex.EncodeToString(b[:]),
		byChat:  map[string][]*membershipClaim{},
		adopted: map[string]bool{},
	}
}

// claimKind is what a plan does with one resource instance's membership.
type claimKind int

const (
	// claimCreate: no prior state, and no earlier call of this walk for the same instance: a
	// new resource (perhaps one renamed without a moved block) or a tainted one to be replaced.
	claimCreate claimKind = iota
	// claimKeep: in state, planned with the same chat. A second call may turn it into a
	// claimReplace.
	claimKeep
	// claimChange: in state, planned with another chat, or one unknown until apply: replaced.
	claimChange
	// claimReplace: in state, replaced by a membership of the same chat (-replace,
	// replace_triggered_by).
	claimReplace
	// claimDestroy: in state, planned to be destroyed.
	claimDestroy
)

// membershipClaim is one resource instance's membership in a plan.
type membershipClaim struct {
	id   int
	kind claimKind
	// held is the chat in state (none for claimCreate); leaveOnDestroy is its state's setting,
	// which decides whether destroying it makes the bot leave.
	held           lineclient.Chat
	leaveOnDestroy bool
	// declared is the chat the configuration declares; none for claimDestroy, or when it is
	// known only after apply.
	declared lineclient.Chat
	// warned is set once a warning has named the chat this claim leaves beside a chat known
	// only after apply (warnUnknown), so that it is named once.
	warned bool
}

// leaves reports whether the plan makes the bot leave chat for this claim.
func (c *membershipClaim) leaves(chat lineclient.Chat) bool {
	return c.kind != claimCreate && c.kind != claimKeep && c.leaveOnDestroy && c.held == chat
}

// leavesHeld reports whether the plan makes the bot leave the chat in state for this claim.
func (c *membershipClaim) leavesHeld() bool { return c.held.ID != "" && c.leaves(c.held) }

// undeclared reports whether the plan keeps or adopts, for this claim, a chat known only
// after apply.
func (c *membershipClaim) undeclared() bool { return c.kind != claimDestroy && c.declared.ID == "" }

// declares reports whether the plan keeps or adopts chat for this claim.
func (c *membershipClaim) declares(chat lineclient.Chat) bool {
	return c.kind != claimDestroy && c.declared.ID != "" && c.declared == chat
}

// chats are the chats the claim is about.
func (c *membershipClaim) chats() []lineclient.Chat {
	var chats []lineclient.Chat
	if c.held.ID != "" {
		chats = append(chats, c.held)
	}
	if c.declared.ID != "" && c.declared != c.held {
		chats = append(chats, c.declared)
	}
	return chats
}

// record adds a claim planned by a first call (or the only one), reports its conflicts with
// the claims already planned in this walk, or warns of those it cannot rule out, and returns
// its ID for claimMark.
func (p *membershipPlans) record(claim membershipClaim, diags *diag.Diagnostics) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	claim.id = len(p.claims) + 1
	c := &claim
	p.claims = append(p.claims, c)
	for _, chat := range c.chats() {
		p.byChat[chat.ID] = append(p.byChat[chat.ID], c)
	}
	if !p.check(c, diags) {
		p.warnUnknown(c, diags)
	}
	return c.id
}

// replacing is the second call of a replacement planned by the claim with this ID: a claim
// that kept its chat is now replaced by a membership of the same chat.
func (p *membershipPlans) replacing(id int, diags *diag.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id < 1 || id > len(p.claims) {
		return
	}
	c := p.claims[id-1]
	if c.kind != claimKeep {
		return // a change of chat, checked by the first call already
	}
	c.kind = claimReplace
	p.check(c, diags)
}

// adopt records that Create adopted chat during this walk.
func (p *membershipPlans) adopt(chat lineclient.Chat) {
	if p == nil {
		return // a resource made outside Configure, as in unit tests
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.adopted[chat.ID] = true
}

// adoptedInWalk reports whether Create adopted chat during this walk.
func (p *membershipPlans) adoptedInWalk(chat lineclient.Chat) bool {
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.adopted[chat.ID]
}

// check reports the first conflict of claim c with itself or another claim of the walk, and
// whether there was one. The caller holds p.mu.
func (p *membershipPlans) check(c *membershipClaim, diags *diag.Diagnostics) bool {
	for _, chat := range c.chats() {
		// A chat that Create adopted in this walk is an apply's create_before_destroy: the
		// destroy that follows keeps the bot there (Delete).
		adoptedHere := p.adopted[chat.ID]
		if c.leaves(chat) && c.declares(chat) && !adoptedHere {
			diags.AddError("Replacing this membership would make the bot leave the "+chat.String(),
				selfReplacementDetail(chat))
			return true
		}
		for _, other := range p.byChat[chat.ID] {
			if other == c {
				continue
			}
			switch {
			case c.leaves(chat) && other.declares(chat) && !adoptedHere:
				diags.AddError("The bot would leave the "+chat.String()+", which the configuration still declares",
					strandingConflictDetail(chat, c, other, c))
			case c.declares(chat) && other.leaves(chat) && !adoptedHere:
				diags.AddError("The bot would leave the "+chat.String()+", which the configuration still declares",
					strandingConflictDetail(chat, other, c, c))
			case c.declares(chat) && other.declares(chat):
				diags.AddError("Two line_bot_membership resources declare the "+chat.String(),
					duplicateDetail(chat, c, other))
			default:
				continue
			}
			return true
		}
	}
	return false
}

// warnUnknown warns when the plan makes the bot leave a chat while another claim keeps or
// adopts a chat known only after apply, which may be the same one: the plan cannot check it,
// and at apply Terraform does not order the destroy of one resource against the create of
// another, so whether the bot stays is a race. The call that completes such a pair warns,
// once for each chat left, whichever came first. (A change of chat to one known only after
// apply is its own pair: ModifyPlan warns of it.) The caller holds p.mu.
func (p *membershipPlans) warnUnknown(c *membershipClaim, diags *diag.Diagnostics) {
	if c.leavesHeld() {
		for _, other := range p.claims {
			if other != c && other.undeclared() {
				c.warned = true
				addUnknownChatConflict(diags, c, other, c)
				break
			}
		}
	}
	if !c.undeclared() {
		return
	}
	for _, other := range p.claims {
		if other != c && other.leavesHeld() && !other.warned {
			other.warned = true
			addUnknownChatConflict(diags, other, c, c)
		}
	}
}

// planMarkKey is the private state key of claimMark.
const planMarkKey = "plan"

// claimMark is what ModifyPlan leaves in the planned private state of a membership: the claim
// it recorded, for the second call of a replacement, and the chat the planned membership
// adopts, for the Delete of a replacement (Terraform hands the destroy half of a replacement
// the private state planned for its create half, also from a saved plan).
type claimMark struct {
	Walk   string `json:"walk,omitempty"`
	Claim  int    `json:"claim,omitempty"`
	Adopts string `json:"adopts,omitempty"`
}

// readClaimMark reads the mark from private state; an absent or unreadable mark is empty.
func readClaimMark(ctx context.Context, private privateState) claimMark {
	var mark claimMark
	if private == nil {
		return mark
	}
	raw, _ := private.GetKey(ctx, planMarkKey)
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &mark) // written by this provider; a mark it cannot read is no mark
	}
	return mark
}

// writeClaimMark sets the mark in private state, or removes it when it is empty.
func writeClaimMark(ctx context.Context, private privateState, mark claimMark, diags *diag.Diagnostics) {
	if private == nil {
		return
	}
	var raw []byte
	if mark != (claimMark{}) {
		raw, _ = json.Marshal(mark) // a struct of strings and an int
	}
	diags.Append(private.SetKey(ctx, planMarkKey, raw)...)
}
