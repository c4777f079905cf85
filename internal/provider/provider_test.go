package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// TestMain starts every test from an environment without LINE_ variables: the in-process
// provider reads them, so a developer's real token would otherwise reach the mock, and the
// precedence tests would see settings they did not make. Tests that need one use t.Setenv.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "LINE_") {
			_ = os.Unsetenv(name)
		}
	}
	os.Exit(m.Run())
}

// protoV6Factories serve the provider in-process to the Terraform CLI that
// terraform-plugin-testing runs (TF_ACC_TERRAFORM_PATH).
var protoV6Factories = map[string]func() (tfprotov6.ProviderServer, error){
	"line": providerserver.NewProtocol6WithError(New("test")()),
}

// mockLINE is one test's own mock LINE API, served over loopback HTTP.
type mockLINE struct {
	*linemock.Server
	URL string
}

// newMockLINE starts a mock with the fixture (the demo fixture when nil) and opts for one
// test. Its faults' seed comes from LINEMOCK_SEED when set, and is logged at the end of the
// test with the command that replays it (see linemocktest.Start).
func newMockLINE(t *testing.T, fixture *linemock.Fixture, opts ...linemock.Option) *mockLINE {
	t.Helper()
	srv, ts := linemocktest.Start(t, fixture, opts...)
	return &mockLINE{Server: srv, URL: ts.URL}
}

// tookWithin fails the test unless took lies between least and most. least is what the code
// must spend (a deadline it waits for, attempts of request_timeout each), so that stopping
// early fails as surely as hanging; most is generous, for a loaded two-core machine.
func tookWithin(t *testing.T, what string, took, least, most time.Duration) {
	t.Helper()
	if took < least || took > most {
		t.Errorf("%s took %s, want between %s and %s", what, took.Round(10*time.Millisecond), least, most)
	}
}

// config prefixes a configuration with a provider block that points at this mock.
func (m *mockLINE) config(body string) string {
	return m.configWith(`channel_access_token = "`+linemock.DemoToken+`"`, body)
}

// configWith is config with other provider settings than the demo token.
func (m *mockLINE) configWith(settings, body string) string {
	return fmt.Sprintf("provider \"line\" {\n  api_endpoint = %q\n  %s\n}\n\n%s", m.URL, settings, body)
}

// botJoined asks the mock whether the bot is in a chat, failing the test on an unknown chat.
func (m *mockLINE) botJoined(t *testing.T, chatID string) bool {
	t.Helper()
	joined, err := m.BotJoined(chatID)
	if err != nil {
		t.Fatal(err)
	}
	return joined
}

// words matches a phrase across the line breaks Terraform puts into long diagnostics.
func words(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// wrapped compiles a regular expression whose spaces match the line breaks Terraform puts into
// long diagnostics, and whose dots match them too.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

func TestProviderMetadata(t *testing.T) {
	var resp provider.MetadataResponse
	New("1.2.3")().Metadata(context.Background(), provider.MetadataRequest{}, &resp)
	if resp.TypeName != "line" || resp.Version != "1.2.3" {
		t.Fatalf("metadata = %q %q, want line 1.2.3", resp.TypeName, resp.Version)
	}
}
