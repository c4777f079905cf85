package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestTextLengthValidator(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value types.String
		want  string // a phrase of the error, or "" for none
	}{
		{"one character", types.StringValue("x"), ""},
		{"5,000 ASCII", types.StringValue(strings.Repeat("a", 5000)), ""},
		{"2,500 emoji are 5,000 units", types.StringValue(strings.Repeat("🚀", 2500)), ""},
		{"unknown until apply", types.StringUnknown(), ""},
		{"empty", types.StringValue(""), "got an empty text"},
		{"5,001 ASCII", types.StringValue(strings.Repeat("a", 5001)), "got 5001"},
		{"2,501 emoji are 5,002 units", types.StringValue(strings.Repeat("🚀", 2501)), "got 5002"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := validator.StringRequest{Path: path.Root("text"), ConfigValue: tc.value}
			var resp validator.StringResponse
			textLengthValidator{}.ValidateString(context.Background(), req, &resp)
			if tc.want == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("diagnostics = %v, want one error", resp.Diagnostics)
			}
			detail := resp.Diagnostics.Errors()[0].Detail()
			if !strings.Contains(detail, "Attribute text must be 1 to 5,000 characters") || !strings.Contains(detail, tc.want) {
				t.Fatalf("detail = %q, want the attribute, the rule and %q", detail, tc.want)
			}
		})
	}
}

// TestPushMessageActionSchema checks what the framework checks of a schema at startup, and
// the names users type.
func TestPushMessageActionSchema(t *testing.T) {
	a := newPushMessageAction()
	var meta action.MetadataResponse
	a.Metadata(context.Background(), action.MetadataRequest{ProviderTypeName: "line"}, &meta)
	if meta.TypeName != "line_push_message" {
		t.Fatalf("type name = %q", meta.TypeName)
	}
	var resp action.SchemaResponse
	a.Schema(context.Background(), action.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatal(diags)
	}
	for _, name := range []string{"group_id", "room_id", "text", "mentions", "messages_json", "notification_disabled", "retry_key"} {
		attr, ok := resp.Schema.Attributes[name]
		if !ok || attr.GetMarkdownDescription() == "" {
			t.Errorf("attribute %s missing or undocumented", name)
		}
	}
	if _, ok := resp.Schema.Blocks["timeouts"]; !ok {
		t.Error("no timeouts block")
	}
}
