package linemock

import (
	"net/http/httptest"
	"testing"
)

func TestSetEndpointRateLimit(t *testing.T) {
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	// n requests to path at once; how many were refused with LINE's rate-limit 429.
	refused := func(n int, path string) int {
		n429 := 0
		for range n {
			r := httptest.NewRequest("GET", path, nil)
			r.Header.Set("Authorization", "Bearer "+DemoToken)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			switch {
			case w.Code == 429 && w.Body.String() == `{"message":"`+msgRateLimited+`"}`:
				n429++
			case w.Code != 200:
				t.Fatalf("%s: %d %s", path, w.Code, w.Body)
			}
		}
		return n429
	}
	count := "/v2/bot/group/" + DemoGroupOps + "/members/count"
	summary := "/v2/bot/group/" + DemoGroupOps + "/summary"
	// One endpoint limited while the rate limit is off for the others. Its bucket holds one
	// second's worth: of 1,000 at once, at least 1,000 − 10 − (tokens refilled meanwhile) are
	// refused, and the 10 of the full bucket pass.
	if err := s.SetEndpointRateLimit(EndpointGroupMemberCount, 10); err != nil {
		t.Fatal(err)
	}
	if got := refused(1000, count); got < 900 || got > 990 {
		t.Errorf("members/count limited to 10/s: %d of 1,000 at once refused, want 990 less what refilled", got)
	}
	if got := refused(1000, summary); got != 0 {
		t.Errorf("summary, not limited: %d of 1,000 refused", got)
	}
	// Under a limit for every endpoint, one endpoint lifted.
	s.SetRateLimit(10)
	if err := s.SetEndpointRateLimit(EndpointGroupSummary, 0); err != nil {
		t.Fatal(err)
	}
	if got := refused(1000, summary); got != 0 {
		t.Errorf("summary, lifted: %d of 1,000 refused", got)
	}
	if got := refused(1000, count); got < 900 {
		t.Errorf("members/count under SetRateLimit(10): %d of 1,000 at once refused", got)
	}
	if s.RateLimit() != 10 {
		t.Errorf("RateLimit() = %d, want SetRateLimit's 10", s.RateLimit())
	}
	// SetRateLimit sets every endpoint again.
	s.SetRateLimit(0)
	if got := refused(1000, count); got != 0 {
		t.Errorf("members/count after SetRateLimit(0): %d refused", got)
	}
	for _, name := range []string{"", AllEndpoints, "GET /nowhere"} {
		if err := s.SetEndpointRateLimit(name, 5); err == nil {
			t.Errorf("SetEndpointRateLimit(%q) accepted", name)
		}
	}
}
