package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// workflow is the part of a GitHub Actions workflow these tests read.
type workflow struct {
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestAuditWorkflow: the "Auditing in CI" guide's GitHub Actions workflow passes the
// provider's own environment variables, with the private key from the secret store, and
// its Audit step, run as GitHub runs it (bash -e), fails the job exactly when the recipe's
// plan does, with a summary that names the missing chat.
func TestAuditWorkflow(t *testing.T) {
	raw, err := os.ReadFile("../../examples/guides/auditing-in-ci/line-audit.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v", err)
	}
	job, ok := wf.Jobs["audit"]
	if !ok {
		t.Fatal("no audit job")
	}
	for name, want := range map[string]string{
		"LINE_CHANNEL_ID":          "${{ vars.LINE_CHANNEL_ID }}",
		"LINE_CHANNEL_KEY_ID":      "${{ vars.LINE_CHANNEL_KEY_ID }}",
		"LINE_CHANNEL_PRIVATE_KEY": "${{ secrets.LINE_CHANNEL_PRIVATE_KEY }}",
	} {
		if job.Env[name] != want {
			t.Errorf("env %s = %q, want %q", name, job.Env[name], want)
		}
	}
	var audit string
	for _, step := range job.Steps {
		if step.Run == "" {
			continue
		}
		if out, err := exec.Command("bash", "-n", "-c", step.Run).CombinedOutput(); err != nil {
			t.Errorf("step %q is not valid bash: %v\n%s", step.Name, err, out)
		}
		if step.Name == "Audit" {
			audit = step.Run
		}
		if strings.Contains(step.Run, "dev_overrides") && !strings.Contains(step.Run, `"tf-line/line" = "$(go env GOPATH)/bin"`) {
			t.Errorf("step %q does not point dev_overrides where make install writes", step.Name)
		}
	}
	if audit == "" || !strings.Contains(audit, "terraform plan -detailed-exitcode") {
		t.Fatalf("no Audit step running terraform plan -detailed-exitcode:\n%s", audit)
	}

	recipe, err := os.ReadFile(auditRecipe)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorkspace(t, nil)
	if err := w.Write(string(recipe)); err != nil {
		t.Fatal(err)
	}
	w.mustTerraform(channelEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	// GitHub's runners have terraform on PATH, from setup-terraform.
	bin := t.TempDir()
	if err := os.Symlink(terraformPath, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	runStep := func() (int, string) {
		summary := filepath.Join(t.TempDir(), "summary.md")
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", audit)
		cmd.Dir = w.Dir
		cmd.Env = append(append(append([]string{}, w.Env...), channelEnv...),
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GITHUB_STEP_SUMMARY="+summary)
		out, err := cmd.CombinedOutput()
		got, _ := os.ReadFile(summary)
		if err != nil && tfharness.ExitCode(err) < 0 {
			t.Fatalf("the Audit step did not run: %v\n%s", err, out)
		}
		return tfharness.ExitCode(err), string(got)
	}

	code, summary := runStep()
	if code != 0 || !strings.Contains(summary, "The bot is in every declared chat.") {
		t.Errorf("present: exit code %d, summary %q; want 0 and the bot everywhere", code, summary)
	}
	if err := w.mock.KickBot(linemock.DemoGroupRelease); err != nil {
		t.Fatal(err)
	}
	code, summary = runStep()
	if code != 1 || !strings.Contains(summary, "The audit failed:") ||
		!strings.Contains(oneLine(summary), "The bot is not in release_train ("+linemock.DemoGroupRelease+")") {
		t.Errorf("removed: exit code %d, summary %q; want 1 and the chat named", code, summary)
	}
}

// TestGettingStarted: the "Getting started" guide's configuration reads the bot, adopts the
// group by its import block, and audits it: an apply, then a plan with nothing to do.
func TestGettingStarted(t *testing.T) {
	var config strings.Builder
	for _, f := range []string{"main.tf", "adopt.tf"} {
		data, err := os.ReadFile(filepath.Join("../../examples/guides/getting-started", f))
		if err != nil {
			t.Fatal(err)
		}
		config.Write(data)
		config.WriteString("\n")
	}
	w := newWorkspace(t, nil)
	if err := w.Write(config.String()); err != nil {
		t.Fatal(err)
	}
	out := w.mustTerraform(channelEnv, "apply", "-auto-approve", "-input=false", "-no-color")
	for _, want := range []string{"1 imported, 0 added, 0 changed, 0 destroyed", `bot = "Ops Bot (@123abcde)"`} {
		if !strings.Contains(out, want) {
			t.Errorf("apply output lacks %q\n%s", want, out)
		}
	}
	if code, out := w.plan(); code != 0 {
		t.Errorf("plan -detailed-exitcode after the apply: exit code %d, want 0\n%s", code, out)
	}
	// prevent_destroy holds: destroy fails and the bot stays. ("Instance cannot be destroyed" in
	// Terraform, "Resource instance cannot be destroyed" in OpenTofu.)
	if out, err := w.Run(channelEnv, "destroy", "-auto-approve", "-input=false", "-no-color"); err == nil ||
		!strings.Contains(out, "nstance cannot be destroyed") || !strings.Contains(out, "prevent_destroy") {
		t.Errorf("destroy was not refused by prevent_destroy: %v\n%s", err, out)
	}
	if joined, err := w.mock.BotJoined(linemock.DemoGroupOps); err != nil || !joined {
		t.Errorf("the bot is not in the group after the refused destroy (joined %v, %v)", joined, err)
	}
}

// tfrcPath is the folder a documented CLI configuration names for the provider.
var tfrcPath = regexp.MustCompile(`("tf-line/line"\s*=\s*)"[^"]*"`)

// TestCLIConfigExamples: each documented CLI configuration (*.tfrc under examples/), with its
// folder replaced by the one the provider was built into, makes Terraform use that build: a
// plan reads the bot through it.
func TestCLIConfigExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/guides/*/*.tfrc")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CLI configuration examples (%v)", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f)), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			planWithCLIConfig(t, raw)
		})
	}
}

// planWithCLIConfig plans a configuration that reads the bot through the documented CLI
// configuration raw, its folder for tf-line/line replaced by the one the provider was built
// into: the plan works only if Terraform takes the provider from there.
func planWithCLIConfig(t *testing.T, raw []byte) {
	t.Helper()
	if !tfrcPath.Match(raw) {
		t.Fatalf("the CLI configuration names no folder for tf-line/line:\n%s", raw)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraform.rc")
	config := tfrcPath.ReplaceAll(raw, []byte(fmt.Sprintf("${1}%q", pluginDir)))
	if err := os.WriteFile(cliConfig, config, 0o600); err != nil {
		t.Fatal(err)
	}
	w := newWorkspace(t, nil)
	w.write(`provider "line" {}

data "line_bot_info" "bot" {}

output "bot" {
  value = data.line_bot_info.bot.display_name
}
`)
	out := w.mustTerraform(append([]string{"TF_CLI_CONFIG_FILE=" + cliConfig}, channelEnv...),
		"plan", "-input=false", "-no-color")
	for _, want := range []string{"Provider development overrides are in effect", `bot = "Ops Bot"`} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q\n%s", want, out)
		}
	}
}

// fencedBlock is a fenced code block of a Markdown file, with its indentation removed.
type fencedBlock struct {
	lang, body string
	line       int
}

var fence = regexp.MustCompile("^(\\s*)```([a-z]*)\\s*$")

// fencedBlocks reads every fenced code block of a Markdown file.
func fencedBlocks(t *testing.T, path string) []fencedBlock {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		blocks []fencedBlock
		cur    *fencedBlock
		indent string
		body   strings.Builder
	)
	for i, line := range strings.Split(string(raw), "\n") {
		m := fence.FindStringSubmatch(line)
		switch {
		case cur == nil && m != nil:
			cur, indent = &fencedBlock{lang: m[2], line: i + 1}, m[1]
			body.Reset()
		case cur != nil && m != nil && m[2] == "":
			cur.body = body.String()
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			body.WriteString(strings.TrimPrefix(line, indent) + "\n")
		}
	}
	if cur != nil {
		t.Fatalf("%s: the code block at line %d is not closed", path, cur.line)
	}
	return blocks
}

// TestReadmeSnippets: every HCL block of the README is valid: a CLI configuration makes
// Terraform use the built provider, a configuration validates against the provider's schema;
// and the mock walkthrough gives the mock's own demo credentials.
func TestReadmeSnippets(t *testing.T) {
	blocks := fencedBlocks(t, "../../README.md")
	var hcl, mockCredentials int
	for _, b := range blocks {
		switch {
		case b.lang == "hcl" && strings.Contains(b.body, "provider_installation"):
			hcl++
			t.Run(fmt.Sprintf("line %d", b.line), func(t *testing.T) { planWithCLIConfig(t, []byte(b.body)) })
		case b.lang == "hcl" || b.lang == "terraform":
			hcl++
			t.Run(fmt.Sprintf("line %d", b.line), func(t *testing.T) { validateConfig(t, b.body) })
		case b.lang == "sh" && strings.Contains(b.body, "LINE_CHANNEL_SECRET="):
			mockCredentials++
			for _, want := range []string{"LINE_CHANNEL_ID=" + linemock.DemoChannelID, "LINE_CHANNEL_SECRET=" + linemock.DemoChannelSecret} {
				if !strings.Contains(b.body, want) {
					t.Errorf("README line %d: the mock's credentials are not %s", b.line, want)
				}
			}
		}
	}
	if hcl < 3 || mockCredentials != 1 {
		t.Errorf("found %d HCL blocks and %d blocks of mock credentials in the README, want at least 3 and 1", hcl, mockCredentials)
	}
}
