// Command dropimports removes the imports of some modules from a Go source tree, with the map
// entries that use them, so that the tree builds without those modules. scripts/terraform-path.sh
// runs it on Terraform's source: the proxy's copy lacks Terraform's nested modules (its cloud
// state backends), which only a table of backends refers to.
//
//	go run ./scripts/dropimports DIR MODULE...
//
// It edits whole lines, so the rest of each file stays exactly as it was, and it fails, naming
// the file and line, when a dropped import is used anywhere but in a composite literal's
// key-value element: such a use cannot be removed safely.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: dropimports DIR MODULE...")
		os.Exit(2)
	}
	edited, err := dropTree(os.Args[1], os.Args[2:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dropimports:", err)
		os.Exit(1)
	}
	for _, f := range edited {
		fmt.Fprintln(os.Stderr, "dropimports: edited", f)
	}
}

// dropTree edits every non-test Go file under dir that imports one of modules, and returns
// the files it edited. Test files are left alone: a build never compiles them.
func dropTree(dir string, modules []string) ([]string, error) {
	var edited []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, changed, err := dropFile(path, src, modules)
		if err != nil || !changed {
			return err
		}
		edited = append(edited, path)
		return os.WriteFile(path, out, d.Type().Perm()|0o200)
	})
	return edited, err
}

// dropFile returns src without the imports of modules and the lines that use them.
func dropFile(name string, src []byte, modules []string) ([]byte, bool, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, false, err
	}
	drop := map[int]bool{} // line numbers, from 1
	names := map[string]bool{}
	for _, imp := range file.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || !underAny(path, modules) {
			continue
		}
		local := filepath.Base(path)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == "_" || local == "." {
			return nil, false, fmt.Errorf("%s: cannot drop the %s import of %s", fset.Position(imp.Pos()), local, path)
		}
		names[local] = true
		markLines(fset, drop, imp.Pos(), imp.End())
	}
	if len(names) == 0 {
		return src, false, nil
	}
	// Key-value elements that refer to a dropped import, such as "s3": func() … { return backendS3.New() }.
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok && refersTo(kv, names) {
				markLines(fset, drop, kv.Pos(), kv.End())
			}
		}
		return true
	})
	// Any other use would be left dangling: refuse rather than guess.
	var dangling error
	ast.Inspect(file, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || dangling != nil {
			return dangling == nil
		}
		if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] && !drop[fset.Position(sel.Pos()).Line] {
			dangling = fmt.Errorf("%s: %s.%s is used outside a key-value element; edit this file by hand", fset.Position(sel.Pos()), id.Name, sel.Sel.Name)
		}
		return true
	})
	if dangling != nil {
		return nil, false, dangling
	}

	lines := strings.SplitAfter(string(src), "\n")
	var out strings.Builder
	for i, line := range lines {
		if !drop[i+1] {
			out.WriteString(line)
		}
	}
	return []byte(out.String()), true, nil
}

func underAny(path string, modules []string) bool {
	for _, m := range modules {
		if path == m || strings.HasPrefix(path, m+"/") {
			return true
		}
	}
	return false
}

func refersTo(n ast.Node, names map[string]bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// markLines marks every line from pos to end. An element's trailing comma is on its last line.
func markLines(fset *token.FileSet, drop map[int]bool, pos, end token.Pos) {
	for l := fset.Position(pos).Line; l <= fset.Position(end).Line; l++ {
		drop[l] = true
	}
}
