package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "MUTATION.md")
	var stdout strings.Builder
	err := run([]string{"-out", out, "-root", "testdata", "internal/x=testdata/x.json"}, &stdout)
	if err != nil {
		t.Fatal(err)
	}
	// 2 killed, 1 lived: efficacy 66.7%; 3 tested of 4 that are covered or not: 75%.
	for _, want := range []string{
		"internal/x                 6       2      1         1          1           1     66.7%     75.0%      12s",
		"listed in " + out,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout.String())
		}
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| internal/x | 6 | 2 | 1 | 1 | 1 | 1 | 66.7% | 75.0% |",
		"## internal/x: Surviving mutants (1)\n\n\n`internal/x/x.go`\n\n- 4:7 CONDITIONALS_BOUNDARY: `if a > b {`\n",
		"## internal/x: Timed-out mutants (1)\n\n\n`internal/x/x.go`\n\n- 10:34 ARITHMETIC_BASE: `func Join(a, b string) string { return a + '-' + b }`\n",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("MUTATION.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(md), "NOT COVERED") || strings.Contains(string(md), "INCREMENT_DECREMENT") {
		t.Errorf("MUTATION.md lists mutants that were not covered:\n%s", md)
	}
}

func TestRequire(t *testing.T) {
	var stdout strings.Builder
	if err := run([]string{"-require", "internal/x=66", "internal/x=testdata/x.json"}, &stdout); err != nil {
		t.Errorf("efficacy 66.7%% against 66%%: %v", err)
	}
	err := run([]string{"-require", "internal/x=90", "-require", "internal/y=10", "internal/x=testdata/x.json"}, &stdout)
	if err == nil || err.Error() != "internal/x: efficacy 66.7%, below the required 90.0%; internal/y: no results" {
		t.Errorf("err = %v", err)
	}
	for _, bad := range [][]string{
		{},
		{"testdata/x.json"},
		{"internal/x=testdata/missing.json"},
		{"-require", "x=101", "internal/x=testdata/x.json"},
		{"-require", "x", "internal/x=testdata/x.json"},
	} {
		if err := run(bad, &stdout); err == nil {
			t.Errorf("run(%q) succeeded", bad)
		}
	}
}
