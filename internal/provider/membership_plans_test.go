package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

var (
	chatA = lineclient.GroupChat(linemock.DemoGroupOps)
	chatB = lineclient.GroupChat(linemock.DemoGroupRelease)
	roomR = lineclient.RoomChat(linemock.DemoRoom)
)

// What ModifyPlan records for each kind of planned change.
func keeps(chat lineclient.Chat, leave bool) membershipClaim {
	return membershipClaim{kind: claimKeep, held: chat, leaveOnDestroy: leave, declared: chat}
}

func creates(chat lineclient.Chat) membershipClaim {
	return membershipClaim{kind: claimCreate, declared: chat}
}

func changes(from, to lineclient.Chat, leave bool) membershipClaim {
	return membershipClaim{kind: claimChange, held: from, leaveOnDestroy: leave, declared: to}
}

func destroys(chat lineclient.Chat, leave bool) membershipClaim {
	return membershipClaim{kind: claimDestroy, held: chat, leaveOnDestroy: leave}
}

// permutations lists every order of claims: Terraform plans resource instances in parallel,
// so the calls of one plan come in any order.
func permutations(claims []membershipClaim) [][]membershipClaim {
	if len(claims) <= 1 {
		return [][]membershipClaim{claims}
	}
	var out [][]membershipClaim
	for i := range claims {
		rest := append(append([]membershipClaim{}, claims[:i]...), claims[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]membershipClaim{claims[i]}, p...))
		}
	}
	return out
}

// errorSummaries are the summaries of the errors among diags.
func errorSummaries(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Errors() {
		out = append(out, d.Summary())
	}
	return out
}

// One walk's claims, recorded in every order: the plan is refused, with the same error,
// whichever call comes first, and a plan that strands nothing is never refused.
func TestMembershipPlans_conflicts(t *testing.T) {
	const (
		strands   = "The bot would leave the group chat " + linemock.DemoGroupOps + ", which the configuration still declares"
		duplicate = "Two line_bot_membership resources declare the group chat " + linemock.DemoGroupOps
		// A swap strands both chats: the call that comes second names the one it leaves.
		strandsEither = strands + "|The bot would leave the group chat " + linemock.DemoGroupRelease +
			", which the configuration still declares"
	)
	for _, tc := range []struct {
		name   string
		claims []membershipClaim
		want   string // the error's summary (or summaries, separated by "|"), or "" for none
	}{
		{"a rename without moved", []membershipClaim{destroys(chatA, true), creates(chatA)}, strands},
		{"a rename without moved, leave_on_destroy false", []membershipClaim{destroys(chatA, false), creates(chatA)}, ""},
		{"a destroy while another keeps the chat", []membershipClaim{destroys(chatA, true), keeps(chatA, true)}, strands},
		{"a change of chat while another keeps the old one", []membershipClaim{changes(chatA, chatB, true), keeps(chatA, true)}, strands},
		{"two memberships swap chats", []membershipClaim{changes(chatA, chatB, true), changes(chatB, chatA, true)}, strandsEither},
		{"a count index shift", []membershipClaim{changes(chatB, chatA, true), destroys(chatA, true)}, strands},
		{"a count index shift, leave_on_destroy false", []membershipClaim{changes(chatB, chatA, false), destroys(chatA, false)}, ""},
		{"two new memberships of one chat", []membershipClaim{creates(chatA), creates(chatA)}, duplicate},
		{"a new membership of a chat in state", []membershipClaim{keeps(chatA, true), creates(chatA)}, duplicate},
		{"two memberships of one chat in state", []membershipClaim{keeps(chatA, false), keeps(chatA, false)}, duplicate},
		{"a change of chat into one another keeps", []membershipClaim{changes(chatB, chatA, false), keeps(chatA, false)}, duplicate},
		{"terraform destroy of two memberships of one chat", []membershipClaim{destroys(chatA, true), destroys(chatA, true)}, ""},
		{"a change of chat", []membershipClaim{changes(chatA, chatB, true), keeps(roomR, true)}, ""},
		{"a change to a chat known only at apply", []membershipClaim{changes(chatA, lineclient.Chat{}, true), creates(lineclient.Chat{})}, ""},
		{"memberships of other chats", []membershipClaim{keeps(chatA, true), creates(chatB), destroys(roomR, true)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range permutations(tc.claims) {
				plans := newMembershipPlans()
				var diags diag.Diagnostics
				for _, c := range order {
					plans.record(c, &diags)
				}
				got := errorSummaries(diags)
				switch {
				case tc.want == "" && len(got) != 0:
					t.Errorf("order %v: errors %q, want none", kinds(order), got)
				case tc.want != "" && (len(got) != 1 || !slices.Contains(strings.Split(tc.want, "|"), got[0])):
					t.Errorf("order %v: errors %q, want one %q", kinds(order), got, tc.want)
				}
			}
		})
	}
}

