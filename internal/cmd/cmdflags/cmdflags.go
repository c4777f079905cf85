// Package cmdflags holds what the project's small commands (linemock, lineids, linekey) do
// alike with their flags.
package cmdflags

import (
	"errors"
	"flag"
	"fmt"
)

// Parse parses args with fs, a FlagSet made with flag.ContinueOnError, and says whether the
// command goes on; when it does not, code is the exit code to stop with: 0 after -h, 2 for a
// bad flag (fs has printed why) or for an argument, which none of the commands take.
func Parse(fs *flag.FlagSet, args []string) (code int, goOn bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, false
	}
	return 0, true
}
