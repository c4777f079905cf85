// Package tfharness runs the real Terraform CLI against a freshly built provider binary, as
// users do, with a CLI configuration whose dev_overrides point tf-line/line at it. The e2e
// tests and the plan benchmark use it; the provider never does.
package tfharness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// RequiredProviders is the terraform block every configuration for this provider starts with.
const RequiredProviders = `terraform {
  required_providers {
    line = {
      source = "tf-line/line"
    }
  }
}

`

// FindTerraform returns TF_ACC_TERRAFORM_PATH, or else the terraform on PATH.
func FindTerraform() (string, error) {
	if path := os.Getenv("TF_ACC_TERRAFORM_PATH"); path != "" {
		return path, nil
	}
	path, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("no Terraform: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test does)")
	}
	return path, nil
}

// BuildProvider compiles the provider into dir and returns dir, for dev_overrides.
func BuildProvider(dir string) (string, error) {
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-line"), "github.com/tf-line/terraform-provider-line")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out.String())
	}
	return dir, nil
}

// Workspace is a Terraform working directory with its own CLI configuration and environment.
type Workspace struct {
	Dir       string
	Terraform string
	Env       []string // the whole environment of every command
}

// NewWorkspace prepares dir (which must exist) to run terraform against the provider built
// into pluginDir, with env added to a minimal environment.
func NewWorkspace(dir, terraform, pluginDir string, env ...string) (*Workspace, error) {
	cliConfig := filepath.Join(dir, "dev.tfrc")
	err := os.WriteFile(cliConfig, fmt.Appendf(nil, `provider_installation {
  dev_overrides {
    "tf-line/line" = %q
  }
  direct {}
}
`, pluginDir), 0o600)
	if err != nil {
		return nil, err
	}
	base := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	}
	return &Workspace{Dir: dir, Terraform: terraform, Env: append(base, env...)}, nil
}

// Write replaces the workspace's main.tf.
func (w *Workspace) Write(config string) error {
	return os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(config), 0o600)
}

// Run runs terraform with args and extra environment variables, and returns its combined output.
func (w *Workspace) Run(extraEnv []string, args ...string) (string, error) {
	cmd := exec.Command(w.Terraform, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append([]string{}, w.Env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), err
}

// Start starts terraform with args and extra environment variables, with its combined output
// going to out, and returns the running command: for tests that signal it (Ctrl-C) and Wait.
func (w *Workspace) Start(out io.Writer, extraEnv []string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(w.Terraform, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append([]string{}, w.Env...), extraEnv...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	return cmd, nil
}

// Time runs terraform like Run and says how long it took.
func (w *Workspace) Time(extraEnv []string, args ...string) (time.Duration, string, error) {
	start := time.Now()
	out, err := w.Run(extraEnv, args...)
	return time.Since(start), out, err
}

// ExitCode is the exit code in an error from Run: 0 for nil, -1 when it did not exit.
func ExitCode(err error) int {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