func kinds(claims []membershipClaim) []claimKind {
	var out []claimKind
	for _, c := range claims {
		out = append(out, c.kind)
	}
	return out
}

// -replace and replace_triggered_by: the first call keeps the chat, the second (the create
// half) finds it through its mark. With leave_on_destroy the bot would leave; without, the
// replacement only forgets and adopts again.
func TestMembershipPlans_replacementOfTheSameChat(t *testing.T) {
	for _, leave := range []bool{true, false} {
		plans := newMembershipPlans()
		var diags diag.Diagnostics
		id := plans.record(keeps(chatA, leave), &diags)
		if diags.HasError() {
			t.Fatalf("leave_on_destroy %v: the first call was refused: %v", leave, diags)
		}
		plans.replacing(id, &diags)
		got := errorSummaries(diags)
		if !leave {
			if len(got) != 0 {
				t.Errorf("leave_on_destroy false: errors %q, want none", got)
			}
			continue
		}
		if want := "Replacing this membership would make the bot leave the group chat " + linemock.DemoGroupOps; len(got) != 1 || got[0] != want {
			t.Fatalf("errors %q, want one %q", got, want)
		}
		detail := diags.Errors()[0].Detail()
		for _, phrase := range []string{"-replace", "replace_triggered_by", "nothing to redo", "leave_on_destroy = false"} {
			if !strings.Contains(detail, phrase) {
				t.Errorf("detail lacks %q:\n%s", phrase, detail)
			}
		}
	}
	// A second call for a change of chat adds nothing: the first call checked it.
	plans := newMembershipPlans()
	var diags diag.Diagnostics
	plans.replacing(plans.record(changes(chatA, chatB, true), &diags), &diags)
	plans.replacing(99, &diags) // a mark from no claim of this walk
	if diags.HasError() {
		t.Errorf("a change of chat: %v", diags)
	}
}

// In an apply, a membership adopted by Create before another of the same chat is destroyed
// (create_before_destroy) is no conflict: Delete keeps the bot there.
func TestMembershipPlans_adoptedDuringApply(t *testing.T) {
	plans := newMembershipPlans()
	var diags diag.Diagnostics
	plans.record(creates(chatA), &diags)
	plans.adopt(chatA)
	plans.record(destroys(chatA, true), &diags)
	if diags.HasError() {
		t.Fatalf("refused: %v", diags)
	}
	if !plans.adoptedInWalk(chatA) || plans.adoptedInWalk(chatB) {
		t.Error("adoptedInWalk does not tell what Create adopted")
	}
	var unconfigured *membershipPlans
	unconfigured.adopt(chatA) // a resource made outside Configure: no panic
	if unconfigured.adoptedInWalk(chatA) {
		t.Error("no walk adopted anything")
	}
}

// The refusals describe both memberships and say how to get what was meant.
func TestMembershipPlans_wording(t *testing.T) {
	check := func(t *testing.T, diags diag.Diagnostics, phrases ...string) {
		t.Helper()
		if diags.ErrorsCount() != 1 {
			t.Fatalf("diagnostics %v, want one error", diags)
		}
		detail := strings.Join(strings.Fields(diags.Errors()[0].Detail()), " ")
		for _, phrase := range phrases {
			if !strings.Contains(detail, phrase) {
				t.Errorf("detail lacks %q:\n%s", phrase, detail)
			}
		}
	}
	t.Run("the new membership reports", func(t *testing.T) {
		plans := newMembershipPlans()
		var diags diag.Diagnostics
		plans.record(destroys(chatA, true), &diags)
		plans.record(creates(chatA), &diags)
		check(t, diags,
			"The same plan destroys another line_bot_membership of the group chat "+linemock.DemoGroupOps+" whose leave_on_destroy is true",
			"This line_bot_membership (created by this plan: a new resource, one renamed",
			"The plan stops here and nothing has changed.",
			"moved { from = line_bot_membership.ops to = line_bot_membership.ops_alerts }",
			"set leave_on_destroy = false on it and apply that first",
			"removed block whose lifecycle has destroy = false")
	})
	t.Run("the destroyed membership reports", func(t *testing.T) {
		plans := newMembershipPlans()
		var diags diag.Diagnostics
		plans.record(creates(chatA), &diags)
		plans.record(destroys(chatA, true), &diags)
		check(t, diags,
			"This plan destroys this line_bot_membership of the group chat "+linemock.DemoGroupOps,
			"terraform state list shows the memberships in state",
			"Another line_bot_membership (created by this plan",
			"moved {")
	})
	t.Run("a swap", func(t *testing.T) {
		plans := newMembershipPlans()
		var diags diag.Diagnostics
		plans.record(changes(chatA, chatB, true), &diags)
		plans.record(changes(chatB, chatA, true), &diags)
		check(t, diags,
			"The chat of this line_bot_membership changes from the group chat "+linemock.DemoGroupRelease+
				" to the group chat "+linemock.DemoGroupOps+", which replaces it, and its leave_on_destroy is true.",
			"Another line_bot_membership (its chat changes from the group chat "+linemock.DemoGroupOps+") declares "+
				"the group chat "+linemock.DemoGroupRelease)
	})
	t.Run("a duplicate", func(t *testing.T) {
		plans := newMembershipPlans()
		var diags diag.Diagnostics
		plans.record(keeps(chatA, true), &diags)
		plans.record(creates(chatA), &diags)
		check(t, diags,
			"This line_bot_membership (created by this plan) and another one (already in state) both declare the group chat "+linemock.DemoGroupOps,
			"Keep one line_bot_membership per chat",
			"terraform state rm")
	})
}

