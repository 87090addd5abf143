package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The fixture module (testdata/fixture) breaks each rule; every line that
// must be reported ends in "// want RULE...". The test adds a generated
// file that takes the gen package over 4 000 lines.
func TestFixtureViolations(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS("testdata/fixture")); err != nil {
		t.Fatal(err)
	}
	big := "// Code generated for the test. DO NOT EDIT.\n\npackage gen\n\nconst (\n" +
		strings.Repeat("\t_ = iota\n", 4000) + ")\n"
	if err := os.WriteFile(filepath.Join(root, "gen", "big.go"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}

	vs, err := check(root, parcRules())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, fmt.Sprintf("%s:%d: %s", v.file, v.line, v.rule))
	}
	want := append(wanted(t, root), "gen/:0: pkg-lines")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n%s\nwant:\n%s\nall:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), formatAll(vs, root))
	}
}

// TestFixtureMessages checks what the violations say: the function, its
// size and limit, the import chain.
func TestFixtureMessages(t *testing.T) {
	vs, err := check("testdata/fixture", parcRules())
	if err != nil {
		t.Fatal(err)
	}
	out := formatAll(vs, "testdata/fixture")
	for _, want := range []string{
		"testdata/fixture/go.mod:8: go.mod: requires github.com/markusmobius/go-trafilatura",
		"testdata/fixture/archive/archive.go:4: imports: archive imports extract (via index)",
		"testdata/fixture/crawler/crawler.go:7: imports: crawler imports extract\n",
		"testdata/fixture/cmd/parc/main.go:7: imports: cmd/parc imports go.etcd.io/bbolt\n",
		"testdata/fixture/monitor/monitor.go:4: imports: monitor imports github.com/mmcdole/gofeed\n",
		"testdata/fixture/cmd/parc/main.go:75: func-lines: sixtyOne is 61 lines (limit 60)",
		"testdata/fixture/long/long.go:105: func-lines: HundredOne is 101 lines (limit 100)",
		"testdata/fixture/long/long.go:312: func-lines: func literal in Outer is 101 lines (limit 100)",
		"testdata/fixture/extract/extract.go:9: cyclo: Complex has cyclomatic complexity 30 (limit: under 30)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

var wantComment = regexp.MustCompile(`// want ([\w.-]+(?: [\w.-]+)*)\s*$`)

// wanted lists "file:line: rule" for each rule named by a want comment in
// the module's .go files and go.mod.
func wanted(t *testing.T, root string) []string {
	t.Helper()
	var want []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".go") || d.Name() == "go.mod") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			if m := wantComment.FindStringSubmatch(sc.Text()); m != nil {
				for _, rule := range strings.Fields(m[1]) {
					want = append(want, fmt.Sprintf("%s:%d: %s", filepath.ToSlash(rel), line, rule))
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 10 {
		t.Fatalf("only %d want comments in the fixture: %q", len(want), want)
	}
	return want
}

func formatAll(vs []violation, root string) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.format(root) + "\n")
	}
	return b.String()
}
