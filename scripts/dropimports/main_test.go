package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shape of Terraform's internal/backend/init/init.go: a table of backends.
const initGo = `package init

import (
	"sync"

	backendLocal "example.com/tf/internal/backend/local"
	backendS3 "example.com/tf/internal/backend/remote-state/s3"
	"example.com/tf/internal/backend/remote-state/gcs"
)

var mu sync.Mutex

func Init() map[string]func() any {
	return map[string]func() any{
		"local": func() any { return backendLocal.New() },
		// kept: a comment between entries
		"s3": func() any { return backendS3.New() },
		"gcs": func() any {
			return gcs.New()
		},
	}
}
`

func TestDropFileRemovesImportsAndTheirEntries(t *testing.T) {
	out, changed, err := dropFile("init.go", []byte(initGo), []string{
		"example.com/tf/internal/backend/remote-state/s3",
		"example.com/tf/internal/backend/remote-state/gcs",
	})
	if err != nil || !changed {
		t.Fatalf("dropFile: changed=%v err=%v", changed, err)
	}
	got := string(out)
	for _, gone := range []string{"remote-state/s3", "remote-state/gcs", "backendS3", "gcs.New", `"gcs":`} {
		if strings.Contains(got, gone) {
			t.Errorf("%q is still there:\n%s", gone, got)
		}
	}
	for _, kept := range []string{`backendLocal "example.com/tf/internal/backend/local"`, `"local": func() any { return backendLocal.New() },`, "// kept: a comment between entries", "var mu sync.Mutex"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q was lost:\n%s", kept, got)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "init.go", out, 0); err != nil {
		t.Fatalf("the result does not parse: %v\n%s", err, got)
	}
}

func TestDropFileRefusesOtherUses(t *testing.T) {
	src := strings.Replace(initGo, "var mu sync.Mutex", "var mu sync.Mutex\nvar b = backendS3.New()", 1)
	_, _, err := dropFile("init.go", []byte(src), []string{"example.com/tf/internal/backend/remote-state/s3"})
	if err == nil || !strings.Contains(err.Error(), "backendS3.New is used outside a key-value element") {
		t.Fatalf("err = %v, want a refusal naming backendS3.New", err)
	}
}

func TestDropFileLeavesOtherFilesAlone(t *testing.T) {
	out, changed, err := dropFile("init.go", []byte(initGo), []string{"example.com/other"})
	if err != nil || changed || string(out) != initGo {
		t.Fatalf("changed=%v err=%v; want the file untouched", changed, err)
	}
}

// A module path matches its own packages, not others that share a prefix.
func TestDropTreeEditsOnlyImportersAndSkipsTests(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"internal/backend/init/init.go":      initGo,
		"internal/backend/init/init_test.go": strings.Replace(initGo, "package init", "package init // test", 1),
		"internal/other/other.go":            "package other\n\nimport _ \"example.com/tf/internal/backend/remote-state/s3x\"\n",
	}
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edited, err := dropTree(dir, []string{"example.com/tf/internal/backend/remote-state/s3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(edited) != 1 || !strings.HasSuffix(edited[0], filepath.Join("init", "init.go")) {
		t.Fatalf("edited %v, want only init.go", edited)
	}
	for name, src := range files {
		if name == "internal/backend/init/init.go" {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != src {
			t.Errorf("%s changed (err %v)", name, err)
		}
	}
}