// warningSummaries are the summaries of the warnings among diags.
func warningSummaries(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Warnings() {
		out = append(out, d.Summary())
	}
	slices.Sort(out)
	return out
}

// A chat known only after apply cannot be compared: when the same plan makes the bot leave a
// chat, the plan warns, once for each chat left, whichever call comes first, and refuses
// nothing.
func TestMembershipPlans_unknownChats(t *testing.T) {
	unknown := lineclient.Chat{}
	leaves := func(chat lineclient.Chat) string {
		return "The bot leaves the " + chat.String() + " while a membership's chat is known only after apply"
	}
	for _, tc := range []struct {
		name   string
		claims []membershipClaim
		want   []string // the warnings' summaries, sorted
	}{
		{"a rename to a chat known only after apply", []membershipClaim{destroys(chatA, true), creates(unknown)}, []string{leaves(chatA)}},
		{"the same, leave_on_destroy false", []membershipClaim{destroys(chatA, false), creates(unknown)}, nil},
		{"a change of chat beside a new membership of a chat known only after apply",
			[]membershipClaim{changes(chatA, chatB, true), creates(unknown)}, []string{leaves(chatA)}},
		{"two destroys and a chat known only after apply", []membershipClaim{destroys(chatA, true), destroys(roomR, true), creates(unknown)},
			[]string{leaves(chatA), leaves(roomR)}},
		{"a destroy and two chats known only after apply", []membershipClaim{destroys(chatA, true), creates(unknown), creates(unknown)},
			[]string{leaves(chatA)}},
		{"a change of chat to one known only after apply beside another",
			[]membershipClaim{changes(chatA, unknown, true), creates(unknown)}, []string{leaves(chatA)}},
		// ModifyPlan warns of this one itself (unknownChatDetail).
		{"a change of chat to one known only after apply, alone", []membershipClaim{changes(chatA, unknown, true), keeps(chatB, true)}, nil},
		{"nothing left", []membershipClaim{keeps(chatA, true), creates(unknown)}, nil},
		{"no chat known only after apply", []membershipClaim{destroys(chatA, true), creates(chatB)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range permutations(tc.claims) {
				plans := newMembershipPlans()
				var diags diag.Diagnostics
				for _, c := range order {
					plans.record(c, &diags)
				}
				if diags.HasError() {
					t.Errorf("order %v: refused: %v", kinds(order), diags)
				}
				if got := warningSummaries(diags); !slices.Equal(got, tc.want) {
					t.Errorf("order %v: warnings %q, want %q", kinds(order), got, tc.want)
				}
			}
		})
	}
}

// The warning describes both memberships and points to what makes the plan safe.
func TestMembershipPlans_unknownChatWording(t *testing.T) {
	for name, order := range map[string][]membershipClaim{
		"the destroy reports":        {creates(lineclient.Chat{}), destroys(chatA, true)},
		"the new membership reports": {destroys(chatA, true), creates(lineclient.Chat{})},
	} {
		t.Run(name, func(t *testing.T) {
			plans := newMembershipPlans()
			var diags diag.Diagnostics
			for _, c := range order {
				plans.record(c, &diags)
			}
			d := onlyDiagnostic(t, diags, diag.SeverityWarning)
			detail := strings.Join(strings.Fields(d.Detail()), " ")
			self := "This plan destroys this line_bot_membership of the group chat " + linemock.DemoGroupOps
			other := "Another line_bot_membership (created by this plan: a new resource, one renamed"
			if order[0].kind == claimDestroy {
				self = "This line_bot_membership (created by this plan: a new resource, one renamed"
				other = "The same plan destroys another line_bot_membership of the group chat " + linemock.DemoGroupOps
			}
			for _, phrase := range []string{self, other,
				"declares a chat known only after apply, so this plan cannot tell whether it is the group chat " + linemock.DemoGroupOps,
				"Terraform does not order the destroy of one resource against the create of another",
				"add a moved block", "lifecycle { create_before_destroy = true }", "terraform apply -target",
				"set leave_on_destroy = false on it and apply that first"} {
				if !strings.Contains(detail, phrase) {
					t.Errorf("detail lacks %q:\n%s", phrase, detail)
				}
			}
		})
	}
}
