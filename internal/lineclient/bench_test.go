package lineclient

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

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
