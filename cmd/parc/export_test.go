package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/sim"
)

// pyReadBack reads a CSV and a JSON export with Python's csv and json
// modules and prints, as JSON, the CSV header and the id, title and body
// of every row of each.
const pyReadBack = `
import csv, json, sys
out = {}
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
out["header"] = rows[0]
idx = {name: i for i, name in enumerate(rows[0])}
out["csv"] = [{"id": r[idx["id"]], "title": r[idx["title"]], "body": r[idx["body"]]} for r in rows[1:]]
with open(sys.argv[2], encoding="utf-8") as f:
    recs = json.load(f)
out["json"] = [{"id": r["id"], "title": r["title"], "body": r["body"]} for r in recs]
json.dump(out, sys.stdout, ensure_ascii=False)
`

// TestExportReadBackPython reads parc's CSV and JSON exports back with
// Python's csv and json modules (the readers pandas and most scripts
// use) and checks every record against the JSON Lines export.
func TestExportReadBackPython(t *testing.T) {
	py, ok := testtool.Find(t, "python3", "python3")
	if !ok {
		t.SkipNow()
	}
	p := newPortal(t, sim.Options{Articles: 40, Seed: 11}, nil)
	p.crawl(t)
	want := p.records(t)
	if len(want) == 0 {
		t.Fatal("nothing archived")
	}
	dir := t.TempDir()
	files := map[string]string{"csv": filepath.Join(dir, "out.csv"), "json": filepath.Join(dir, "out.json")}
	for format, path := range files {
		if _, stderr, code := parc(t, "export", "--config", p.config, "--archive", p.db, "--format", format, "--out", path); code != 0 {
			t.Fatalf("export %s: exit %d\n%s", format, code, stderr)
		}
	}
	script := filepath.Join(dir, "readback.py")
	if err := os.WriteFile(script, []byte(pyReadBack), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, script, files["csv"], files["json"]).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("python read-back: %v\n%s", err, stderr)
	}
	type rec struct{ ID, Title, Body string }
	var got struct {
		Header []string
		CSV    []rec
		JSON   []rec
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python output: %v\n%.300s", err, out)
	}
	// The CSV header is the export record's field order (docs/CONTRACT.md).
	wantHead := []string{"id", "url", "urls", "title", "published", "byline", "category", "body",
		"content_hash", "first_seen", "last_seen", "revision", "extraction"}
	if len(got.Header) < len(wantHead) || !slices.Equal(got.Header[:len(wantHead)], wantHead) {
		t.Errorf("csv header %q, want it to start with %q", got.Header, wantHead)
	}
	byID := map[string]record.Record{}
	for _, r := range want {
		byID[r.ID] = r
	}
	// unneutralise undoes the CSV formula guard: a leading ' added before
	// a cell that starts with = + - @ tab or CR.
	unneutralise := func(s string) string {
		if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
			return s[1:]
		}
		return s
	}
	for _, tc := range []struct {
		name     string
		rows     []rec
		fromCell func(string) string
	}{
		{"csv", got.CSV, unneutralise},
		{"json", got.JSON, func(s string) string { return s }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.rows) != len(want) {
				t.Fatalf("python read %d records, want %d", len(tc.rows), len(want))
			}
			seen := map[string]bool{}
			for _, r := range tc.rows {
				w, ok := byID[r.ID]
				if !ok || seen[r.ID] {
					t.Errorf("record id %q unknown or repeated", r.ID)
					continue
				}
				seen[r.ID] = true
				if tc.fromCell(r.Title) != w.Title {
					t.Errorf("%s: title %q, want %q", r.ID, r.Title, w.Title)
				}
				if tc.fromCell(r.Body) != w.Body {
					t.Errorf("%s: body differs (%d vs %d bytes): %.80q", r.ID, len(r.Body), len(w.Body), r.Body)
				}
			}
		})
	}
}

