// Command mutationreport turns the JSON results of gremlins (one file per package) into the
// mutation report that `make mutate` prints and writes to MUTATION.md:
//
//	mutationreport [-out MUTATION.md] [-require DIR=PERCENT]... DIR=RESULT.json...
//
// DIR is the package folder gremlins ran on (internal/lineclient), relative to the module root,
// where gremlins' file names start.
// For each package: the mutants gremlins made, how many the tests killed, how many lived
// (the tests passed with the code broken), timed out, were not viable (did not compile) or
// were not covered by any test; the efficacy, killed / (killed + lived), and the mutant
// coverage, (killed + lived) / (killed + lived + not covered). Then every mutant that lived,
// and every one that timed out (a hang the tests caught, or a machine too busy for the
// timeout: run it again), by file and line, with the mutator and the line's code.
//
// -require DIR=PERCENT exits 1 when DIR's efficacy is below PERCENT, after writing the report.
//
// -equivalent FILE names the mutants that lived because no test can tell them from the code
// (equivalent mutants), one a line:
//
//	internal/lineclient/transport.go | CONDITIONALS_BOUNDARY | if wait >= max { | why no test can tell
//
// the file, the mutator, the mutated line's code (trimmed, as the report quotes it, so that
// the entry survives edits that move the line) and the reason; "#" starts a comment. When a
// line holds more than one mutant of a mutator, "code @ at" names one: at is the text from
// the mutant's column, as the report shows it after "at". They are
// listed apart with their reasons, and still count as lived in the efficacy: the report also
// gives the efficacy without them. An entry that matches no surviving mutant is reported, so
// that the file does not outlive the code.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// result is the part of gremlins' JSON output (-o) the report reads.
type result struct {
	GoModule string `json:"go_module"`
	Files    []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
	MutantsTotal int     `json:"mutants_total"`
	Elapsed      float64 `json:"elapsed_time"`
}

// Statuses as gremlins writes them.
const (
	killed     = "KILLED"
	lived      = "LIVED"
	timedOut   = "TIMED OUT"
	notViable  = "NOT VIABLE"
	notCovered = "NOT COVERED"
)

// mutant is one mutant of a package, with where it is.
type mutant struct {
	File         string // relative to the module root: the package folder and gremlins' file name
	Line, Column int
	Type, Status string
}

// pkg is one package's results.
type pkg struct {
	Name    string
	Mutants []mutant
	Elapsed float64 // seconds
	// Equivalent holds the lived mutants that -equivalent names, with the reason.
	Equivalent map[mutant]string
}

func (p pkg) count(status string) int {
	n := 0
	for _, m := range p.Mutants {
		if m.Status == status {
			n++
		}
	}
	return n
}

// Efficacy is killed / (killed + lived), in percent; 0 with no mutant tested.
func (p pkg) Efficacy() float64 {
	k, l := p.count(killed), p.count(lived)
	if k+l == 0 {
		return 0
	}
	return 100 * float64(k) / float64(k+l)
}

// EfficacyWithoutEquivalents is killed / (killed + lived - equivalent), in percent.
func (p pkg) EfficacyWithoutEquivalents() float64 {
	k, l := p.count(killed), p.count(lived)-len(p.Equivalent)
	if k+l == 0 {
		return 0
	}
	return 100 * float64(k) / float64(k+l)
}

// Coverage is (killed + lived) / (killed + lived + not covered), in percent.
func (p pkg) Coverage() float64 {
	k, l, n := p.count(killed), p.count(lived), p.count(notCovered)
	if k+l+n == 0 {
		return 0
	}
	return 100 * float64(k+l) / float64(k+l+n)
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mutationreport:", err)
		os.Exit(1)
	}
}

// requirements is the repeatable -require flag.
type requirements map[string]float64

func (r requirements) String() string { return fmt.Sprint(map[string]float64(r)) }

