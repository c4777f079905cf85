package lineclient

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
	"github.com/tf-line/terraform-provider-line/internal/linemock/linemocktest"
)

// Issue 18 against the mock, whose issued tokens expire by the same manual clock as the
// client's: no token ever fails an operation while LINE can issue another.

// tokenMock is a mock LINE and a client that issues stateless tokens from the demo channel,
// both on one manual clock.
type tokenMock struct {
	*linemock.Server
	clock  *linemock.ManualClock
	client *Client
}

// newTokenMock takes client options (see testClient), the mock's (linemock.Option), and a
// func(http.Handler) http.Handler to put in front of the mock. The mock's seed comes from
// LINEMOCK_SEED when set, and is logged.
func newTokenMock(t *testing.T, f *linemock.Fixture, options ...any) *tokenMock {
	t.Helper()
	if f == nil {
		f = linemock.DemoFixture()
	}
	clock := linemock.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	mockOptions := []linemock.Option{linemock.WithClock(clock), linemock.WithRateLimit(0)}
	var wraps []func(http.Handler) http.Handler
	options = slices.DeleteFunc(options, func(o any) bool {
		switch o := o.(type) {
		case linemock.Option:
			mockOptions = append(mockOptions, o)
		case func(http.Handler) http.Handler:
			wraps = append(wraps, o)
		default:
			return false
		}
		return true
	})
	mock, err := linemock.New(f, linemocktest.Options(t, mockOptions...)...)
	if err != nil {
		t.Fatal(err)
	}
	linemocktest.LogSeed(t, mock)
	var handler http.Handler = mock
	for _, wrap := range wraps {
		handler = wrap(handler)
	}
	ts := httptest.NewServer(handler)
	t.Cleanup(func() { mock.Close(); ts.Close() })
	cfg := Config{Endpoint: ts.URL, ChannelID: linemock.DemoChannelID, ChannelSecret: linemock.DemoChannelSecret,
		Now: clock.Now, MaxRetries: 3, RequestTimeout: 30 * time.Second, RateLimit: 10000}
	c := testClient(t, cfg, append([]any{fastBackoff}, options...)...)
	t.Cleanup(c.issuer.settleRenewal)
	return &tokenMock{Server: mock, clock: clock, client: c}
}

// bearer is the token a recorded request carried.
func bearer(r linemock.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

// requestsTo are the recorded requests to one endpoint.
func (m *tokenMock) requestsTo(endpoint string) []linemock.Request {
	var out []linemock.Request
	for _, r := range m.Requests() {
		if r.Endpoint == endpoint {
			out = append(out, r)
		}
	}
	return out
}

// A call that starts with a fresh token and is throttled past its expiry takes the current
// token on every attempt: the attempt after expiry waits for one new token and succeeds,
// without LINE ever seeing the expired token.
func TestCallSpanningExpiryWhileThrottled(t *testing.T) {
	var throttled atomic.Int32
	var m *tokenMock
	p := &hookPacer{onDone: func(sc scope, o outcome) {
		if o == outcomeRateLimited && throttled.Add(1) == 3 {
			m.clock.Advance(16 * time.Minute) // the token the call started with has expired
			m.SetFault(linemock.EndpointGroupSummary, linemock.Fault{})
		}
	}}
	m = newTokenMock(t, nil, p)
	ctx := context.Background()
	if _, err := m.client.BotInfo(ctx); err != nil {
		t.Fatal(err)
	}
	m.SetFault(linemock.EndpointGroupSummary, linemock.Fault{Rate429: 1})
	if _, err := m.client.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
		t.Fatalf("the throttled call failed: %v", err)
	}
	tokens := m.requestsTo(linemock.EndpointStatelessToken)
	summaries := m.requestsTo(linemock.EndpointGroupSummary)
	if len(tokens) != 2 || len(summaries) != 4 {
		t.Fatalf("%d token requests and %d summary requests, want 2 (one new token) and 4 (three 429s, then 200)", len(tokens), len(summaries))
	}
	first := bearer(m.requestsTo(linemock.EndpointBotInfo)[0])
	for i, r := range summaries {
		want, status := first, http.StatusTooManyRequests
		if i == 3 {
			status = http.StatusOK
		}
		if r.Status != status || (i < 3) != (bearer(r) == want) {
			t.Errorf("summary attempt %d: %d with the first token %v; want %d, the first token only before the expiry", i+1, r.Status, bearer(r) == first, status)
		}
	}
	for _, r := range m.Requests() {
		if r.Status == http.StatusUnauthorized {
			t.Errorf("LINE refused a token: %s %s", r.Method, r.Path)
		}
	}
}

