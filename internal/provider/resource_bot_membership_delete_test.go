package provider

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// losingAnswers puts a front before the mock that carries out the first n POSTs to urlPath
// and then answers them 500, as if LINE's answer had been lost on the way back.
func (m *mockLINE) losingAnswers(t *testing.T, urlPath string, n int32) *mockLINE {
	t.Helper()
	var lost atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == urlPath && lost.Add(1) <= n {
			m.Server.ServeHTTP(httptest.NewRecorder(), r) // carried out; the answer never arrives
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"message":"Internal server error"}`)
			return
		}
		m.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
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
