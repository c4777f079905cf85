package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// buildCommand compiles this command into a temporary folder and returns the binary.
func buildCommand(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "linemock")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var listeningLine = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[0-9]+)$`)

// start runs the binary and returns the URL from its first line of output.
func start(t *testing.T, bin string, args ...string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		m := listeningLine.FindStringSubmatch(strings.TrimSuffix(line, "\n"))
		if m == nil {
			t.Fatalf("first line %q, want \"listening on http://HOST:PORT\" (stderr: %s)", line, stderr.String())
		}
		return cmd, m[1], &stderr
	case <-time.After(30 * time.Second):
		t.Fatal("no first line within 30s")
	}
	return nil, "", nil
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+linemock.DemoToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(15 * time.Second):
		t.Fatal("the command did not exit")
	}
	return -1
}

func TestServesDemoAndStopsCleanly(t *testing.T) {
	bin := buildCommand(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd, url, stderr := start(t, bin)
		status, body := get(t, url+"/v2/bot/group/"+linemock.DemoGroupOps+"/summary")
		if status != 200 || !strings.Contains(string(body), linemock.DemoGroupOpsName) {
			t.Errorf("demo group summary: %d %s", status, body)
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if code := waitExit(t, cmd); code != 0 {
			t.Errorf("exit code %d after %v, want 0 (stderr: %s)", code, sig, stderr)
		}
	}
}

func TestServesFixtureFileWithFlags(t *testing.T) {
	bin := buildCommand(t)
	f := linemock.DemoFixture()
	f.Groups[0].GroupName = "From a file"
	data, _ := json.Marshal(f)
	path := filepath.Join(t.TempDir(), "fixture.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, url, _ := start(t, bin, "-fixture", path, "-latency", "50ms", "-rate-limit", "2", "-message-quota", "30")
	if status, body := get(t, url+"/v2/bot/message/quota"); status != 200 || string(body) != `{"type":"limited","value":30}` {
		t.Errorf("-message-quota 30: %d %s", status, body)
	}
	begin := time.Now()
	status, body := get(t, url+"/v2/bot/group/"+linemock.DemoGroupOps+"/summary")
	if status != 200 || !strings.Contains(string(body), "From a file") {
		t.Errorf("summary from the fixture file: %d %s", status, body)
	}
	if d := time.Since(begin); d < 50*time.Millisecond || d > 50*time.Millisecond+2*time.Second {
		t.Errorf("-latency 50ms: answered in %v", d)
	}
	get(t, url+"/v2/bot/group/"+linemock.DemoGroupOps+"/summary")
	if status, _ := get(t, url+"/v2/bot/group/"+linemock.DemoGroupOps+"/summary"); status != 429 {
		t.Errorf("third request with -rate-limit 2: %d, want 429", status)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, cmd)
}

func TestFaultFlags(t *testing.T) {
	bin := buildCommand(t)
	cmd, url, stderr := start(t, bin, "-rate-429", "1", "-seed", "7")
	if status, body := get(t, url+"/_mock/faults"); status != 200 || !strings.HasPrefix(string(body), `{"seed":7,`) {
		t.Errorf("GET /_mock/faults with -seed 7: %d %s", status, body)
	}
	for range 3 {
		if status, body := get(t, url+"/v2/bot/info"); status != 429 || !strings.Contains(string(body), "rate limit") {
			t.Errorf("-rate-429 1: %d %s", status, body)
		}
	}
	if status, _ := get(t, url+"/_mock/state"); status != 200 {
		t.Errorf("controls under -rate-429 1: %d", status)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, cmd)
	if !strings.Contains(stderr.String(), "linemock: fault seed 7 (replay with -seed 7)") {
		t.Errorf("stderr %q does not name the seed", stderr)
	}

	// Without -seed, a fresh seed, printed so that the run can be replayed.
	cmd, url, stderr = start(t, bin, "-rate-500", "1")
	if status, _ := get(t, url+"/v2/bot/info"); status != 500 {
		t.Errorf("-rate-500 1: %d", status)
	}
	_, body := get(t, url+"/_mock/faults")
	var faults struct{ Seed int64 }
	if err := json.Unmarshal(body, &faults); err != nil {
		t.Fatalf("GET /_mock/faults: %s: %v", body, err)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, cmd)
	if want := fmt.Sprintf("linemock: fault seed %d (replay with -seed %d)", faults.Seed, faults.Seed); !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

func TestRefusesBadInput(t *testing.T) {
	bin := buildCommand(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	f := linemock.DemoFixture()
	f.Groups[2].GroupID = "Cxyz"
	data, _ := json.Marshal(f)
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.json")
	if err := os.WriteFile(garbage, []byte("{\"access_tokens\": [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"malformed fixture", []string{"-fixture", bad}, `fixture: groups[2].groupId "Cxyz": must be "C" followed by 32 lowercase hex digits`},
		{"invalid JSON", []string{"-fixture", garbage}, "fixture: invalid JSON"},
		{"missing fixture", []string{"-fixture", filepath.Join(dir, "missing.json")}, "missing.json"},
		{"rate out of range", []string{"-rate-429", "1.5"}, "-rate-429 1.5: want a probability from 0 to 1"},
		{"negative latency", []string{"-latency", "-1s"}, "-latency"},
		{"message quota below -1", []string{"-message-quota", "-2"}, "-message-quota -2: want -1 (no limit) or more"},
		{"unknown flag", []string{"-nope"}, "flag provided but not defined: -nope"},
		{"stray argument", []string{"extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, append([]string{"-addr", "127.0.0.1:0"}, c.args...)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Fatalf("err %v, want exit code 2 (stderr: %s)", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), c.want)
			}
			if strings.Contains(stderr.String(), "panic") || stdout.Len() != 0 {
				t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
			}
		})
	}
}

func TestPrintFixture(t *testing.T) {
	bin := buildCommand(t)
	out, err := exec.Command(bin, "-print-fixture").Output()
	if err != nil {
		t.Fatal(err)
	}
	f, err := linemock.ParseFixture(out)
	if err != nil {
		t.Fatalf("-print-fixture output does not parse: %v", err)
	}
	want, _ := json.Marshal(linemock.DemoFixture())
	got, _ := json.Marshal(f)
	if !bytes.Equal(got, want) {
		t.Error("-print-fixture differs from DemoFixture")
	}
}

// TestRunInProcess covers run's paths without a subprocess, including a cancelled context.
func TestRunInProcess(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-fixture") {
		t.Errorf("-h: code %d, usage %q", code, stderr.String())
	}
	stdout.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	pr, pw := io.Pipe()
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, pw, &stderr); pw.Close() }()
	line, _ := bufio.NewReader(pr).ReadString('\n')
	if !listeningLine.MatchString(strings.TrimSpace(line)) {
		t.Errorf("first line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d after cancel", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if code := run(context.Background(), []string{"-addr", "256.0.0.1:1"}, io.Discard, &stderr); code != 1 {
		t.Errorf("unusable address: code %d, want 1", code)
	}
}

// Scripts such as scripts/demo.sh send both streams to one file and read its first line:
// the seed line on stderr must come after the listening line.
func TestFirstLineWhenStreamsShareAFile(t *testing.T) {
	bin := buildCommand(t)
	logPath := filepath.Join(t.TempDir(), "mock.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	var lines []string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(logPath)
		if lines = strings.Split(string(data), "\n"); len(lines) >= 3 { // two lines and the rest
			break
		}
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, cmd)
	if len(lines) < 3 || !listeningLine.MatchString(lines[0]) || !strings.HasPrefix(lines[1], "linemock: fault seed ") {
		t.Errorf("log %q: want the listening line, then the seed", lines)
	}
}
