package cmdflags

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		goOn     bool
		printed  string
		wantAddr string
	}{
		{args: nil, code: 0, goOn: true, wantAddr: "default"},
		{args: []string{"-addr", "x"}, code: 0, goOn: true, wantAddr: "x"},
		{args: []string{"-h"}, code: 0, goOn: false, printed: "-addr"},
		{args: []string{"-nope"}, code: 2, goOn: false, printed: "flag provided but not defined: -nope"},
		{args: []string{"extra"}, code: 2, goOn: false, printed: `cmd: unexpected argument "extra"`},
	} {
		var out bytes.Buffer
		fs := flag.NewFlagSet("cmd", flag.ContinueOnError)
		fs.SetOutput(&out)
		addr := fs.String("addr", "default", "an address")
		code, goOn := Parse(fs, tc.args)
		if code != tc.code || goOn != tc.goOn {
			t.Errorf("%q: code %d, go on %v; want %d, %v", tc.args, code, goOn, tc.code, tc.goOn)
		}
		if !strings.Contains(out.String(), tc.printed) {
			t.Errorf("%q: printed %q, want it to hold %q", tc.args, out.String(), tc.printed)
		}
		if goOn && *addr != tc.wantAddr {
			t.Errorf("%q: -addr %q, want %q", tc.args, *addr, tc.wantAddr)
		}
	}
}
