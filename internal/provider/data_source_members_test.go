package provider

import (
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// listedMembers is what LINE lists for a chat: its members in order, less those without consent.
func listedMembers(t *testing.T, mock *mockLINE, chatID string) []knownvalue.Check {
	t.Helper()
	world := mock.Snapshot()
	noConsent := map[string]bool{}
	for _, u := range world.Users {
		noConsent[u.UserID] = u.NoConsent
	}
	var members []string
	for _, g := range world.Groups {
		if g.GroupID == chatID {
			members = g.MemberIDs
		}
	}
	for _, r := range world.Rooms {
		if r.RoomID == chatID {
			members = r.MemberIDs
		}
	}
	var checks []knownvalue.Check
	for _, id := range members {
		if !noConsent[id] {
			checks = append(checks, knownvalue.StringExact(id))
		}
	}
	return checks
}

func TestAccGroupMembersDataSource_threePages(t *testing.T) {
	mock := newMockLINE(t, nil)
	want := listedMembers(t, mock, linemock.DemoGroupAllHands)
	if len(want) != linemock.DemoGroupAllHandsListedCount {
		t.Fatalf("the demo group lists %d members, want %d", len(want), linemock.DemoGroupAllHandsListedCount)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_members" "all" {
  group_id = "` + linemock.DemoGroupAllHands + `"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Every page, in LINE's order; the member without consent is not listed.
				statecheck.ExpectKnownValue("data.line_group_members.all", tfjsonpath.New("user_ids"), knownvalue.ListExact(want)),
				statecheck.ExpectKnownValue("data.line_group_members.all", tfjsonpath.New("include_profiles"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.line_group_members.all", tfjsonpath.New("profiles"), knownvalue.Null()),
			},
			Check: func(*terraform.State) error { return checkThreePageReads(mock) },
		}},
	})
}

// checkThreePageReads checks that every read of the member list took three pages: one
// request without a continuation token, then two with one.
func checkThreePageReads(mock *mockLINE) error {
	first, next := 0, 0
	for _, r := range mock.Requests() {
		if r.Endpoint != linemock.EndpointGroupMemberIDs {
			continue
		}
		if r.Query.Get("start") == "" {
			first++
		} else {
			next++
		}
	}
	if first == 0 || next != 2*first {
		return fmt.Errorf("member ID requests: %d first pages and %d next pages, want 2 next pages for each first", first, next)
	}
	return nil
}

func TestAccRoomMembersDataSource(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_room_members" "room" {
  room_id = "` + linemock.DemoRoom + `"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_room_members.room", tfjsonpath.New("room_id"), knownvalue.StringExact(linemock.DemoRoom)),
				statecheck.ExpectKnownValue("data.line_room_members.room", tfjsonpath.New("user_ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(linemock.DemoUserAiko),
					knownvalue.StringExact(linemock.DemoUserBen),
					knownvalue.StringExact(linemock.DemoUserEmi),
				})),
			},
		}},
	})
}

func TestAccGroupMembersDataSource_consent(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			// Daichi is in the group and counted, but never consented to profile access:
			// LINE leaves him out of the list.
			Config: mock.config(`
data "line_group_members" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
data "line_group_member_count" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_group_members.ops", tfjsonpath.New("user_ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(linemock.DemoUserAiko),
					knownvalue.StringExact(linemock.DemoUserBen),
					knownvalue.StringExact(linemock.DemoUserChika),
				})),
				statecheck.ExpectKnownValue("data.line_group_member_count.ops", tfjsonpath.New("member_count"), knownvalue.Int64Exact(4)),
			},
		}},
	})
}

func TestAccGroupMembersDataSource_unverifiedAccount(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetVerified(false)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_members" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}`),
			ExpectError: wrapped(`LINE answered 403: Access to this API is not available for your account .*` +
				`needs a verified or premium LINE Official Account`),
		}},
	})
}

