// Command lineids prints the chat and user IDs that LINE sends a bot in its webhook events,
// so that a team can find the group, room and user IDs its configuration needs. LINE has no
// API call that lists the chats a bot is in, and LINE Official Account Manager does not show
// their IDs: a join event, or any message in the chat, is where they appear.
//
//	LINE_CHANNEL_SECRET=... go run ./internal/cmd/lineids [-addr 127.0.0.1:8080]
//
// It listens for the webhook posts LINE sends to the channel's webhook URL (put a tunnel in
// front of it: LINE posts only to public https URLs), checks each post's X-Line-Signature
// with the channel secret through line-bot-sdk-go's webhook package, answers 200 at once, and
// prints one line per event on standard output:
//
//	join         group C0c500000000000000000000000000001
//	message      group C0c500000000000000000000000000001 user U1a2b3c4d5e6f708192a3b4c5d6e7f8091
//	memberJoined room  R400b0000000000000000000000000001 user U1a2b3c4d5e6f708192a3b4c5d6e7f8091
//	follow       user  U1a2b3c4d5e6f708192a3b4c5d6e7f8091
//
// A post whose signature does not verify is refused with 400 and prints nothing on standard
// output (standard error says why); a post over 1 MiB is refused with 413, before its
// signature can be checked, and prints nothing either. Its first line on standard error is
// "listening on http://HOST:PORT". SIGINT or SIGTERM stops it (exit 0); a missing secret or a
// bad flag exits 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"

	"github.com/tf-line/terraform-provider-line/internal/cmd/cmdflags"
)

// envSecret is where the channel secret comes from: the same variable the provider reads.
const envSecret = "LINE_CHANNEL_SECRET"

// maxBody bounds a webhook post. LINE's posts hold a few events and are far smaller.
const maxBody = 1 << 20

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole command, returning its exit code: 0 after SIGINT or SIGTERM, 2 for a bad
// flag or a missing secret, 1 when it cannot listen or serve.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lineids", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: LINE_CHANNEL_SECRET=... lineids [-addr HOST:PORT]\n\n"+
			"Prints the chat and user IDs in the webhook events LINE posts to this address.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, goOn := cmdflags.Parse(fs, args); !goOn {
		return code
	}
	secret := getenv(envSecret)
	if secret == "" {
		fmt.Fprintln(stderr, "lineids: "+envSecret+" is not set. Set it to the channel secret (LINE Developers "+
			"Console, the Messaging API channel's Basic settings): LINE signs every webhook post with it, and "+
			"lineids prints nothing it cannot verify.")
		return 2
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "lineids: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "listening on http://%s\n", ln.Addr())
	fmt.Fprintln(stderr, "lineids: set the channel's webhook URL to a public https address that forwards here "+
		"(a tunnel), turn on \"Use webhook\", then invite the bot to a chat or post in one.")

	srv := &http.Server{Handler: newHandler(secret, stdout, stderr), ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		fmt.Fprintf(stderr, "lineids: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "lineids: %v\n", err)
		return 1
	}
	return 0
}

// newHandler answers LINE's webhook posts: 400 for a post whose signature does not verify
// (nothing printed), 200 at once for one that does, then one line per event on events.
func newHandler(secret string, events, diagnostics io.Writer) http.Handler {
	var mu sync.Mutex // one post's lines stay together, and writes never interleave
	warn := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(diagnostics, "lineids: "+format+"\n", args...)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "LINE posts webhook events with POST", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		cb, err := webhook.ParseRequest(secret, r)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.Is(err, webhook.ErrInvalidSignature):
			warn("refused a post from %s: its X-Line-Signature does not verify with %s (is it this "+
				"channel's secret?)", r.RemoteAddr, envSecret)
			http.Error(w, "invalid signature", http.StatusBadRequest)
			return
		case errors.As(err, &tooLarge):
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			// The SDK's error quotes the body: say only what is wrong.
			warn("refused a signed post from %s: its body is not a LINE webhook request", r.RemoteAddr)
			http.Error(w, "not a LINE webhook request", http.StatusBadRequest)
			return
		}
		// LINE wants its answer quickly; printing comes after.
		w.WriteHeader(http.StatusOK)
		_ = http.NewResponseController(w).Flush()

		mu.Lock()
		defer mu.Unlock()
		for _, ev := range cb.Events {
			fmt.Fprintln(events, describe(ev))
		}
	})
}

// describe is an event's line: its type, the chat kind and ID (or the user, for a one-to-one
// chat), then the users it names, if any.
func describe(ev webhook.EventInterface) string {
	kind, id, users := sourceFields(sourceOf(ev))
	users = append(users, membersOf(ev)...)
	line := fmt.Sprintf("%-12s %-5s %s", ev.GetType(), kind, id)
	if len(users) > 0 {
		line += " user " + strings.Join(users, " ")
	}
	return strings.TrimRight(line, " ")
}

// sourceOf is the event's source. Every event type of the SDK keeps it in a field named
// Source; reading that field by reflection covers the types LINE and the SDK add later. An
// event type the SDK does not know keeps its JSON.
func sourceOf(ev webhook.EventInterface) webhook.SourceInterface {
	if unknown, ok := ev.(webhook.UnknownEvent); ok {
		if raw, ok := unknown.Raw["source"]; ok {
			if src, err := webhook.UnmarshalSource(raw); err == nil {
				return src
			}
		}
		return nil
	}
	v := reflect.ValueOf(ev)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("Source")
	if !f.IsValid() || f.Kind() != reflect.Interface || f.IsNil() {
		return nil
	}
	src, _ := f.Interface().(webhook.SourceInterface)
	return src
}

// sourceFields names a source: its kind ("group", "room", "user"), its ID, and the user who
// caused the event, when LINE says.
func sourceFields(src webhook.SourceInterface) (kind, id string, users []string) {
	user := func(u string) []string {
		if u == "" {
			return nil
		}
		return []string{u}
	}
	switch s := src.(type) {
	case webhook.GroupSource:
		return "group", s.GroupId, user(s.UserId)
	case *webhook.GroupSource:
		return "group", s.GroupId, user(s.UserId)
	case webhook.RoomSource:
		return "room", s.RoomId, user(s.UserId)
	case *webhook.RoomSource:
		return "room", s.RoomId, user(s.UserId)
	case webhook.UserSource:
		return "user", s.UserId, nil
	case *webhook.UserSource:
		return "user", s.UserId, nil
	case nil:
		return "-", "", nil
	}
	return src.GetType(), "", nil
}

// membersOf is the users who joined or left, for memberJoined and memberLeft events.
func membersOf(ev webhook.EventInterface) []string {
	var members []webhook.UserSource
	switch e := ev.(type) {
	case webhook.MemberJoinedEvent:
		if e.Joined != nil {
			members = e.Joined.Members
		}
	case webhook.MemberLeftEvent:
		if e.Left != nil {
			members = e.Left.Members
		}
	}
	ids := make([]string, 0, len(members))
	for _, m := range members {
		if m.UserId != "" {
			ids = append(ids, m.UserId)
		}
	}
	return ids
}
