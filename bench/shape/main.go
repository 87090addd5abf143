// Command shape checks the shape of parc's root module (issue 14) and
// prints every violation as file:line: rule: message, exiting 1 if there
// is any:
//
//   - no function (declaration or literal) over 100 lines, none over 60
//     in cmd/parc;
//   - no function of cyclomatic complexity 30 or more (github.com/fzipp/gocyclo);
//   - no package directory over 4 000 lines;
//   - the import rules between parc's packages (go list -deps);
//   - the modules the root go.mod must not require.
//
// Test files are left out throughout, and generated files from the
// function rules. The rules are tables in rules.go.
//
// Usage, from bench/ (a module of its own):
//
//	go run ./shape ..
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: shape [MODULE-DIR] (default: the current directory)")
	}
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	vs, err := check(root, parcRules())
	if err != nil {
		fmt.Fprintln(os.Stderr, "shape:", err)
		os.Exit(2)
	}
	for _, v := range vs {
		fmt.Println(v.format(root))
	}
	if len(vs) > 0 {
		fmt.Fprintf(os.Stderr, "shape: %d violations\n", len(vs))
		os.Exit(1)
	}
}

// violation is one broken rule at a place in the module: file is
// slash-separated and relative to the module root (a directory for the
// package rules), line is 0 when there is no line to point at.
type violation struct {
	file string
	line int
	rule string // "func-lines", "cyclo", "pkg-lines", "imports", "go.mod"
	msg  string
}

// format is the violation as printed, its file joined to root.
func (v violation) format(root string) string {
	at := filepath.Join(root, filepath.FromSlash(v.file))
	if v.line > 0 {
		at = fmt.Sprintf("%s:%d", at, v.line)
	}
	return fmt.Sprintf("%s: %s: %s", at, v.rule, v.msg)
}

// check applies r to the module at root.
func check(root string, r rules) ([]violation, error) {
	mod, vs, err := checkGoMod(root, r.noRequire)
	if err != nil {
		return nil, err
	}
	src, err := readModule(root, mod)
	if err != nil {
		return nil, err
	}
	vs = append(vs, src.funcViolations(r)...)
	vs = append(vs, src.pkgLineViolations(r.maxPkgLines)...)
	iv, err := importViolations(root, mod, src, r.imports)
	if err != nil {
		return nil, err
	}
	return append(vs, iv...), nil
}
