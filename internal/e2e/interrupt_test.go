package e2e

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/tfharness"
)

// lockedBuffer is terraform's output, written by the command's copier goroutine and read by
// the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Ctrl-C while the provider backs off from LINE's rate limit: LINE answers 429 to everything,
// so every read waits in backoff until its 5-minute deadline. SIGINT to terraform must end
// the plan within seconds, non-zero, without claiming that the network failed.
func TestInterruptDuringBackoff(t *testing.T) {
	const n = 5
	fixture, ids := manyGroups(n)
	w := newWorkspace(t, fixture)
	w.write(membershipsConfig(ids))
	token := []string{"LINE_CHANNEL_ACCESS_TOKEN=" + linemock.DemoToken}
	w.mustTerraform(token, "apply", "-auto-approve", "-input=false", "-no-color")

	w.mock.SetFault(linemock.AllEndpoints, linemock.Fault{Rate429: 1})
	w.mock.ResetRequests()
	var out lockedBuffer
	cmd, err := w.Start(&out, token, "plan", "-input=false", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Wait until the plan is in its retries: every membership refreshed at least once, and
	// some requests retried.
	for w.mock.CountRequests(linemock.EndpointGroupSummary) < n+2 {
		select {
		case err := <-done:
			t.Fatalf("the plan ended before it was interrupted: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	seen := w.mock.CountRequests("")
	interrupted := time.Now()
	// SIGINT, what Ctrl-C sends.
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("terraform still ran a minute after Ctrl-C (killed: %v)\n%s", <-done, out.String())
	}
	took := time.Since(interrupted)
	text := out.String()
	t.Logf("interrupted after %d requests; terraform exited %d in %s", seen, tfharness.ExitCode(err), took.Round(10*time.Millisecond))
	// Far below the 5-minute deadline the reads were waiting for; generous for a loaded machine.
	if took > 20*time.Second {
		t.Errorf("terraform took %s to exit after Ctrl-C, want a few seconds", took.Round(time.Second))
	}
	if code := tfharness.ExitCode(err); code == 0 || code == -1 {
		t.Errorf("terraform exited %d after Ctrl-C, want a non-zero exit code\n%s", code, text)
	}
	if !strings.Contains(text, "context canceled") {
		t.Errorf("the errors do not say that the plan was cancelled\n%s", text)
	}
	if !strings.Contains(text, "Interrupt received") {
		t.Errorf("terraform did not report the interrupt\n%s", text)
	}
	for _, wrong := range []string{"did not reach LINE", "Check the network", "timed out"} {
		if strings.Contains(text, wrong) {
			t.Errorf("after Ctrl-C the output says %q\n%s", wrong, text)
		}
	}
	// The bot is still in every chat: a plan changes nothing.
	for _, id := range ids {
		if joined, err := w.mock.BotJoined(id); err != nil || !joined {
			t.Errorf("the bot is not in %s after an interrupted plan (%v)", id, err)
		}
	}
}
