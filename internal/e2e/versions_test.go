package e2e

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// terraformAtLeast reports whether the Terraform under test is version need or later. Actions came with
// 1.14, and before_destroy and after_destroy with 1.16.
func terraformAtLeast(t *testing.T, need string) bool {
	t.Helper()
	out, err := exec.Command(terraformPath, "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatal(err)
	}
	return have.Core().GreaterThanOrEqual(version.Must(version.NewVersion(need)))
}

// lifecycleDestroy finds a lifecycle's destroy argument (not leave_on_destroy).
var lifecycleDestroy = regexp.MustCompile(`(?m)^\s*destroy\s*=`)

// minTerraform is the Terraform version a configuration needs for the actions, ephemeral
// resources, removed blocks or lifecycle destroy arguments it uses, or "" when any supported
// version will do.
func minTerraform(config string) string {
	switch {
	case strings.Contains(config, "before_destroy"), strings.Contains(config, "after_destroy"),
		lifecycleDestroy.MatchString(config): // in a resource block, 1.16; in a removed block, 1.7
		return "1.16.0"
	case strings.Contains(config, "removed {"):
		return "1.7.0"
	case strings.Contains(config, `action "`):
		return "1.14.0"
	case strings.Contains(config, `ephemeral "`):
		return "1.10.0"
	}
	return ""
}
