package lineclient

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// recordingTransport answers every request with a 200 and remembers the paths asked for.
type recordingTransport struct {
	mu    sync.Mutex
	paths []string
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.paths = append(rt.paths, req.Method+" "+req.URL.EscapedPath())
	rt.mu.Unlock()
	return &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       http.NoBody,
		Request:    req,
	}, nil
}

// endpointPaths are the only requests the client may make with IDs in them.
var endpointPaths = regexp.MustCompile(`^(GET /v2/bot/group/C[0-9a-f]{32}/(summary|members/count|members/ids|member/U[0-9a-f]{32})` +
	`|GET /v2/bot/room/R[0-9a-f]{32}/(members/count|members/ids|member/U[0-9a-f]{32})` +
	`|POST /v2/bot/(group/C|room/R)[0-9a-f]{32}/leave)$`)

// FuzzNoRequestOutsideTheEndpoints feeds arbitrary IDs to every call that puts an ID in a
// path: each either is refused before any request or asks for exactly its endpoint.
func FuzzNoRequestOutsideTheEndpoints(f *testing.F) {
	for _, seed := range []string{groupID, roomID, userID, "C1/../x", "../../oauth2/v3/token", "C%2e%2e", groupID + "?x=1", "", "\x00"} {
		f.Add(seed, seed)
	}
	f.Fuzz(func(t *testing.T, chatID, userID string) {
		rt := &recordingTransport{}
		c, err := New(Config{AccessToken: testToken, Endpoint: "https://api.line.me", Transport: rt, MaxRetries: 0})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		calls := []func() error{
			func() error { _, err := c.GroupSummary(ctx, chatID); return err },
			func() error { _, err := c.MemberCount(ctx, GroupChat(chatID)); return err },
			func() error { _, err := c.MemberCount(ctx, RoomChat(chatID)); return err },
			func() error { _, err := c.MemberIDs(ctx, GroupChat(chatID)); return err },
			func() error { _, err := c.MemberIDs(ctx, RoomChat(chatID)); return err },
			func() error { _, err := c.MemberProfile(ctx, GroupChat(chatID), userID); return err },
			func() error { _, err := c.MemberProfile(ctx, RoomChat(chatID), userID); return err },
			func() error { return c.Leave(ctx, GroupChat(chatID)) },
			func() error { return c.Leave(ctx, RoomChat(chatID)) },
			func() error {
				chat, err := ParseChat(chatID)
				if err != nil {
					return err
				}
				_, err = c.Membership(ctx, chat)
				return err
			},
		}
		for _, call := range calls {
			before := len(rt.paths)
			err := call()
			var idErr *InvalidIDError
			if errors.As(err, &idErr) && len(rt.paths) != before {
				t.Fatalf("refused %q but made a request", chatID)
			}
		}
		for _, p := range rt.paths {
			if !endpointPaths.MatchString(p) || !strings.Contains(p, chatID) {
				t.Fatalf("chat %q, user %q: request %q is outside the intended endpoints", chatID, userID, p)
			}
		}
	})
}