// Every issued token stops working while many operations use it (as clock skew between this
// machine and LINE would make it): each operation meets one 401, they all share one new
// token, and all succeed.
func TestA401StormSharesOneNewToken(t *testing.T) {
	const n = 20
	f := linemock.DemoFixture()
	groups := f.AddTeamGroups(n)
	// The first attempts of the n reads reach LINE together, all with the first token: none
	// is answered before all have been sent.
	gate := make(chan struct{})
	var arrived atomic.Int32
	together := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/members/count") {
				if k := arrived.Add(1); k <= n {
					if k == n {
						close(gate)
					}
					<-gate
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	m := newTokenMock(t, f, &hookPacer{}, together)
	ctx := context.Background()
	if _, err := m.client.BotInfo(ctx); err != nil {
		t.Fatal(err)
	}
	m.ExpireIssuedTokens()
	var wg sync.WaitGroup
	for _, id := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := m.client.MemberCount(ctx, GroupChat(id)); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}()
	}
	wg.Wait()
	tokens := m.requestsTo(linemock.EndpointStatelessToken)
	counts := m.requestsTo(linemock.EndpointGroupMemberCount)
	if len(tokens) != 2 {
		t.Fatalf("%d token requests, want 2: the first, and one new token for the %d operations that met a 401", len(tokens), n)
	}
	byStatus := map[int]map[string]bool{}
	for _, r := range counts {
		if byStatus[r.Status] == nil {
			byStatus[r.Status] = map[string]bool{}
		}
		byStatus[r.Status][bearer(r)] = true
	}
	if len(counts) != 2*n || len(byStatus[401]) != 1 || len(byStatus[200]) != 1 || len(byStatus) != 2 {
		t.Fatalf("%d member-count requests with tokens by status %v, want %d: one 401 each with the old token, then one 200 each with one new token", len(counts), byStatus, 2*n)
	}
}

// renewalMock is a token that has 2 minutes of life left (renewing), with a token endpoint
// that answers 500 from now on, and a log to read.
func renewalMock(t *testing.T) (*tokenMock, *bytes.Buffer, context.Context) {
	t.Helper()
	m := newTokenMock(t, nil, &hookPacer{}, func(c *Config) { c.MaxRetries = 1 })
	var log bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &log)
	if _, err := m.client.GroupSummary(ctx, linemock.DemoGroupOps); err != nil {
		t.Fatal(err)
	}
	m.SetFault(linemock.EndpointStatelessToken, linemock.Fault{Rate500: 1})
	m.clock.Advance(13 * time.Minute)
	return m, &log, ctx
}

func warnings(t *testing.T, log *bytes.Buffer) []map[string]any {
	t.Helper()
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(log.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range entries {
		if e["@level"] == "warn" {
			out = append(out, e)
		}
	}
	return out
}

// A renewal that fails while the token has time left never fails a call: the token is served,
// and the failure is logged at WARN once, with LINE's answer.
func TestRenewalFailingWithTimeLeftServesTheToken(t *testing.T) {
	m, log, ctx := renewalMock(t)
	for i := range 3 {
		if _, err := m.client.GroupSummary(ctx, linemock.DemoGroupRelease); err != nil {
			t.Fatalf("call %d with 2 minutes of token left: %v", i+1, err)
		}
		m.client.issuer.settleRenewal()
		m.clock.Advance(5 * time.Second) // past the remembered failure: renewal is tried again
	}
	warns := warnings(t, log)
	if len(warns) != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", len(warns), log)
	}
	msg, _ := warns[0]["@message"].(string)
	if errText, _ := warns[0]["error"].(string); !strings.Contains(msg, "renew") || !strings.Contains(errText, "LINE answered 500: Internal server error") {
		t.Errorf("warning %v, want the renewal and LINE's answer", warns[0])
	}
	if strings.Contains(log.String(), linemock.DemoChannelSecret) {
		t.Error("the channel secret reached the log")
	}
	// Three renewals, each max_retries + 1 = 2 token requests; no summary was refused.
	if got := len(m.requestsTo(linemock.EndpointStatelessToken)); got != 1+3*2 {
		t.Errorf("%d token requests, want the first and 3 renewals of 2 attempts", got)
	}
	for _, r := range m.requestsTo(linemock.EndpointGroupSummary) {
		if r.Status != http.StatusOK {
			t.Errorf("a summary was answered %d", r.Status)
		}
	}
}

