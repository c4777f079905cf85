package main

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestKickAndAsk(t *testing.T) {
	mock, err := linemock.New(linemock.DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock)
	defer ts.Close()
	var out bytes.Buffer
	if err := run([]string{"post", ts.URL + "/_mock/chats/" + linemock.DemoGroupOps + "/kick"}, &out); err != nil {
		t.Fatal(err)
	}
	if joined, _ := mock.BotJoined(linemock.DemoGroupOps); joined {
		t.Fatal("the kick did not reach the mock")
	}
	out.Reset()
	if err := run([]string{"GET", ts.URL + "/_mock/chats/" + linemock.DemoGroupOps}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"botJoined":false`) {
		t.Fatalf("answer = %s", out.String())
	}
	if err := run([]string{"POST", ts.URL + "/_mock/chats/C123/kick"}, &out); err == nil {
		t.Fatal("an error answer did not fail")
	}
	if err := run([]string{"GET"}, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("err = %v, want the usage", err)
	}
}
