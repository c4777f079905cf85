package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// Every stateless token issued so far stops working in the middle of a plan of many reads
// (expiry, or clock skew between this machine and LINE): the reads that meet LINE's 401 share
// one new token, and the plan succeeds with one more token request.
func TestAccReliability_tokensExpireMidway(t *testing.T) {
	const n, midway = 40, 20
	fixture, ids := withGroups(n)
	var counts atomic.Int32
	var mock *mockLINE
	mock = newMockBehind(t, fixture, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/members/count") && counts.Add(1) == midway {
				mock.ExpireIssuedTokens() // before the midway read reaches LINE
			}
			next.ServeHTTP(w, r)
		})
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(channelCredentials(linemock.DemoChannelSecret), memberCountsBody(ids)),
			Check: func(s *terraform.State) error {
				for i := range ids {
					if c := s.RootModule().Resources[fmt.Sprintf("data.line_group_member_count.c%03d", i)]; c == nil {
						return fmt.Errorf("member count c%03d is not in state", i)
					}
				}
				tokens := mock.CountRequests(linemock.EndpointStatelessToken)
				byStatus := map[int]int{}
				tokensUsed := map[string]bool{}
				for _, r := range mock.Requests() {
					if r.Endpoint == linemock.EndpointGroupMemberCount {
						byStatus[r.Status]++
						tokensUsed[r.Header.Get("Authorization")] = true
					}
				}
				t.Logf("%d reads, every issued token expired at read %d: %d token requests; member-count answers %v "+
					"(200: %d, 401: %d) with %d distinct tokens", n, midway, tokens, byStatus, byStatus[200], byStatus[401], len(tokensUsed))
				if tokens != 2 {
					return fmt.Errorf("%d token requests, want 2: the first, and one more when the first expired", tokens)
				}
				if byStatus[401] < 1 || byStatus[200] != n || len(byStatus) != 2 || len(tokensUsed) != 2 {
					return fmt.Errorf("member-count answers %v with %d tokens: want at least one 401, then %d answered 200, with two tokens",
						byStatus, len(tokensUsed), n)
				}
				return nil
			},
		}},
	})
}
