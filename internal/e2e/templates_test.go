package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// templateAction is a Go template action as tfplugindocs reads the templates: what lies between
// "{{" and the next "}}" outside a quoted string.
var templateAction = regexp.MustCompile(`\{\{((?:"[^"]*"|[^"])*?)\}\}`)

// knownAction is what the templates may ask tfplugindocs for: a field of the page (through
// functions such as trimspace), an included file, or a literal brace written as a string
// ({{"{{"}}).
var knownAction = regexp.MustCompile(`^-?\s*(\.[A-Z][A-Za-z]*( \| [a-z]+)*|(tffile|codefile) .+|"\{\{"|"\}\}")\s*-?$`)

// Prose that means a literal "{{" or "}}" (a text message v2's brace) must escape it: the
// template engine reads `{{` and `}}` as an action and drops what lies between.
func TestTemplatesHoldOnlyKnownActions(t *testing.T) {
	files, err := filepath.Glob("../../templates/**/*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	top, _ := filepath.Glob("../../templates/*.tmpl")
	files = append(files, top...)
	if len(files) < 20 {
		t.Fatalf("found %d templates, want every page's", len(files))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			for _, m := range templateAction.FindAllStringSubmatch(line, -1) {
				if !knownAction.MatchString(m[1]) {
					t.Errorf("%s:%d: %q is read as a template action; write a literal brace as {{\"{{\"}} or {{\"}}\"}}",
						strings.TrimPrefix(f, "../../"), i+1, m[0])
				}
			}
		}
	}
}
