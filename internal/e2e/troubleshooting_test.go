package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// summaryArg is, for each function that reports a diagnostic, the position of its summary.
var summaryArg = map[string]int{
	"AddError":            0,
	"AddWarning":          0,
	"AddAttributeError":   1,
	"AddAttributeWarning": 1,
	"addErrorWithAdvice":  1,
	"addClientError":      2,
	"addChatError":        2,
}

// providerSummaries reads the provider's source and returns the constant start of every
// diagnostic summary it gives ("Unable to tell whether the bot is in" for
// "Unable to tell whether the bot is in "+chat.String()), with where it is.
func providerSummaries(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../provider/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no provider source (%v)", err)
	}
	summaries := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fun := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fun.Sel.Name
			case *ast.Ident:
				name = fun.Name
			}
			i, ok := summaryArg[name]
			if !ok || i >= len(call.Args) {
				return true
			}
			if s := leadingString(call.Args[i]); s != "" {
				summaries[s] = fset.Position(call.Pos()).String()
			}
			return true
		})
	}
	return summaries
}

// leadingString is the string constant an expression starts with: the literal itself, or the
// left end of a concatenation. A summary held in a variable has none.
func leadingString(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return ""
			}
			s, err := strconv.Unquote(x.Value)
			if err != nil {
				return ""
			}
			return strings.TrimSpace(strings.TrimRight(s, ":( "))
		case *ast.BinaryExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}

// TestTroubleshootingCoversEveryDiagnostic: the Troubleshooting guide names every diagnostic
// summary the provider gives, so that a new error cannot ship without its cause and fix.
func TestTroubleshootingCoversEveryDiagnostic(t *testing.T) {
	guide, err := os.ReadFile("../../templates/guides/troubleshooting.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	summaries := providerSummaries(t)
	if len(summaries) < 20 {
		t.Fatalf("found %d diagnostic summaries in the provider's source, want at least 20: is the parser still right?", len(summaries))
	}
	for summary, where := range summaries {
		if !strings.Contains(string(guide), summary) {
			t.Errorf("templates/guides/troubleshooting.md.tmpl does not mention %q (%s)", summary, where)
		}
	}
}