func (r requirements) Set(v string) error {
	name, pct, ok := strings.Cut(v, "=")
	f, err := strconv.ParseFloat(pct, 64)
	if !ok || name == "" || err != nil || f < 0 || f > 100 {
		return fmt.Errorf("%q: want DIR=PERCENT, such as internal/lineclient=90", v)
	}
	r[name] = f
	return nil
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("mutationreport", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the error is returned, and printed by main
	out := fs.String("out", "", "write the report in Markdown to this file too")
	root := fs.String("root", ".", "the module root, to quote the mutated lines")
	equivalentFile := fs.String("equivalent", "", "a file listing the equivalent mutants (file | mutator | code | reason)")
	note := fs.String("note", "", "a line for the report, under its title (such as the commit measured)")
	require := requirements{}
	fs.Var(require, "require", "DIR=PERCENT: fail when DIR's efficacy is below PERCENT (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil
		}
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: mutationreport [-out FILE] [-equivalent FILE] [-require DIR=PERCENT] DIR=RESULT.json [DIR=RESULT.json]")
	}
	var pkgs []pkg
	for _, arg := range fs.Args() {
		name, path, ok := strings.Cut(arg, "=")
		if !ok || name == "" {
			return fmt.Errorf("%q: want DIR=RESULT.json", arg)
		}
		p, err := load(name, path)
		if err != nil {
			return err
		}
		pkgs = append(pkgs, p)
	}
	lines := &sourceLines{root: *root}
	if *equivalentFile != "" {
		unused, err := markEquivalents(pkgs, *equivalentFile, lines)
		if err != nil {
			return err
		}
		for _, e := range unused {
			fmt.Fprintf(stdout, "%s: no surviving mutant matches %q\n", *equivalentFile, e)
		}
	}
	fmt.Fprint(stdout, summary(pkgs))
	if *out != "" {
		if err := os.WriteFile(*out, []byte(markdown(pkgs, lines, *note)), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nThe surviving mutants are listed in %s.\n", *out)
	}
	var failed []string
	for name, least := range require {
		i := slices.IndexFunc(pkgs, func(p pkg) bool { return p.Name == name })
		switch {
		case i < 0:
			failed = append(failed, fmt.Sprintf("%s: no results", name))
		case pkgs[i].Efficacy() < least:
			failed = append(failed, fmt.Sprintf("%s: efficacy %.1f%%, below the required %.1f%%", name, pkgs[i].Efficacy(), least))
		}
	}
	if len(failed) > 0 {
		slices.Sort(failed)
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// load reads one package's gremlins JSON.
func load(name, path string) (pkg, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return pkg{}, err
	}
	var r result
	if err := json.Unmarshal(data, &r); err != nil {
		return pkg{}, fmt.Errorf("%s: %w", path, err)
	}
	p := pkg{Name: name, Elapsed: r.Elapsed}
	for _, f := range r.Files {
		for _, m := range f.Mutations {
			p.Mutants = append(p.Mutants, mutant{File: filepath.ToSlash(filepath.Join(name, f.Name)), Line: m.Line, Column: m.Column, Type: m.Type, Status: m.Status})
		}
	}
	slices.SortFunc(p.Mutants, func(a, b mutant) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Type, b.Type))
	})
	return p, nil
}

// equivalence is one entry of the -equivalent file.
type equivalence struct {
	file, mutator, code, at, reason string
	used                            bool
}

// markEquivalents fills each package's Equivalent from the entries of file, and returns the
// entries for these packages' files that matched no lived mutant.
func markEquivalents(pkgs []pkg, file string, lines *sourceLines) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var entries []*equivalence
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// " | " apart, so that a line of code may hold "||" (but not " | ").
		parts := strings.SplitN(line, " | ", 4)
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		if len(parts) != 4 || slices.Contains(parts, "") {
			return nil, fmt.Errorf("%s:%d: want file | mutator | code | reason", file, i+1)
		}
		code, at, _ := strings.Cut(parts[2], " @ ")
		entries = append(entries, &equivalence{file: parts[0], mutator: parts[1], code: strings.TrimSpace(code), at: strings.TrimSpace(at), reason: parts[3]})
	}
	for i := range pkgs {
		p := &pkgs[i]
		for _, m := range p.Mutants {
			if m.Status != lived {
				continue
			}
			code, at := quote(lines.get(m.File, m.Line)), lines.at(m)
			for _, e := range entries {
				if e.file == m.File && e.mutator == m.Type && e.code == code && strings.HasPrefix(at, e.at) {
					if p.Equivalent == nil {
						p.Equivalent = map[mutant]string{}
					}
					p.Equivalent[m] = e.reason
					e.used = true
					break
				}
			}
		}
	}
	var unused []string
	for _, e := range entries {
		measured := slices.ContainsFunc(pkgs, func(p pkg) bool { return strings.HasPrefix(e.file, p.Name+"/") })
		if !e.used && measured {
			entry := e.file + " | " + e.mutator + " | " + e.code
			if e.at != "" {
				entry += " @ " + e.at
			}
			unused = append(unused, entry)
		}
	}
	return unused, nil
}

// quote is a line of code as the report shows it: trimmed, with backquotes made quotes.
func quote(line string) string {
	return strings.ReplaceAll(strings.TrimSpace(line), "`", "'")
}

