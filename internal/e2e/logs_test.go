package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// The provider logs whether a request carried an Authorization header, never the header.
var authorizationSet = regexp.MustCompile(`authorization_set="?true"?[ \n]`)

const logConfig = `provider "line" {}

data "line_bot_info" "bot" {}

data "line_group_members" "ops" {
  group_id         = "` + linemock.DemoGroupOps + `"
  include_profiles = true
}

resource "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
`

// traceRun applies and destroys logConfig under TF_LOG=trace and returns the whole log.
func traceRun(t *testing.T, w *workspace, credentials []string) string {
	t.Helper()
	w.write(logConfig)
	logPath := filepath.Join(w.Dir, "trace.log")
	env := append([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath}, credentials...)
	w.mustTerraform(env, "apply", "-auto-approve", "-input=false", "-no-color")
	w.mustTerraform(env, "plan", "-input=false", "-no-color")
	w.mustTerraform(env, "destroy", "-auto-approve", "-input=false", "-no-color")
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The provider's own lines are there: the log proves something.
	for _, want := range []string{"LINE API request", "/v2/bot/group/" + linemock.DemoGroupOps + "/summary", "request_id"} {
		if !strings.Contains(string(log), want) {
			t.Fatalf("the trace log lacks %q; the provider's logs did not reach it", want)
		}
	}
	// The provider's TRACE line about the header is there: the log is as verbose as it gets.
	// (Terraform 1.5 writes values bare, later versions quoted.)
	if !authorizationSet.MatchString(string(log)) || strings.Contains(string(log), "authorization=") {
		t.Fatal(`the trace log lacks authorization_set=true, or holds an authorization field`)
	}
	return string(log)
}

func TestTraceLogHoldsNoAccessToken(t *testing.T) {
	w := newWorkspace(t, nil)
	log := traceRun(t, w, []string{"LINE_CHANNEL_ACCESS_TOKEN=" + linemock.DemoToken})
	if n := strings.Count(log, linemock.DemoToken); n != 0 {
		t.Fatalf("the access token appears %d times in the TF_LOG=trace log, want 0", n)
	}
	t.Logf("trace log: %d bytes, %d lines, 0 hits for the access token", len(log), strings.Count(log, "\n"))
}

func TestTraceLogHoldsNoChannelSecretOrIssuedToken(t *testing.T) {
	w := newWorkspace(t, nil)
	log := traceRun(t, w, []string{
		"LINE_CHANNEL_ID=" + linemock.DemoChannelID,
		"LINE_CHANNEL_SECRET=" + linemock.DemoChannelSecret,
	})
	if n := strings.Count(log, linemock.DemoChannelSecret); n != 0 {
		t.Fatalf("the channel secret appears %d times in the TF_LOG=trace log, want 0", n)
	}
	// Every token the mock issued during the run, each checked against the log.
	var issued []string
	for _, r := range w.mock.Requests() {
		if r.Endpoint != linemock.EndpointGroupSummary {
			continue
		}
		issued = append(issued, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}
	if len(issued) == 0 {
		t.Fatal("no request carried an issued token")
	}
	for _, token := range issued {
		if token == "" || strings.Contains(log, token) {
			t.Fatalf("an issued stateless token (%d chars) appears in the trace log", len(token))
		}
	}
	if n := w.mock.CountRequests(linemock.EndpointStatelessToken); n == 0 {
		t.Fatal("no stateless token was issued")
	}
}

// The private key, given as a JWK or as PEM, appears nowhere in a TF_LOG=trace run: not whole,
// not as a JWK member, not as a PEM line or body, not as DER in base64.
func TestTraceLogHoldsNoPrivateKey(t *testing.T) {
	key := testKey(t)
	for name, privateKey := range map[string]string{"JWK": jwkString(t, key), "PEM": pemString(t, key)} {
		t.Run(name, func(t *testing.T) {
			w := newWorkspace(t, nil)
			registerKey(t, w)
			log := traceRun(t, w, keyEnv(privateKey))
			if w.mock.CountRequests(linemock.EndpointStatelessToken) == 0 {
				t.Fatal("no token was issued by assertion")
			}
			leaks := keyLeaks(t, key)
			for _, leak := range leaks {
				if strings.Contains(log, leak) {
					t.Fatalf("the trace log holds part of the private key (%d chars)", len(leak))
				}
			}
			t.Logf("trace log: %d bytes, 0 hits for %d forms of the private key", len(log), len(leaks))
		})
	}
}
