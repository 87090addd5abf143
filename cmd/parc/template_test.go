package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// The template model as a user meets it (issue 15 item 6): the first
// crawl learns it from its first 30 article pages before it extracts
// any, and says so; a second crawl reuses it silently; parc extract
// applies it read-only; parc learn --reset resets it (and says when there
// is nothing to reset); parc reextract learns it again from the stored
// captures, as the next version, and applies it, every field still exact;
// verify finds the archive sound.
func TestTemplateModelEndToEnd(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 40, Seed: 4, Layout: sim.LayoutGenerated}, nil)
	if out := p.crawl(t); !strings.Contains(out, "template model 1 learned from the run's first 30 article pages") {
		t.Fatalf("first crawl did not learn the model first:\n%s", out)
	}
	if out := p.crawl(t, "--refresh"); strings.Contains(out, "template model") || !strings.Contains(out, " 0 updated") {
		t.Fatalf("second crawl: the stored model, nothing revised, wanted:\n%s", out)
	}

	u := p.srv.URL + p.sim.Truth()[3].URL
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(page, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := parc(t, "extract", "--config", p.config, "--archive", p.db, "--url", u, page, "--explain")
	if code != 0 || !strings.Contains(stderr, "extract: template model 1 of portal") || !strings.Contains(out, `"rule": "template-block"`) {
		t.Fatalf("extract --explain: exit %d, stderr %q, removals:\n%s", code, stderr, out)
	}

	stats := func() string {
		out, stderr, code := parc(t, "stats", "--config", p.config, "--archive", p.db)
		if code != 0 {
			t.Fatalf("stats: exit %d:\n%s", code, stderr)
		}
		return out
	}
	if out := stats(); !strings.Contains(out, "template model of vinachem-sim: 1, learned ") || !strings.Contains(out, "from 30 article pages") {
		t.Errorf("stats does not name the model:\n%s", out)
	}
	for _, want := range []string{"template model 1 of portal vinachem-sim reset", "has no template model; nothing to reset"} {
		out, stderr, code := parc(t, "learn", "--reset", "--config", p.config, "--archive", p.db)
		if code != 0 || out != "" || !strings.Contains(stderr, want) {
			t.Fatalf("learn --reset: exit %d, stdout %q, stderr %q; want %q", code, out, stderr, want)
		}
	}
	if out := stats(); !strings.Contains(out, "template model of vinachem-sim: 1 reset; the next crawl learns it again") {
		t.Errorf("stats after learn --reset:\n%s", out)
	}
	_, stderr, code = parc(t, "reextract", "--config", p.config, "--archive", p.db)
	if code != 0 || !strings.Contains(stderr, "with template model 2") {
		t.Fatalf("reextract: exit %d:\n%s", code, stderr)
	}
	checked, wrong := compare(t, p, p.records(t))
	for f, n := range wrong {
		if n > 0 {
			t.Errorf("%s wrong in %d of %d articles after reextract with the model", f, n, checked)
		}
	}
	if _, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
		t.Errorf("verify: exit %d:\n%s", code, stderr)
	}
}
