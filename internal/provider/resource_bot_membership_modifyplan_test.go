package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// ModifyPlan called directly, for what Terraform does not show tests: its warnings.

// planMembership runs ModifyPlan for a membership whose state is of chat from (none: a
// create) and whose planned model is plan, and returns its diagnostics.
func planMembership(t *testing.T, r *botMembershipResource, from lineclient.Chat, plan botMembershipModel) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	var sch fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sch)
	state := tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)}
	if from.ID != "" {
		model := newMembershipModel(from)
		if diags := state.Set(ctx, &model); diags.HasError() {
			t.Fatal(diags)
		}
	}
	planned := tfsdk.Plan{Schema: sch.Schema}
	if diags := planned.Set(ctx, &plan); diags.HasError() {
		t.Fatal(diags)
	}
	config := tfsdk.Config{Schema: sch.Schema, Raw: planned.Raw}
	resp := fwresource.ModifyPlanResponse{Plan: planned}
	r.ModifyPlan(ctx, fwresource.ModifyPlanRequest{State: state, Plan: planned, Config: config}, &resp)
	return resp.Diagnostics
}

// plannedWith is the plan of a membership with these chat IDs, known or not, and the rest
// unknown until apply.
func plannedWith(groupID, roomID types.String) botMembershipModel {
	m := newMembershipModel(lineclient.GroupChat(linemock.DemoGroupOps))
	m.GroupID, m.RoomID = groupID, roomID
	m.ID, m.ChatType, m.GroupName, m.PictureURL = types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	return m
}

// The warning for a new chat known only at apply names the attribute that is unknown, whichever
// of group_id and room_id that is.
func TestBotMembershipModifyPlan_unknownChatWarningNamesTheUnknownAttribute(t *testing.T) {
	from := lineclient.GroupChat(linemock.DemoGroupOps)
	for _, tc := range []struct {
		name            string
		groupID, roomID types.String
		want            path.Path
	}{
		{"group_id unknown", types.StringUnknown(), types.StringNull(), path.Root("group_id")},
		{"room_id unknown", types.StringNull(), types.StringUnknown(), path.Root("room_id")},
		{"room_id unknown beside a known group_id", types.StringValue(linemock.DemoGroupRelease), types.StringUnknown(), path.Root("room_id")},
		{"group_id unknown beside a known room_id", types.StringUnknown(), types.StringValue(linemock.DemoRoom), path.Root("group_id")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := planMembership(t, &botMembershipResource{}, from, plannedWith(tc.groupID, tc.roomID))
			d := onlyDiagnostic(t, diags, diag.SeverityWarning)
			if want := "The bot leaves the group chat " + linemock.DemoGroupOps + " before the new chat can be checked"; d.Summary() != want {
				t.Errorf("summary %q, want %q", d.Summary(), want)
			}
			withPath, ok := d.(diag.DiagnosticWithPath)
			if !ok || !withPath.Path().Equal(tc.want) {
				t.Errorf("the warning is on %v, want %s", d, tc.want)
			}
		})
	}
}
