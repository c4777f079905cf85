package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// What the provider tells a user about a failure lives in advice.go, by cause (issue 18
// item 6): elsewhere, a diagnostic's detail holds no sentence of its own, only values and
// what advice.go provides. The exceptions are the validators of what users write, whose
// messages sit beside the rule they check.
func TestAdviceLivesInAdviceGo(t *testing.T) {
	exempt := map[string]string{
		"advice.go":                   "the home of advice",
		"validators.go":               "input validators: each message states the rule beside it",
		"action_push_message.go":      "the action's input validators (its Invoke reports through advice.go)",
		"action_push_message_plan.go": "the action's input validators and template checks",
	}
	// detailArg is the position of the detail argument of each function that reports one.
	detailArg := map[string]int{"AddError": 1, "AddWarning": 1, "AddAttributeError": 2, "AddAttributeWarning": 2}
	const longest = 60 // a literal longer than this is prose, not glue between values
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || exempt[f] != "" {
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
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			i, ok := detailArg[sel.Sel.Name]
			if !ok || i >= len(call.Args) {
				return true
			}
			checked++
			ast.Inspect(call.Args[i], func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, _ := strconv.Unquote(lit.Value); len(s) > longest {
					t.Errorf("%s: a diagnostic's detail written here, not in advice.go: %q", fset.Position(lit.Pos()), s)
				}
				return true
			})
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked %d diagnostics outside advice.go, want at least 10: is the parser still right?", checked)
	}
}
