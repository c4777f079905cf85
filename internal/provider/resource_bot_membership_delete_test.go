package provider

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// losingAnswers puts a front before the mock that carries out the first n POSTs to urlPath
// and then answers them 500, as if LINE's answer had been lost on the way back.
func (m *mockLINE) losingAnswers(t *testing.T, urlPath string, n int32) *mockLINE {
	t.Helper()
	var lost atomic.Int32
	front := linemocktest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == urlPath && lost.Add(1) <= n {
			m.ServeHTTP(httptest.NewRecorder(), r) // carried out; the answer never arrives
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"message":"Internal server error"}`)
			return
		}
		m.ServeHTTP(w, r)
	}))
	return &mockLINE{Server: m.Server, URL: front.URL}
}

// LINE carried out the leave but its answer was lost (500): the client retries, LINE answers
// 404 since the bot is gone, and that counts as left. No error, and state forgets the chat.
func TestAccBotMembershipResource_leaveWhoseAnswerWasLost(t *testing.T) {
	mock := newMockLINE(t, nil)
	front := mock.losingAnswers(t, "/v2/bot/group/"+linemock.DemoGroupRelease+"/leave", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupRelease),
		Steps: []resource.TestStep{
			{
				Config: front.config(`
resource "line_bot_membership" "release" {
  group_id = "` + linemock.DemoGroupRelease + `"
}`),
			},
			{
				Config: front.config(``),
				Check: func(s *terraform.State) error {
					if n := len(s.RootModule().Resources); n != 0 {
						t.Errorf("state holds %d resources after destroy, want 0", n)
					}
					// The first leave was carried out (200, lost on the way), the retry met 404.
					return expectLeaves(mock, http.StatusOK, http.StatusNotFound)
				},
			},
		},
	})
}

// membershipOn is the resource with a client of the mock, for tests that call its methods
// directly: Terraform shows tests its errors but not its warnings.
func membershipOn(t *testing.T, mock *mockLINE, token string) *botMembershipResource {
	t.Helper()
	client, err := lineclient.New(lineclient.Config{Endpoint: mock.URL, AccessToken: token, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	creds := credentials{token: setting{value: token, source: "channel_access_token in the provider block"}}
	return &botMembershipResource{data: &providerData{client: client, creds: creds}}
}

// membershipState is the state of an adopted membership of chat, as Create records it.
func membershipState(t *testing.T, r *botMembershipResource, chat lineclient.Chat) tfsdk.State {
	t.Helper()
	var schemaResp fwresource.SchemaResponse
	r.Schema(context.Background(), fwresource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema}
	model := newMembershipModel(chat)
	if diags := state.Set(context.Background(), &model); diags.HasError() {
		t.Fatal(diags)
	}
	return state
}

// deleteMembership calls Delete on a membership of chat and returns its diagnostics.
func deleteMembership(ctx context.Context, t *testing.T, r *botMembershipResource, chat lineclient.Chat) diag.Diagnostics {
	t.Helper()
	state := membershipState(t, r, chat)
	resp := fwresource.DeleteResponse{State: state}
	r.Delete(ctx, fwresource.DeleteRequest{State: state}, &resp)
	return resp.Diagnostics
}

// onlyDiagnostic returns the one diagnostic of the wanted severity, failing on any other.
func onlyDiagnostic(t *testing.T, diags diag.Diagnostics, severity diag.Severity) diag.Diagnostic {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity() != severity {
		t.Fatalf("diagnostics = %v, want exactly one of severity %v", diags, severity)
	}
	return diags[0]
}

func TestBotMembershipResourceDelete_alreadyLeftWarns(t *testing.T) {
	mock := newMockLINE(t, nil)
	if err := mock.KickBot(linemock.DemoGroupRelease); err != nil {
		t.Fatal(err)
	}
	r := membershipOn(t, mock, linemock.DemoToken)
	d := onlyDiagnostic(t, deleteMembership(context.Background(), t, r, lineclient.GroupChat(linemock.DemoGroupRelease)), diag.SeverityWarning)
	if want := "The bot had already left group chat " + linemock.DemoGroupRelease; d.Summary() != want {
		t.Errorf("summary = %q, want %q", d.Summary(), want)
	}
	if err := expectLeaves(mock, http.StatusNotFound); err != nil {
		t.Error(err)
	}
}

// Without an answer, nobody knows whether LINE carried the leave out: the error must not
// claim that the bot is still in the chat, and says that the next plan will tell.
func TestBotMembershipResourceDelete_noAnswerSaysOutcomeUnknown(t *testing.T) {
	cases := map[string]func() (context.Context, context.CancelFunc){
		// Time enough to start the leave: the client starts no write with less than
		// min(request_timeout, 2s) left.
		"deadline passed": func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 2500*time.Millisecond)
		},
		"cancelled (Ctrl-C)": func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(500*time.Millisecond, cancel)
			return ctx, cancel
		},
	}
	for name, newContext := range cases {
		t.Run(name, func(t *testing.T) {
			mock := newMockLINE(t, nil)
			mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{Hang: true})
			r := membershipOn(t, mock, linemock.DemoToken)
			ctx, cancel := newContext()
			defer cancel()
			d := onlyDiagnostic(t, deleteMembership(ctx, t, r, lineclient.GroupChat(linemock.DemoGroupOps)), diag.SeverityError)
			if want := "The bot may have left group chat " + linemock.DemoGroupOps; d.Summary() != want {
				t.Errorf("summary = %q, want %q", d.Summary(), want)
			}
			for _, want := range []string{"LINE may have carried the leave out", "The next plan refreshes it and tells"} {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail lacks %q:\n%s", want, d.Detail())
				}
			}
			if strings.Contains(d.Summary()+d.Detail(), "still in") {
				t.Errorf("claims the bot is still in the chat:\n%s\n%s", d.Summary(), d.Detail())
			}
			// The mock records an abandoned request once its handler notices, a moment later.
			for wait := time.Now().Add(10 * time.Second); mock.CountRequests(linemock.EndpointGroupLeave) == 0; {
				if time.Now().After(wait) {
					t.Fatal("no leave request reached LINE")
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// A refusal is definite: LINE did not carry the leave out, and the bot is still there.
func TestBotMembershipResourceDelete_refusedSaysStillIn(t *testing.T) {
	mock := newMockLINE(t, nil)
	r := membershipOn(t, mock, "not-the-token")
	d := onlyDiagnostic(t, deleteMembership(context.Background(), t, r, lineclient.GroupChat(linemock.DemoGroupOps)), diag.SeverityError)
	if want := "The bot is still in group chat " + linemock.DemoGroupOps + ": leaving failed"; d.Summary() != want {
		t.Errorf("summary = %q, want %q", d.Summary(), want)
	}
	if !strings.Contains(d.Detail(), "401") || !strings.Contains(d.Detail(), "channel_access_token") {
		t.Errorf("detail does not explain the 401:\n%s", d.Detail())
	}
	if !mock.botJoined(t, linemock.DemoGroupOps) {
		t.Error("the bot left")
	}
}

// The first leave was carried out and its answer lost; the retry met 404. The bot has left,
// most likely by the first attempt: the warning does not say it had left already.
func TestBotMembershipResourceDelete_lostAnswerThenNotFound(t *testing.T) {
	mock := newMockLINE(t, nil)
	front := mock.losingAnswers(t, "/v2/bot/group/"+linemock.DemoGroupOps+"/leave", 1)
	r := membershipOn(t, front, linemock.DemoToken)
	d := onlyDiagnostic(t, deleteMembership(context.Background(), t, r, lineclient.GroupChat(linemock.DemoGroupOps)), diag.SeverityWarning)
	if want := "The bot has left group chat " + linemock.DemoGroupOps; d.Summary() != want {
		t.Errorf("summary = %q, want %q", d.Summary(), want)
	}
	if !strings.Contains(d.Detail(), "an earlier attempt, whose answer was lost") {
		t.Errorf("detail does not explain the lost answer:\n%s", d.Detail())
	}
	if err := expectLeaves(mock, http.StatusOK, http.StatusNotFound); err != nil {
		t.Error(err)
	}
}

// No leave request reached LINE (the endpoint redirected, which LINE never does): the bot has
// not left, and the error says neither that it may have nor that LINE refused.
func TestBotMembershipResourceDelete_noRequestCarriedOut(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupLeave, linemock.Fault{RedirectTo: "http://127.0.0.1:9"})
	r := membershipOn(t, mock, linemock.DemoToken)
	d := onlyDiagnostic(t, deleteMembership(context.Background(), t, r, lineclient.GroupChat(linemock.DemoGroupOps)), diag.SeverityError)
	if want := "Unable to make the bot leave group chat " + linemock.DemoGroupOps; d.Summary() != want {
		t.Errorf("summary = %q, want %q", d.Summary(), want)
	}
	for _, want := range []string{"No leave request was carried out", "LINE's API never redirects"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, d.Detail())
		}
	}
	if strings.Contains(d.Detail(), "may have") {
		t.Errorf("detail says the leave may have happened:\n%s", d.Detail())
	}
	if !mock.botJoined(t, linemock.DemoGroupOps) {
		t.Error("the bot left")
	}
}
