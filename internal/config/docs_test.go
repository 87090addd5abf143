package config

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var yamlBlockRE = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// yamlBlocks returns the ```yaml blocks of a repository document.
func yamlBlocks(t *testing.T, doc string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", doc))
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range yamlBlockRE.FindAllStringSubmatch(string(data), -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// The many-portal examples of the README and docs/PORTALS.md parse, with
// the portals they show.
func TestPortalDocsExamples(t *testing.T) {
	docs := yamlBlocks(t, "docs/PORTALS.md")
	if len(docs) != 3 {
		t.Fatalf("docs/PORTALS.md has %d yaml blocks, this test knows 3", len(docs))
	}
	var readme string
	for _, b := range yamlBlocks(t, "README.md") {
		if strings.HasPrefix(b, "portals:") {
			readme = b
		}
	}
	dirFile := docs[2]
	for _, tt := range []struct {
		doc, text string
		want      []string
	}{
		{"docs/PORTALS.md, one portal", docs[0], []string{"vinachem"}},
		{"docs/PORTALS.md, many", docs[1], []string{"vinachem", "member.example.vn", "other.example.vn"}},
		{"README.md", readme, []string{"vinachem", "member.example.vn", "other.example.vn"}},
	} {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"config.yaml": tt.text, "portals.d/other.example.vn.yaml": dirFile})
		c, err := ParseFile(filepath.Join(dir, "config.yaml"))
		if err != nil {
			t.Errorf("%s: %v", tt.doc, err)
			continue
		}
		if got := c.PortalNames(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: portals %q, want %q", tt.doc, got, tt.want)
		}
	}
}
