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
	err := run([]string{"-out", out, "-root", "testdata", "-equivalent", "testdata/equivalents.txt", "-note", "Measured on abc123.", "internal/x=testdata/x.json"}, &stdout)
	if err != nil {
		t.Fatal(err)
	}
	// 2 killed, 2 lived (one equivalent): efficacy 50%, 66.7% without the equivalent one;
	// 4 tested of 5 that are tested or not covered: 80%.
	for _, want := range []string{
		"internal/x                 7       2      2          1         1          1           1     50.0%     80.0%      12s",
		"testdata/equivalents.txt: no surviving mutant matches \"internal/x/x.go | CONDITIONALS_NEGATION | return b\"",
		// A line of code with || in it is read whole.
		"testdata/equivalents.txt: no surviving mutant matches \"internal/x/x.go | CONDITIONALS_NEGATION | if a > b || a == b {\"",
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
		"# Mutation testing\n\nMeasured on abc123.\n\nWritten by `make mutate`",
		"| internal/x | 7 | 2 | 2 | 1 | 1 | 1 | 1 | 50.0% | 80.0% | 66.7% |",
		"## internal/x: Surviving mutants (1)\n\n`internal/x/x.go`\n\n- 4:7 CONDITIONALS_BOUNDARY: `if a > b {` at `> b {`\n",
		"## internal/x: Equivalent mutants (1)\n\n`internal/x/x.go`\n\n- 10:48 ARITHMETIC_BASE: `func Join(a, b string) string { return a + '-' + b }` at `+ b }` (the second +: equivalent for this test)\n",
		"## internal/x: Timed-out mutants (1)\n\n`internal/x/x.go`\n\n- 10:42 ARITHMETIC_BASE: `func Join(a, b string) string { return a + '-' + b }` at `+ '-' + b }`\n",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("MUTATION.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(stdout.String(), "internal/other") {
		t.Errorf("an entry of a package that was not measured is reported:\n%s", stdout.String())
	}
	if strings.Contains(string(md), "INCREMENT_DECREMENT") || strings.Contains(string(md), "INVERT_NEGATIVES") {
		t.Errorf("MUTATION.md lists mutants that were not covered or not viable:\n%s", md)
	}
}

func TestRequire(t *testing.T) {
	var stdout strings.Builder
	if err := run([]string{"-require", "internal/x=50", "internal/x=testdata/x.json"}, &stdout); err != nil {
		t.Errorf("efficacy 50%% against 50%%: %v", err)
	}
	// The target is on the efficacy with the equivalent mutants counted as lived.
	err := run([]string{"-require", "internal/x=60", "-require", "internal/y=10", "-equivalent", "testdata/equivalents.txt", "internal/x=testdata/x.json"}, &stdout)
	if err == nil || err.Error() != "internal/x: efficacy 50.0%, below the required 60.0%; internal/y: no results" {
		t.Errorf("err = %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("internal/x/x.go | LIVED | if a > b {\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{},
		{"testdata/x.json"},
		{"internal/x=testdata/missing.json"},
		{"-require", "x=101", "internal/x=testdata/x.json"},
		{"-require", "x", "internal/x=testdata/x.json"},
		{"-equivalent", bad, "internal/x=testdata/x.json"},
		{"-equivalent", "testdata/missing.txt", "internal/x=testdata/x.json"},
	} {
		if err := run(args, &stdout); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