// Once the token has no more than request_timeout of life, a failed renewal fails the call,
// naming the token endpoint's answer; LINE never sees the token that was about to expire.
func TestRenewalFailingAfterExpiryNamesTheTokenEndpointsAnswer(t *testing.T) {
	m, _, ctx := renewalMock(t)
	summaries := len(m.requestsTo(linemock.EndpointGroupSummary))
	m.clock.Advance(111 * time.Second) // 9s of life left, less than request_timeout
	_, err := m.client.GroupSummary(ctx, linemock.DemoGroupRelease)
	var tokenErr *TokenError
	if !errors.As(err, &tokenErr) || !strings.Contains(err.Error(), "issue stateless channel access token: LINE answered 500: Internal server error") {
		t.Fatalf("err = %v, want the token endpoint's 500", err)
	}
	if got := len(m.requestsTo(linemock.EndpointGroupSummary)); got != summaries {
		t.Errorf("%d summary requests went out with a token about to expire", got-summaries)
	}
	// The token endpoint recovers: the next call gets a token.
	m.ClearFaults()
	m.clock.Advance(5 * time.Second)
	if _, err := m.client.GroupSummary(ctx, linemock.DemoGroupRelease); err != nil {
		t.Fatalf("after the token endpoint recovered: %v", err)
	}
}

// A push whose token LINE stops accepting between two attempts keeps its X-Line-Retry-Key on
// the attempt with the new token: the message whose first answer was lost is posted once.
func TestPushKeepsItsRetryKeyAcrossATokenReplacement(t *testing.T) {
	var m *tokenMock
	var pushes atomic.Int32
	p := &hookPacer{onDone: func(sc scope, _ outcome) {
		if sc == "POST /v2/bot/message/push" && pushes.Add(1) == 1 {
			// The first push was carried out and its answer lost; then LINE stops accepting
			// the token it carried.
			m.SetFault(linemock.EndpointPushMessage, linemock.Fault{})
			if err := m.RevokeIssuedToken(bearer(m.requestsTo(linemock.EndpointPushMessage)[0])); err != nil {
				panic(err)
			}
		}
	}}
	m = newTokenMock(t, nil, p)
	m.SetFault(linemock.EndpointPushMessage, linemock.Fault{LostResponse: 1})
	res, err := m.client.Push(context.Background(), Push{Chat: GroupChat(linemock.DemoGroupOps), Text: "deploy done"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.AlreadyAccepted {
		t.Errorf("result %+v, want LINE's 409: the lost attempt was delivered", res)
	}
	reqs := m.requestsTo(linemock.EndpointPushMessage)
	var statuses []int
	for _, r := range reqs {
		statuses = append(statuses, r.Status)
		if r.Header.Get("X-Line-Retry-Key") != res.RetryKey {
			t.Errorf("a push carried the retry key %q, want %q on every attempt", r.Header.Get("X-Line-Retry-Key"), res.RetryKey)
		}
	}
	if !slices.Equal(statuses, []int{500, 401, 409}) || bearer(reqs[1]) != bearer(reqs[0]) || bearer(reqs[2]) == bearer(reqs[0]) {
		t.Fatalf("push answers %v; want the lost 500, the 401 to the same token, and 409 with a new one", statuses)
	}
	if n := len(m.PushedMessages()); n != 1 {
		t.Fatalf("%d messages posted, want 1", n)
	}
	if n := len(m.requestsTo(linemock.EndpointStatelessToken)); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
}