// summary is the table printed at the end of make mutate.
func summary(pkgs []pkg) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %7s %7s %6s %10s %9s %10s %11s %9s %9s %8s\n",
		"package", "mutants", "killed", "lived", "equivalent", "timed out", "not viable", "not covered", "efficacy", "coverage", "time")
	for _, p := range pkgs {
		fmt.Fprintf(&b, "%-20s %7d %7d %6d %10d %9d %10d %11d %8.1f%% %8.1f%% %7.0fs\n",
			p.Name, len(p.Mutants), p.count(killed), p.count(lived), len(p.Equivalent), p.count(timedOut), p.count(notViable),
			p.count(notCovered), p.Efficacy(), p.Coverage(), p.Elapsed)
	}
	return b.String()
}

// markdown is MUTATION.md.
func markdown(pkgs []pkg, lines *sourceLines, note string) string {
	var b strings.Builder
	b.WriteString("# Mutation testing\n\n")
	if note != "" {
		b.WriteString(note + "\n\n")
	}
	b.WriteString(`Written by ` + "`make mutate`" + ` (gremlins, pinned in ` + "`scripts/tools.sh`" + `): each mutant is the code broken
on purpose in one place (a condition negated, a boundary moved, an operator changed), and the
package's tests run against it. A mutant the tests fail on is killed; one they pass on lived,
which means no test notices that change. Efficacy is killed / (killed + lived); mutant coverage
is (killed + lived) / (killed + lived + not covered). Timed-out mutants made a test hang (or the
machine was too busy for the timeout); they count in neither figure and are listed to check.
A mutant that does not compile (such as ` + "`+`" + ` turned into ` + "`-`" + ` between strings) is not viable:
` + "`scripts/mutate-go.sh`" + ` builds each mutant before its tests, since gremlins alone would count it as
killed. Equivalent mutants (listed in ` + "`scripts/mutation-equivalents.txt`" + ` with the reason no test
can tell them from the code) count as lived; the last column leaves them out.

The provider's figures are for its unit-level code: acceptance tests need TF_ACC and a CLI and do
not run, so code only they reach counts as not covered.

| package | mutants | killed | lived | equivalent | timed out | not viable | not covered | efficacy | mutant coverage | efficacy without equivalents |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
`)
	for _, p := range pkgs {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d | %.1f%% | %.1f%% | %.1f%% |\n",
			p.Name, len(p.Mutants), p.count(killed), p.count(lived), len(p.Equivalent), p.count(timedOut), p.count(notViable),
			p.count(notCovered), p.Efficacy(), p.Coverage(), p.EfficacyWithoutEquivalents())
	}
	for _, p := range pkgs {
		for _, list := range []struct {
			title string
			keep  func(mutant) bool
		}{
			{"Surviving mutants", func(m mutant) bool { _, eq := p.Equivalent[m]; return m.Status == lived && !eq }},
			{"Equivalent mutants", func(m mutant) bool { _, eq := p.Equivalent[m]; return eq }},
			{"Timed-out mutants", func(m mutant) bool { return m.Status == timedOut }},
		} {
			var ms []mutant
			for _, m := range p.Mutants {
				if list.keep(m) {
					ms = append(ms, m)
				}
			}
			if len(ms) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n## %s: %s (%d)\n", p.Name, list.title, len(ms))
			file := ""
			for _, m := range ms {
				if m.File != file {
					file = m.File
					fmt.Fprintf(&b, "\n`%s`\n\n", file)
				}
				fmt.Fprintf(&b, "- %d:%d %s: `%s` at `%s`", m.Line, m.Column, m.Type, quote(lines.get(m.File, m.Line)), lines.at(m))
				if reason, ok := p.Equivalent[m]; ok {
					fmt.Fprintf(&b, " (%s)", reason)
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// sourceLines reads the mutated files, once each, to quote their lines.
type sourceLines struct {
	root  string
	files map[string][]string
}

// at is the text of m's line from m's column (gremlins counts bytes from 1), as quote gives
// it: where the mutation is.
func (s *sourceLines) at(m mutant) string {
	line := s.get(m.File, m.Line)
	if m.Column < 1 || m.Column > len(line) {
		return ""
	}
	return quote(line[m.Column-1:])
}

func (s *sourceLines) get(file string, line int) string {
	if s.files == nil {
		s.files = map[string][]string{}
	}
	lines, ok := s.files[file]
	if !ok {
		if f, err := os.Open(filepath.Join(s.root, file)); err == nil {
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			f.Close()
		}
		s.files[file] = lines
	}
	if line < 1 || line > len(lines) {
		return ""
	}
	return lines[line-1]
}
