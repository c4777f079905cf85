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

// minTerraform is the Terraform version a configuration needs, or "" when any supported
// version will do: for the actions, ephemeral resources, removed blocks and import blocks with
// for_each it uses, and whatever its comments say it needs ("Terraform 1.16 and later").
func minTerraform(config string) string {
	need := ""
	raise := func(v string) {
		if need == "" || version.Must(version.NewVersion(v)).GreaterThan(version.Must(version.NewVersion(need))) {
			need = v
		}
	}
	switch {
	case destroyEvent.MatchString(config):
		raise("1.16.0")
	case strings.Contains(config, `action "`):
		raise("1.14.0")
	case strings.Contains(config, `ephemeral "`):
		raise("1.10.0")
	}
	if removedBlock.MatchString(config) || importForEach.MatchString(config) {
		raise("1.7.0")
	}
	for _, m := range statedVersion.FindAllStringSubmatch(config, -1) {
		raise(m[1] + ".0")
	}
	return need
}

var (
	destroyEvent  = regexp.MustCompile(`\b(?:before|after)_destroy\b`) // not create_before_destroy
	removedBlock  = regexp.MustCompile(`(?m)^removed\s*\{`)
	importForEach = regexp.MustCompile(`(?ms)^import\s*\{[^}]*^\s*for_each\s*=`)
	statedVersion = regexp.MustCompile(`#.*Terraform (1\.[0-9]+) (?:and|or) later`)
)
