package lineclient

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// benchClient is a client against the in-process mock, with both rate limits out of the way:
// these benchmarks measure the client, not the limits.
func benchClient(b *testing.B, f *linemock.Fixture) *Client {
	b.Helper()
	mock, err := linemock.New(f, linemock.WithRateLimit(0))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(mock)
	b.Cleanup(func() { mock.Close(); ts.Close() })
	c, err := New(Config{Endpoint: ts.URL, AccessToken: linemock.DemoToken, RateLimit: 1e9})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkGroupSummary(b *testing.B) {
	c := benchClient(b, linemock.DemoFixture())
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupSummaryParallel(b *testing.B) {
	c := benchClient(b, linemock.DemoFixture())
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := c.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkMemberIDsThreePages lists the demo's 250 listed members: three pages in sequence.
func BenchmarkMemberIDsThreePages(b *testing.B) {
	c := benchClient(b, linemock.DemoFixture())
	ctx := context.Background()
	for b.Loop() {
		ids, err := c.MemberIDs(ctx, GroupChat(linemock.DemoGroupAllHands))
		if err != nil || len(ids) != linemock.DemoGroupAllHandsListedCount {
			b.Fatalf("%d ids, %v", len(ids), err)
		}
	}
}

// BenchmarkMemberProfiles reads 250 profiles at the provider's parallelism.
func BenchmarkMemberProfiles(b *testing.B) {
	f := linemock.DemoFixture()
	group := linemock.Group{GroupID: fmt.Sprintf("C%032x", 0xb16), GroupName: "Company"}
	for i := range 250 {
		id := fmt.Sprintf("U%032x", 0xb16000+i)
		f.Users = append(f.Users, linemock.User{UserID: id, DisplayName: fmt.Sprintf("Member %d", i)})
		group.MemberIDs = append(group.MemberIDs, id)
	}
	f.Groups = append(f.Groups, group)
	c := benchClient(b, f)
	ctx := context.Background()
	for b.Loop() {
		profiles, skipped, err := c.MemberProfiles(ctx, GroupChat(group.GroupID), group.MemberIDs, 10)
		if err != nil || len(profiles) != 250 || len(skipped) != 0 {
			b.Fatalf("%d profiles, %d skipped, %v", len(profiles), len(skipped), err)
		}
	}
}

// BenchmarkThrottledReads is issue 10's plan under LINE's rate limit, at the client's level:
// 80 membership reads, 10 at a time (Terraform's default parallelism), against a mock that
// allows 20 requests per second per endpoint, with the provider's default rate_limit of 500.
// It reports the wall time over the floor (80 / 20 = 4 s) and the share of requests answered
// 429, for the adaptive limiter and for a fixed one (the client before issue 10).
func BenchmarkThrottledReads(b *testing.B) {
	const (
		reads     = 80
		parallel  = 10
		perSecond = 20
	)
	floor := time.Duration(reads) * time.Second / perSecond
	for _, variant := range []struct {
		name  string
		fixed bool
	}{{"adaptive", false}, {"fixed", true}} {
		b.Run(variant.name, func(b *testing.B) {
			var over time.Duration
			var throttled, requests int
			for range b.N {
				b.StopTimer()
				f := linemock.DemoFixture()
				groups := f.AddTeamGroups(reads)
				mock, err := linemock.New(f, linemock.WithRateLimit(perSecond))
				if err != nil {
					b.Fatal(err)
				}
				ts := httptest.NewServer(mock)
				cfg := Config{Endpoint: ts.URL, AccessToken: linemock.DemoToken, RateLimit: DefaultRateLimit}
				var p pacer = newLimiter(cfg.RateLimit)
				if variant.fixed {
					p = newFixedPacer(cfg.RateLimit)
				}
				c, err := newClient(cfg, p)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				g := new(errgroup.Group)
				g.SetLimit(parallel)
				for _, id := range groups {
					g.Go(func() error {
						// The provider's default read deadline.
						ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
						defer cancel()
						m, err := c.Membership(ctx, GroupChat(id))
						if err == nil && !m.IsMember {
							err = fmt.Errorf("%s: not a member", id)
						}
						return err
					})
				}
				if err := g.Wait(); err != nil {
					b.Fatal(err)
				}
				over += time.Since(start) - floor
				b.StopTimer()
				for _, r := range mock.Requests() {
					requests++
					if r.Status == http.StatusTooManyRequests {
						throttled++
					}
				}
				mock.Close()
				ts.Close()
				b.StartTimer()
			}
			b.ReportMetric(over.Seconds()/float64(b.N), "s-over-floor")
			b.ReportMetric(float64(throttled)/float64(requests), "429-share")
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}
