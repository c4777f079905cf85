package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// exampleSets are the configurations under examples/ that validate as one: each folder's files
// together, but each provider example and each guide's example alone, since each is a whole
// configuration of its own.
func exampleSets(t *testing.T) map[string][]string {
	t.Helper()
	sets := map[string][]string{}
	err := filepath.WalkDir("../../examples", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
			return err
		}
		dir := filepath.Dir(path)
		if filepath.Base(dir) == "provider" || strings.HasPrefix(filepath.ToSlash(dir), "../../examples/guides/") {
			sets[path] = []string{path}
		} else {
			sets[dir] = append(sets[dir], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

// Every example is formatted and valid against the provider's schema.
func TestExamplesAreValid(t *testing.T) {
	sets := exampleSets(t)
	// Four provider examples, ten data sources, one resource, one ephemeral resource, one
	// action, and the guides' examples.
	if len(sets) < 30 {
		t.Fatalf("found %d example sets, want at least 30", len(sets))
	}
	for name, files := range sets {
		t.Run(strings.TrimPrefix(name, "../../examples/"), func(t *testing.T) {
			var config strings.Builder
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				config.Write(data)
				config.WriteString("\n")
			}
			validateConfig(t, config.String())
		})
	}
	w := newWorkspace(t, nil)
	for _, dir := range []string{"../../examples", "../../demo"} {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		w.mustTerraform(nil, "fmt", "-check", "-recursive", "-diff", abs)
	}
}

// validateConfig runs terraform validate on config, skipping it on a CLI older than the
// version it needs. A configuration without a terraform block gets the usual one. A state
// backend the CLI under test was built without (make test's Terraform leaves out the cloud
// backends, such as s3) is replaced by the local one through an override file, as Terraform
// merges them: everything else in the configuration is validated as written.
func validateConfig(t *testing.T, config string) {
	t.Helper()
	if need := minTerraform(config); need != "" && !terraformAtLeast(t, need) {
		t.Skipf("needs Terraform %s or later", need)
	}
	w := newWorkspace(t, nil)
	if !strings.Contains(config, "required_providers") {
		config += tfharness.RequiredProviders
	}
	if err := w.Write(config); err != nil {
		t.Fatal(err)
	}
	if backendBlock.MatchString(config) {
		override := "terraform {\n  backend \"local\" {}\n}\n"
		if err := os.WriteFile(filepath.Join(w.Dir, "backend_override.tf"), []byte(override), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w.mustTerraform(nil, "validate", "-no-color")
}

var backendBlock = regexp.MustCompile(`(?m)^\s*backend\s+"[a-z0-9_]+"\s*\{`)
