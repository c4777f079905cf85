package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// exampleSets are the configurations under examples/ that validate as one: each folder's files
// together, but each provider example alone, since each has its own provider block.
func exampleSets(t *testing.T) map[string][]string {
	t.Helper()
	sets := map[string][]string{}
	err := filepath.WalkDir("../../examples", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
			return err
		}
		dir := filepath.Dir(path)
		if filepath.Base(dir) == "provider" {
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
	if len(sets) < 13 { // three provider examples, nine data sources, one resource
		t.Fatalf("found %d example sets, want at least 13", len(sets))
	}
	for name, files := range sets {
		t.Run(strings.TrimPrefix(name, "../../examples/"), func(t *testing.T) {
			w := newWorkspace(t, nil)
			var config strings.Builder
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				config.Write(data)
				config.WriteString("\n")
			}
			if need := minTerraform(config.String()); need != "" && !terraformAtLeast(t, need) {
				t.Skipf("uses features that need Terraform %s or later", need)
			}
			if !strings.Contains(config.String(), "required_providers") {
				config.WriteString(tfharness.RequiredProviders)
			}
			if err := w.Write(config.String()); err != nil {
				t.Fatal(err)
			}
			w.mustTerraform(nil, "validate", "-no-color")
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
