// Package e2e runs the real provider binary under the real Terraform CLI, as users do (with
// dev_overrides), against the in-process mock LINE API. It covers what the in-process
// acceptance tests cannot see: whole-process logs, and what plan flags cost in requests.
package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

var (
	pluginDir     string // holds the built terraform-provider-line
	terraformPath string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if terraformPath, err = tfharness.FindTerraform(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "tf-line-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if pluginDir, err = tfharness.BuildProvider(filepath.Join(dir, "plugins")); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return m.Run()
}

// workspace is a Terraform working directory for one test, with its own mock LINE API.
type workspace struct {
	*tfharness.Workspace
	t    *testing.T
	mock *linemock.Server
}

// newWorkspace starts a workspace whose provider talks to a mock with the fixture (the demo
// fixture when nil) and opts. Its faults' seed comes from LINEMOCK_SEED when set, and is
// logged at the end of the test with the command that replays it.
//
//nolint:unparam // the mock's options, for a test that needs one (CONTRIBUTING.md: test helpers take them)
func newWorkspace(t *testing.T, fixture *linemock.Fixture, opts ...linemock.Option) *workspace {
	t.Helper()
	mock, ts := linemocktest.Start(t, fixture, opts...)
	ws, err := tfharness.NewWorkspace(t.TempDir(), terraformPath, pluginDir, "LINE_API_ENDPOINT="+ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &workspace{Workspace: ws, t: t, mock: mock}
}

// write puts main.tf in the workspace, after the required_providers block.
func (w *workspace) write(config string) {
	w.t.Helper()
	if err := w.Write(tfharness.RequiredProviders + config); err != nil {
		w.t.Fatal(err)
	}
}

// mustTerraform is terraform that fails the test on an error.
func (w *workspace) mustTerraform(extraEnv []string, args ...string) string {
	w.t.Helper()
	out, err := w.Run(extraEnv, args...)
	if err != nil {
		w.t.Fatalf("%v\n%s", err, out)
	}
	return out
}
