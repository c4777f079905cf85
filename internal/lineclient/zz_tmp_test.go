package lineclient

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/sync/errgroup"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestZZColdStart(t *testing.T) {
	f := linemock.DemoFixture()
	groups := f.AddTeamGroups(300)
	mock, _ := linemock.New(f, linemock.WithRateLimit(0))
	mock.SetEndpointRateLimit(linemock.EndpointGroupMemberCount, 12)
	ts := httptest.NewServer(mock)
	defer ts.Close()
	log := &attemptLog{next: cleanhttp.DefaultPooledTransport()}
	l := newLimiter(500)
	c, _ := newClient(Config{Endpoint: ts.URL, AccessToken: linemock.DemoToken, Transport: log}, l)
	start := time.Now()
	g := new(errgroup.Group)
	g.SetLimit(10)
	for _, id := range groups {
		g.Go(func() error { _, err := c.MemberCount(context.Background(), GroupChat(id)); return err })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	n429 := 0
	for _, a := range log.answers {
		if a.status == 429 {
			n429++
			fmt.Printf("429 at %.2fs\n", a.at.Sub(start).Seconds())
		}
	}
	fmt.Printf("%d of %d; took %s\n", n429, len(log.answers), time.Since(start))
}
