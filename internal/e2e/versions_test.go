package e2e

import (
	"encoding/json"
	"os/exec"
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

// minTerraform is the Terraform version a configuration needs for the actions or ephemeral
// resources it uses, or ""
// when any supported version will do.
func minTerraform(config string) string {
	switch {
	case strings.Contains(config, "before_destroy"), strings.Contains(config, "after_destroy"):
		return "1.16.0"
	case strings.Contains(config, `action "`):
		return "1.14.0"
	case strings.Contains(config, `ephemeral "`):
		return "1.10.0"
	}
	return ""
}
