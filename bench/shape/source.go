package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fzipp/gocyclo"
)

// module is the parsed non-test Go source of a module.
type module struct {
	path  string // module path
	fset  *token.FileSet
	files []sourceFile
}

// sourceFile is one non-test .go file.
type sourceFile struct {
	rel   string // slash-separated, relative to the module root
	pkg   string // import path of its directory
	lines int
	ast   *ast.File
}

// readModule parses every non-test .go file of the module at root, leaving
// out testdata, vendor, directories starting with "." or "_" (as the go
// command does) and nested modules.
func readModule(root, modPath string) (*module, error) {
	m := &module{path: modPath, fset: token.NewFileSet()}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return skipDir(root, p, d.Name())
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		return m.add(root, p)
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", root, err)
	}
	return m, nil
}

func skipDir(root, p, name string) error {
	if p == root {
		return nil
	}
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" {
		return filepath.SkipDir
	}
	if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
		return filepath.SkipDir // a module of its own
	}
	return nil
}

func (m *module) add(root, p string) error {
	src, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	f, err := parser.ParseFile(m.fset, p, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return err
	}
	rel = filepath.ToSlash(rel)
	pkg := m.path
	if dir := path.Dir(rel); dir != "." {
		pkg += "/" + dir
	}
	lines := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		lines++
	}
	m.files = append(m.files, sourceFile{rel: rel, pkg: pkg, lines: lines, ast: f})
	return nil
}

// funcViolations are the functions of non-generated files that are too
// long or too complex.
func (m *module) funcViolations(r rules) []violation {
	var vs []violation
	for _, f := range m.files {
		if ast.IsGenerated(f.ast) {
			continue
		}
		limit := m.lineLimit(r.funcLines, f.pkg)
		for _, fn := range functions(f.ast) {
			start, end := m.fset.Position(fn.pos).Line, m.fset.Position(fn.end).Line
			if n := end - start + 1; n > limit {
				vs = append(vs, violation{f.rel, start, "func-lines", fmt.Sprintf("%s is %d lines (limit %d)", fn.name, n, limit)})
			}
		}
		for _, s := range gocyclo.AnalyzeASTFile(f.ast, m.fset, nil) {
			if s.Complexity >= r.maxCyclo {
				vs = append(vs, violation{f.rel, s.Pos.Line, "cyclo", fmt.Sprintf("%s has cyclomatic complexity %d (limit: under %d)", s.FuncName, s.Complexity, r.maxCyclo)})
			}
		}
	}
	return vs
}

// lineLimit is the first limit whose pattern matches pkg (no limit if none).
func (m *module) lineLimit(limits []lineLimit, pkg string) int {
	for _, l := range limits {
		if match(l.pkg, m.path, pkg) {
			return l.max
		}
	}
	return int(^uint(0) >> 1)
}

// function is a function declaration or literal with a body.
type function struct {
	name     string
	pos, end token.Pos // "func" and the closing brace
}

// functions lists the declared functions of f and every function literal,
// nested ones included; a literal is named after its enclosing function.
func functions(f *ast.File) []function {
	var fns []function
	for _, d := range f.Decls {
		outer := "func literal"
		if fd, ok := d.(*ast.FuncDecl); ok {
			if fd.Body == nil {
				continue
			}
			name := funcName(fd)
			fns = append(fns, function{name, fd.Pos(), fd.Body.Rbrace})
			outer = "func literal in " + name
		}
		ast.Inspect(d, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok {
				fns = append(fns, function{outer, lit.Pos(), lit.Body.Rbrace})
			}
			return true
		})
	}
	return fns
}

// funcName names a function as gocyclo does: "Name", or "(T).Name" and
// "(*T).Name" for methods.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	return "(" + types.ExprString(fd.Recv.List[0].Type) + ")." + fd.Name.Name
}

// pkgLineViolations are the package directories with more than max
// non-test lines (generated files count).
func (m *module) pkgLineViolations(max int) []violation {
	lines := map[string]int{}
	for _, f := range m.files {
		lines[path.Dir(f.rel)] += f.lines
	}
	var vs []violation
	for _, dir := range slices.Sorted(maps.Keys(lines)) {
		if n := lines[dir]; n > max {
			vs = append(vs, violation{dir + "/", 0, "pkg-lines", fmt.Sprintf("package has %d non-test lines (limit %d)", n, max)})
		}
	}
	return vs
}
