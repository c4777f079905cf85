// Package e2e runs the real provider binary under the real Terraform CLI, as users do (with
// dev_overrides), against the in-process mock LINE API. It covers what the in-process
// acceptance tests cannot see: whole-process logs, and what plan flags cost in requests.
package e2e

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

var (
	pluginDir     string // holds the built terraform-provider-line
	terraformPath string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	terraformPath = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraformPath == "" {
		var err error
		if terraformPath, err = exec.LookPath("terraform"); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: no Terraform: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test does)")
			return 1
		}
	}
	dir, err := os.MkdirTemp("", "tf-line-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	pluginDir = filepath.Join(dir, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-line"), "github.com/tf-line/terraform-provider-line")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the provider:", err)
		return 1
	}
	return m.Run()
}

// workspace is a Terraform working directory whose CLI config points tf-line/line at the
// freshly built binary.
type workspace struct {
	t    *testing.T
	dir  string
	env  []string
	mock *linemock.Server
	url  string
}

func newWorkspace(t *testing.T, fixture *linemock.Fixture, opts ...linemock.Option) *workspace {
	t.Helper()
	if fixture == nil {
		fixture = linemock.DemoFixture()
	}
	mock, err := linemock.New(fixture, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock)
	t.Cleanup(func() { mock.Close(); ts.Close() })

	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "dev.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "tf-line/line" = %q
  }
  direct {}
}
`, pluginDir))
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"LINE_API_ENDPOINT=" + ts.URL,
	}
	return &workspace{t: t, dir: dir, env: env, mock: mock, url: ts.URL}
}

// write puts main.tf in the workspace, with the required_providers block every config needs.
func (w *workspace) write(config string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, "main.tf"), `terraform {
  required_providers {
    line = {
      source = "tf-line/line"
    }
  }
}

`+config)
}

// terraform runs the Terraform CLI in the workspace with extra environment variables.
func (w *workspace) terraform(extraEnv []string, args ...string) (string, error) {
	w.t.Helper()
	cmd := exec.Command(terraformPath, args...)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// mustTerraform is terraform that fails the test on a non-zero exit.
func (w *workspace) mustTerraform(extraEnv []string, args ...string) string {
	w.t.Helper()
	out, err := w.terraform(extraEnv, args...)
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
