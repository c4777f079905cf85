package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// What every data source must do, checked for each one the provider registers, so that a new
// data source cannot miss it.

// A read deadline, documented with its default.
func TestDataSources_readTimeouts(t *testing.T) {
	ctx := context.Background()
	for _, newDataSource := range New("test")().DataSources(ctx) {
		ds := newDataSource()
		name := dataSourceName(ctx, ds)
		var sch datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sch)
		block, ok := sch.Schema.Blocks["timeouts"]
		if !ok {
			t.Errorf("%s has no timeouts block", name)
			continue
		}
		read, ok := block.GetNestedObject().GetAttributes()["read"]
		if !ok || !strings.Contains(read.GetDescription(), `Defaults to `+"`"+`"5m"`+"`") {
			t.Errorf("%s: the timeouts block's read is missing or does not give its default", name)
		}
	}
}

// A read deadline is a positive duration: the framework's own validator takes "0s" and "-1m",
// deadlines that pass at once.
func TestDataSources_readTimeoutValidation(t *testing.T) {
	ctx := context.Background()
	for _, newDataSource := range New("test")().DataSources(ctx) {
		ds := newDataSource()
		name := dataSourceName(ctx, ds)
		var sch datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sch)
		read, ok := sch.Schema.Blocks["timeouts"].GetNestedObject().GetAttributes()["read"].(dsschema.StringAttribute)
		if !ok {
			t.Errorf("%s: timeouts.read is not a string attribute", name)
			continue
		}
		for value, valid := range map[string]bool{"1s": true, "10m": true, "0s": false, "-1m": false, "soon": false} {
			var resp validator.StringResponse
			for _, v := range read.Validators {
				v.ValidateString(ctx, validator.StringRequest{Path: path.Root("timeouts").AtName("read"), ConfigValue: types.StringValue(value)}, &resp)
			}
			if resp.Diagnostics.HasError() == valid {
				t.Errorf("%s: timeouts.read = %q gives %v, want valid = %v", name, value, resp.Diagnostics, valid)
			}
		}
	}
}

// No call, no panic and one clear error while the provider's configuration is unknown (or
// before Configure): the notConfigured check.
func TestDataSources_providerNotConfigured(t *testing.T) {
	ctx := context.Background()
	for _, data := range []*providerData{nil, {unknown: true}} {
		for _, newDataSource := range New("test")().DataSources(ctx) {
			ds := newDataSource()
			name := dataSourceName(ctx, ds)
			if data != nil {
				var resp datasource.ConfigureResponse
				ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &resp)
				if resp.Diagnostics.HasError() {
					t.Fatalf("%s: Configure: %v", name, resp.Diagnostics)
				}
			}
			var sch datasource.SchemaResponse
			ds.Schema(ctx, datasource.SchemaRequest{}, &sch)
			typ := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
			// A configuration with every argument null is enough to reach the check.
			values := map[string]tftypes.Value{}
			for attr, attrType := range typ.AttributeTypes {
				values[attr] = tftypes.NewValue(attrType, nil)
			}
			req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sch.Schema, Raw: tftypes.NewValue(typ, values)}}
			resp := datasource.ReadResponse{State: tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(typ, nil)}}
			ds.Read(ctx, req, &resp)
			errs := resp.Diagnostics.Errors()
			if len(errs) != 1 || errs[0].Summary() != "LINE provider configuration not known yet" {
				t.Errorf("%s with provider data %v: diagnostics %v, want the one not-configured error", name, data, resp.Diagnostics)
			}
		}
	}
}

// A timeouts block that cannot be read is an error, and no data source asks LINE anything then.
func TestDataSources_invalidTimeouts(t *testing.T) {
	ctx := context.Background()
	mock := newMockLINE(t, nil)
	client, err := lineclient.New(lineclient.Config{Endpoint: mock.URL, AccessToken: linemock.DemoToken})
	if err != nil {
		t.Fatal(err)
	}
	data := &providerData{client: client}
	// Arguments that would make every data source ask LINE, were it to go on.
	args := map[string]tftypes.Value{
		"group_id": tftypes.NewValue(tftypes.String, linemock.DemoGroupOps),
		"room_id":  tftypes.NewValue(tftypes.String, linemock.DemoRoom),
		"user_id":  tftypes.NewValue(tftypes.String, linemock.DemoUserAiko),
	}
	for _, newDataSource := range New("test")().DataSources(ctx) {
		ds := newDataSource()
		name := dataSourceName(ctx, ds)
		var configured datasource.ConfigureResponse
		ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &configured)
		var sch datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sch)
		typ := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
		values := map[string]tftypes.Value{}
		for attr, attrType := range typ.AttributeTypes {
			values[attr] = tftypes.NewValue(attrType, nil)
			if v, ok := args[attr]; ok {
				values[attr] = v
			}
		}
		timeoutsType := typ.AttributeTypes["timeouts"].(tftypes.Object)
		values["timeouts"] = tftypes.NewValue(timeoutsType, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "soon")})
		before := len(mock.Requests())
		req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sch.Schema, Raw: tftypes.NewValue(typ, values)}}
		resp := datasource.ReadResponse{State: tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(typ, nil)}}
		ds.Read(ctx, req, &resp)
		if !resp.Diagnostics.HasError() || !strings.Contains(fmt.Sprint(resp.Diagnostics), "soon") {
			t.Errorf("%s: diagnostics %v, want an error about the read timeout \"soon\"", name, resp.Diagnostics)
		}
		if n := len(mock.Requests()) - before; n != 0 {
			t.Errorf("%s asked LINE %d times with a timeouts block it could not read", name, n)
		}
	}
}

func dataSourceName(ctx context.Context, ds datasource.DataSource) string {
	var meta datasource.MetadataResponse
	ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "line"}, &meta)
	return meta.TypeName
}

// Only the read deadline's own passing is blamed on it: an attempt that outlived
// request_timeout also wraps context.DeadlineExceeded, and a longer read deadline would not help.
func TestReadDeadline_explain(t *testing.T) {
	attemptTimedOut := fmt.Errorf("get group chat summary: timed out: %w", context.DeadlineExceeded)

	ctx, cancel, dl, ok := startRead(context.Background(), timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}, new(diag.Diagnostics))
	defer cancel()
	if !ok {
		t.Fatal("startRead refused the default timeouts")
	}
	// The very error: errors.Is would also accept a deadlineError wrapping it, which is what
	// explain must not return here.
	if err := dl.explain(attemptTimedOut); err != attemptTimedOut { //nolint:errorlint // identity is the point
		t.Errorf("before the deadline: %v, want the error unchanged", err)
	}
	if dl.limit != defaultTimeout {
		t.Errorf("limit %s, want the default %s", dl.limit, defaultTimeout)
	}

	ctx, cancel2 := context.WithTimeout(ctx, 0) // stands in for the passing of the deadline
	defer cancel2()
	<-ctx.Done()
	passed := &deadline{name: dl.name, limit: dl.limit, ctx: ctx}
	var dlErr *deadlineError
	if err := passed.explain(attemptTimedOut); !errors.As(err, &dlErr) || !strings.Contains(err.Error(), "the read deadline of 5m passed") {
		t.Errorf("after the deadline: %v, want a deadline error", err)
	}
	if err := passed.explain(errors.New("LINE answered 500")); errors.As(err, &dlErr) {
		t.Errorf("an error the deadline did not cause was blamed on it: %v", err)
	}
}