func TestAccGroupMembersDataSource_includeProfiles(t *testing.T) {
	mock := newMockLINE(t, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.config(`
data "line_group_members" "ops" {
  group_id         = "` + linemock.DemoGroupOps + `"
  include_profiles = true
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_group_members.ops", tfjsonpath.New("include_profiles"), knownvalue.Bool(true)),
				// In LINE's member order; Ben and Chika have no picture: null.
				statecheck.ExpectKnownValue("data.line_group_members.ops", tfjsonpath.New("profiles"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"user_id":      knownvalue.StringExact(linemock.DemoUserAiko),
						"display_name": knownvalue.StringExact("Aiko"),
						"picture_url":  knownvalue.StringRegexp(regexp.MustCompile(`^https://`)),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"user_id":      knownvalue.StringExact(linemock.DemoUserBen),
						"display_name": knownvalue.StringExact("Ben"),
						"picture_url":  knownvalue.Null(),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"user_id":      knownvalue.StringExact(linemock.DemoUserChika),
						"display_name": knownvalue.StringExact("Chika"),
						"picture_url":  knownvalue.Null(),
					}),
				})),
			},
		}},
	})
}

// afterListing returns a PreConfig that runs change once the mock has answered a listing of
// members (endpoint) with 200, from a goroutine that stops with the test: it gives up with an
// error after a minute, and the test's cleanup waits for it.
func afterListing(t *testing.T, mock *mockLINE, endpoint string, change func() error) func() {
	return func() {
		done := make(chan struct{})
		var wg sync.WaitGroup
		t.Cleanup(func() {
			close(done)
			wg.Wait()
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			timeout := time.After(time.Minute)
			for {
				for _, r := range mock.Requests() {
					if r.Endpoint == endpoint && r.Status == 200 {
						if err := change(); err != nil {
							t.Error(err)
						}
						return
					}
				}
				select {
				case <-tick.C:
				case <-done:
					return
				case <-timeout:
					t.Errorf("no %s answered 200 within a minute", endpoint)
					return
				}
			}
		}()
	}
}

// A member who leaves between the listing and the profile reads is left out of profiles (with
// a warning), not an error.
func TestAccRoomMembersDataSource_memberLeavesDuringRead(t *testing.T) {
	mock := newMockLINE(t, nil)
	// Profile reads wait long enough for Ben to leave once the listing has been answered.
	mock.SetFault(linemock.EndpointRoomMemberProfile, linemock.Fault{Latency: 500 * time.Millisecond})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig: afterListing(t, mock, linemock.EndpointRoomMemberIDs, func() error {
				return mock.RemoveMember(linemock.DemoRoom, linemock.DemoUserBen)
			}),
			Config: mock.config(`
data "line_room_members" "room" {
  room_id          = "` + linemock.DemoRoom + `"
  include_profiles = true
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Listed with Ben, who then left: his profile is missing, and nothing failed.
				statecheck.ExpectKnownValue("data.line_room_members.room", tfjsonpath.New("user_ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(linemock.DemoUserAiko),
					knownvalue.StringExact(linemock.DemoUserBen),
					knownvalue.StringExact(linemock.DemoUserEmi),
				})),
				statecheck.ExpectKnownValue("data.line_room_members.room", tfjsonpath.New("profiles"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"user_id": knownvalue.StringExact(linemock.DemoUserAiko)}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"user_id": knownvalue.StringExact(linemock.DemoUserEmi)}),
				})),
			},
		}},
	})
}

// The bot removed between the listing and the profile reads: every profile read answers 404,
// and the read fails with the not-in-chat error instead of an empty list and a warning per
// member. (Needs the client to check the membership when every profile read answers 404.)
func TestAccGroupMembersDataSource_botRemovedDuringRead(t *testing.T) {
	mock := newMockLINE(t, nil)
	mock.SetFault(linemock.EndpointGroupMemberProfile, linemock.Fault{Latency: 500 * time.Millisecond})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig: afterListing(t, mock, linemock.EndpointGroupMemberIDs, func() error {
				return mock.KickBot(linemock.DemoGroupOps)
			}),
			Config: mock.config(`
data "line_group_members" "ops" {
  group_id         = "` + linemock.DemoGroupOps + `"
  include_profiles = true
}`),
			ExpectError: wrapped(`Unable to read the profiles of the members of group chat ` + linemock.DemoGroupOps + `.*` +
				`LINE answered 404`),
		}},
	})
	if mock.botJoined(t, linemock.DemoGroupOps) {
		t.Fatal("the bot is still in the group: the test did not remove it")
	}
}