// TestExportSinceLastEditsAndPosts runs three crawls with edits and new
// posts in between (the third also refetching every unchanged article)
// and checks that each --since-last export holds exactly the new and
// revised records, the revised ones at their new revision.
// (TestExportSinceLast covers new posts and an unchanged recrawl only.)
func TestExportSinceLastEditsAndPosts(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 40, Seed: 9}, nil)
	ids := func(recs []record.Record) map[string]int {
		m := map[string]int{}
		for _, r := range recs {
			if _, dup := m[r.ID]; dup {
				t.Errorf("record %s exported twice", r.ID)
			}
			m[r.ID] = r.Revision
		}
		return m
	}
	// idOf maps an article's truth to its record id through the full export.
	idOf := func(arts []sim.Article) map[string]string {
		t.Helper()
		byURL := map[string]string{}
		for _, r := range p.records(t) {
			for _, u := range append([]string{r.URL}, r.URLs...) {
				byURL[strings.TrimPrefix(u, p.srv.URL)] = r.ID
			}
		}
		out := map[string]string{}
		for _, a := range arts {
			id, ok := byURL[a.URL]
			if !ok {
				t.Fatalf("article %s (%s) not archived", a.Key, a.URL)
			}
			out[a.Key] = id
		}
		return out
	}
	truth := p.sim.Truth()

	// Crawl 1: everything is new.
	p.crawl(t)
	if got := ids(p.records(t, "--since-last", "nightly")); len(got) != len(truth) {
		t.Fatalf("first export: %d records, want %d", len(got), len(truth))
	}

	steps := []struct {
		name    string
		edit    []int // indexes into truth, edited before the crawl
		publish int
	}{
		{"two edits and three posts", []int{3, 17}, 3},
		{"an edited article edited again, one more post", []int{3}, 1},
	}
	revisions := map[string]int{} // sim key -> expected archive revision
	for _, a := range truth {
		revisions[a.Key] = 1
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var edited []sim.Article
			for _, i := range st.edit {
				a, err := p.sim.Edit(truth[i].Key)
				if err != nil {
					t.Fatal(err)
				}
				edited = append(edited, a)
				revisions[a.Key]++
			}
			added := p.sim.Publish(st.publish)
			for _, a := range added {
				revisions[a.Key] = 1
			}
			// --refresh revisits every archived article: the unchanged
			// ones must not reach the delta.
			p.crawl(t, "--refresh")
			want := map[string]int{}
			for key, id := range idOf(append(edited, added...)) {
				want[id] = revisions[key]
			}
			got := ids(p.records(t, "--since-last", "nightly"))
			for id, rev := range want {
				if g, ok := got[id]; !ok {
					t.Errorf("record %s (revision %d) missing from the delta", id, rev)
				} else if g != rev {
					t.Errorf("record %s exported at revision %d, want %d", id, g, rev)
				}
			}
			for id := range got {
				if _, ok := want[id]; !ok {
					t.Errorf("record %s in the delta, but neither new nor revised", id)
				}
			}
			if again := p.records(t, "--since-last", "nightly"); len(again) != 0 {
				t.Errorf("an export right after the delta returned %d records", len(again))
			}
		})
	}
}

// parc export --format warc --cdxj writes an index with one line per
// response record, pointing into the WARC written beside it.
func TestExportWARCWithCDXJ(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 15, Seed: 4}, nil)
	p.crawl(t)
	dir := t.TempDir()
	warc, idx := filepath.Join(dir, "parc.warc.gz"), filepath.Join(dir, "parc.cdxj")
	_, stderr, code := parc(t, "export", "--config", p.config, "--archive", p.db, "--format", "warc", "--out", warc, "--cdxj", idx)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	var n int
	if _, err := fmt.Sscanf(stderr[strings.Index(stderr, "export: "):], "export: %d records", &n); err != nil || n == 0 {
		t.Fatalf("export summary %q: %v", stderr, err)
	}
	data, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != n {
		t.Errorf("%d index lines for %d captures", len(lines), n)
	}
	for _, l := range lines {
		if !strings.Contains(l, `"filename":"parc.warc.gz"`) || !strings.Contains(l, `"status":"200"`) {
			t.Errorf("index line %q", l)
		}
	}
	for _, bad := range [][]string{{"--format", "jsonl", "--out", warc, "--cdxj", idx}, {"--format", "warc", "--cdxj", idx}} {
		if _, _, code := parc(t, append([]string{"export", "--config", p.config, "--archive", p.db}, bad...)...); code != exitUsage {
			t.Errorf("export %q: exit %d, want %d", bad, code, exitUsage)
		}
	}
}
