package lineclient

import (
	"context"
	"testing"
	"time"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// Against the mock LINE API, whose issued tokens expire after 15 minutes of its clock: with
// the same clock moving under both, the client renews its token before LINE would refuse it.
func TestStatelessTokenRenewalAgainstTheMock(t *testing.T) {
	clock := linemock.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	mock, ts := linemocktest.Start(t, nil, linemock.WithClock(clock))

	c, err := New(Config{Endpoint: ts.URL, ChannelID: linemock.DemoChannelID, ChannelSecret: linemock.DemoChannelSecret, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Two hours of a long run, a call every 5 minutes: never a 401, a token every 13 minutes.
	for minute := 0; minute <= 120; minute += 5 {
		if _, err := c.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
			t.Fatalf("minute %d: %v", minute, err)
		}
		c.issuer.settleRenewal() // a renewal started by this call ends before the clock moves on
		clock.Advance(5 * time.Minute)
	}
	issued := mock.CountRequests(linemock.EndpointStatelessToken)
	if issued < 8 || issued > 13 {
		t.Fatalf("%d tokens issued over two hours, want one per 13 minutes or so", issued)
	}
	for _, r := range mock.Requests() {
		if r.Status == 401 {
			t.Fatalf("LINE refused a token at %s", r.Time)
		}
	}
}
