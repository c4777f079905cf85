package linemock

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentUse hammers reads, leaves, pagination, the token endpoint, controls and
// the request log from many goroutines. Run with -race; it also checks that every answer
// is one LINE could give.
func TestConcurrentUse(t *testing.T) {
	s, ts, clock := newTestServer(t, nil)
	s.SetFault(EndpointBotInfo, Fault{Rate429: 0.2, Rate500: 0.1})
	const workers, rounds = 16, 40
	var wg sync.WaitGroup
	var bad atomic.Int64
	check := func(a answer, allowed ...int) {
		for _, st := range allowed {
			if a.status == st {
				return
			}
		}
		if bad.Add(1) <= 5 {
			t.Errorf("unexpected %d %s", a.status, a.body)
		}
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				switch (w + i) % 8 {
				case 0:
					check(get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/summary"), 200, 404)
				case 1:
					check(get(t, ts, "/v2/bot/group/"+DemoGroupOps+"/members/count"), 200, 404)
				case 2:
					a := get(t, ts, "/v2/bot/group/"+DemoGroupAllHands+"/members/ids")
					check(a, 200, 403, 404)
					if a.status == 200 {
						if next, _ := a.json(t)["next"].(string); next != "" {
							check(get(t, ts, "/v2/bot/group/"+DemoGroupAllHands+"/members/ids?start="+url.QueryEscape(next)), 200, 400, 403, 404)
						}
					}
				case 3:
					check(post(t, ts, "/v2/bot/group/"+DemoGroupOps+"/leave"), 200, 404)
					check(post(t, ts, "/v2/bot/room/"+DemoRoom+"/leave"), 200)
				case 4:
					_ = s.InviteBot(DemoGroupOps)
					_ = s.InviteBot(DemoRoom)
					_ = s.RenameGroup(DemoGroupOps, fmt.Sprintf("Ops %d-%d", w, i))
					_ = s.SetGroupPicture(DemoGroupOps, "")
				case 5:
					user := fmt.Sprintf("U%08x%024x", w, i)
					if err := s.AddUser(User{UserID: user, DisplayName: "u"}); err != nil {
						t.Error(err)
					}
					if err := s.AddMember(DemoGroupAllHands, user); err != nil {
						t.Error(err)
					}
					check(get(t, ts, "/v2/bot/group/"+DemoGroupAllHands+"/member/"+user), 200, 404)
					_ = s.RemoveMember(DemoGroupAllHands, DemoUserAiko)
					_ = s.AddMember(DemoGroupAllHands, DemoUserAiko)
				case 6:
					s.SetVerified(i%2 == 0)
					_ = s.Snapshot()
					_ = s.Requests()
					_ = s.CountRequests(EndpointGroupSummary)
					clock.Advance(1)
					check(get(t, ts, "/v2/bot/info"), 200, 429, 500)
				case 7:
					a := callBody(t, ts, "POST", "/oauth2/v3/token", formHeader,
						"grant_type=client_credentials&client_id="+DemoChannelID+"&client_secret="+DemoChannelSecret)
					check(a, 200)
					check(get(t, ts, "/_mock/state"), 200)
					check(get(t, ts, "/_mock/requests"), 200)
					s.SetFault(EndpointRoomMemberCount, Fault{Rate500: float64(i%2) * 0.5})
				}
			}
		}()
	}
	wg.Wait()
	s.SetVerified(true)
	_ = s.InviteBot(DemoGroupOps)
	// Every added member is there exactly once.
	p := get(t, ts, "/v2/bot/group/"+DemoGroupAllHands+"/members/count")
	want := fmt.Sprintf(`{"count":%d}`, DemoGroupAllHandsMemberCount+workers*rounds/8)
	if p.status != http.StatusOK || string(p.body) != want {
		t.Errorf("all-hands count after the storm: %s, want %s", p.body, want)
	}
	if n := s.CountRequests(""); n < workers*rounds {
		t.Errorf("only %d requests recorded", n)
	}
	if err := s.Snapshot().validate(); err != nil {
		t.Errorf("the world after the storm is not a valid fixture: %v", err)
	}
}
