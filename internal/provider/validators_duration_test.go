package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// durationValidator at its bounds: a positive duration, longer than over (not equal), at most
// atMost (equal passes); why is added only to a duration that parsed and was positive.
func TestDurationValidatorBounds(t *testing.T) {
	const why = "Because."
	for _, tc := range []struct {
		v       durationValidator
		value   string
		ok      bool
		withWhy bool
	}{
		{durationValidator{}, "1ns", true, false},
		{durationValidator{}, "0s", false, false},
		{durationValidator{}, "-1s", false, false},
		{durationValidator{}, "soon", false, false},
		{durationValidator{over: 2 * time.Second, why: why}, "2s", false, true},
		{durationValidator{over: 2 * time.Second, why: why}, "2001ms", true, false},
		{durationValidator{over: 2 * time.Second, why: why}, "0s", false, false},
		{durationValidator{over: 2 * time.Second, why: why}, "x", false, false},
		{durationValidator{atMost: 5 * time.Minute, why: why}, "5m", true, false},
		{durationValidator{atMost: 5 * time.Minute, why: why}, "5m1ns", false, true},
		{durationValidator{atMost: 5 * time.Minute}, "5m1ns", false, false},
		{durationValidator{atMost: 5 * time.Minute, why: why}, "-5m", false, false},
	} {
		var resp validator.StringResponse
		tc.v.ValidateString(context.Background(), validator.StringRequest{
			Path:        path.Root("timeout"),
			ConfigValue: types.StringValue(tc.value),
		}, &resp)
		if got := !resp.Diagnostics.HasError(); got != tc.ok {
			t.Errorf("%+v on %q: valid = %v, want %v", tc.v, tc.value, got, tc.ok)
			continue
		}
		if tc.ok {
			continue
		}
		detail := resp.Diagnostics[0].Detail()
		if strings.Contains(detail, why) != tc.withWhy {
			t.Errorf("%+v on %q: detail %q, want the reason: %v", tc.v, tc.value, detail, tc.withWhy)
		}
		if !strings.Contains(detail, "timeout") || !strings.Contains(detail, tc.value) {
			t.Errorf("%+v on %q: detail %q names neither the attribute nor the value", tc.v, tc.value, detail)
		}
	}
}
