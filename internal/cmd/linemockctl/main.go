// Command linemockctl calls the mock LINE API's /_mock/ controls, so that scripts such as
// `make demo` need no HTTP client of their own:
//
//	linemockctl METHOD URL [JSON-BODY]
//
// It prints the answer's body and exits 1 when the mock answers 400 or more.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "linemockctl:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) < 2 || len(args) > 3 {
		return fmt.Errorf("usage: linemockctl METHOD URL [JSON-BODY]")
	}
	var body io.Reader
	if len(args) == 3 {
		body = strings.NewReader(args[2])
	}
	req, err := http.NewRequest(strings.ToUpper(args[0]), args[1], body)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, strings.TrimSpace(string(answer)))
	if res.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %s", req.Method, args[1], res.Status)
	}
	return nil
}
