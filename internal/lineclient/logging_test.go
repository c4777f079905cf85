package lineclient

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestLogsNameTheRequestButNeverTheToken(t *testing.T) {
	f := newFakeLINE(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"groupId": groupID, "groupName": "Ops"})
	})
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	if _, err := f.client(t).GroupSummary(ctx, groupID); err != nil {
		t.Fatal(err)
	}
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var request, headers map[string]any
	for _, e := range entries {
		switch e["@message"] {
		case "LINE API request":
			request = e
		case "LINE API request headers":
			headers = e
		}
	}
	if request == nil || request["@level"] != "debug" || request["method"] != "GET" ||
		request["path"] != "/v2/bot/group/"+groupID+"/summary" || request["status"] != float64(200) ||
		request["request_id"] == "" || request["duration_ms"] == nil {
		t.Fatalf("request log entry = %v", request)
	}
	if headers == nil || headers["authorization_set"] != true {
		t.Fatalf("headers log entry = %v, want authorization_set true", headers)
	}
	if _, ok := headers["authorization"]; ok {
		t.Fatalf("headers log entry = %v: the Authorization field is logged, even masked", headers)
	}
	for _, secret := range []string{testToken, "Bearer", "***"} {
		if strings.Contains(out.String(), secret) {
			t.Fatalf("%q reached the log:\n%s", secret, out.String())
		}
	}
}

func TestLogsNeverHoldTheChannelSecretOrIssuedToken(t *testing.T) {
	l := newTokenLINE(t)
	c := l.client(t, func(c *Config) {
		c.AccessToken, c.ChannelID, c.ChannelSecret = "", testChannelID, testChannelSecret
	})
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	if _, err := c.MemberCount(ctx, GroupChat(groupID)); err != nil {
		t.Fatal(err)
	}
	log := out.String()
	if !strings.Contains(log, `"authorization_set":true`) {
		t.Fatalf("no authorization_set in:\n%s", log)
	}
	if !strings.Contains(log, "Issued a stateless channel access token") {
		t.Fatalf("no log of the token issue in:\n%s", log)
	}
	for _, secret := range []string{testChannelSecret, "issued-1", "Bearer"} {
		if strings.Contains(log, secret) {
			t.Fatalf("%q reached the log:\n%s", secret, log)
		}
	}
}
