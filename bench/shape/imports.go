package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// checkGoMod reads the module path from root/go.mod and reports each
// requirement of a module in noRequire.
func checkGoMod(root string, noRequire []string) (string, []violation, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", nil, err
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return "", nil, err
	}
	if f.Module == nil {
		return "", nil, errors.New("go.mod: no module line")
	}
	var vs []violation
	for _, req := range f.Require {
		if slices.Contains(noRequire, req.Mod.Path) {
			vs = append(vs, violation{"go.mod", req.Syntax.Start.Line, "go.mod", "requires " + req.Mod.Path})
		}
	}
	return f.Module.Mod.Path, vs, nil
}

// listedPackage is what go list says of a package in a non-test build.
type listedPackage struct {
	ImportPath string
	Imports    []string // direct imports
	Module     *struct{ Main bool }
}

// goList lists the module's packages and everything they depend on in a
// non-test build, and returns them by import path together with the
// module's own packages (sorted).
func goList(root string) (map[string]listedPackage, []string, error) {
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports,Module", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("go list in %s: %w\n%s", root, err, stderr.Bytes())
	}
	pkgs := map[string]listedPackage{}
	var own []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs[p.ImportPath] = p
		if p.Module != nil && p.Module.Main {
			own = append(own, p.ImportPath)
		}
	}
	slices.Sort(own)
	return pkgs, own, nil
}

// importViolations applies the import rules to the module's packages.
func importViolations(root, mod string, src *module, rs []importRule) ([]violation, error) {
	pkgs, own, err := goList(root)
	if err != nil {
		return nil, err
	}
	at := src.importPositions()
	var vs []violation
	for _, r := range rs {
		for _, p := range own {
			if !match(r.pkg, mod, p) {
				continue
			}
			for _, chain := range reached(pkgs, p, r.direct) {
				dep := chain[len(chain)-1]
				if !r.forbids(mod, dep) {
					continue
				}
				pos, ok := at[p][chain[0]]
				if !ok { // an import of a file that this walk left out
					pos = position{short(mod, p) + "/", 0}
				}
				msg := fmt.Sprintf("%s imports %s", short(mod, p), short(mod, dep))
				if len(chain) > 1 {
					via := make([]string, len(chain)-1)
					for i, c := range chain[:len(chain)-1] {
						via[i] = short(mod, c)
					}
					msg += " (via " + strings.Join(via, " -> ") + ")"
				}
				vs = append(vs, violation{pos.file, pos.line, "imports", msg})
			}
		}
	}
	return vs, nil
}

// forbids reports whether the rule forbids importing dep.
func (r importRule) forbids(mod, dep string) bool {
	matches := func(pats []string) bool {
		return slices.ContainsFunc(pats, func(pat string) bool { return match(pat, mod, dep) })
	}
	return matches(r.forbid) && !matches(r.allow)
}

// reached lists what p imports, directly or (unless direct) through other
// packages, each as the chain of imports from p's own import to it
// (shortest first, breadth-first).
func reached(pkgs map[string]listedPackage, p string, direct bool) [][]string {
	var chains [][]string
	seen := map[string]bool{p: true}
	queue := [][]string{{}}
	for len(queue) > 0 {
		chain := queue[0]
		queue = queue[1:]
		from := p
		if len(chain) > 0 {
			from = chain[len(chain)-1]
		}
		for _, imp := range pkgs[from].Imports {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			next := append(slices.Clone(chain), imp)
			chains = append(chains, next)
			if !direct {
				queue = append(queue, next)
			}
		}
	}
	return chains
}

// position is a file (relative to the module root) and line.
type position struct {
	file string
	line int
}

// importPositions maps each package and import path to the first import
// declaration of it among the package's files.
func (m *module) importPositions() map[string]map[string]position {
	at := map[string]map[string]position{}
	for _, f := range m.files {
		if at[f.pkg] == nil {
			at[f.pkg] = map[string]position{}
		}
		for _, spec := range f.ast.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if _, dup := at[f.pkg][imp]; err != nil || dup {
				continue
			}
			at[f.pkg][imp] = position{f.rel, m.fset.Position(spec.Pos()).Line}
		}
	}
	return at
}

// match reports whether the import path p matches pattern (see rules.go)
// in the module mod.
func match(pattern, mod, p string) bool {
	if rel, ok := strings.CutPrefix(pattern, "./"); ok {
		pattern = mod + "/" + rel // "./..." is mod/...: mod and below
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

// short is p relative to the module ("extract"), or p itself outside it.
func short(mod, p string) string {
	if rel, ok := strings.CutPrefix(p, mod+"/"); ok {
		return rel
	}
	return p
}
