package main

import (
	"strings"
	"testing"
)

func TestKeptKeepsWhatFollowsTheMarker(t *testing.T) {
	old := "# Benchmarks\n\n| old table |\n\n" + keptMarker + "\n\n## Client under LINE's rate limit\n\nfigures\n"
	got := kept(old)
	if !strings.HasPrefix(got, "\n"+keptMarker) || !strings.HasSuffix(got, "figures\n") || strings.Contains(got, "old table") {
		t.Fatalf("kept = %q", got)
	}
	if kept("# Benchmarks\n\nno marker\n") != "" {
		t.Fatal("kept something from a document without the marker")
	}
}
