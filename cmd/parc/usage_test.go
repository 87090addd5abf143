package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/sim"
)

// help and --help print the usage on standard output and exit 0; a usage
// error prints the usage on standard error and exits 2.
func TestHelpOnStdoutUsageErrorsOnStderr(t *testing.T) {
	for _, args := range [][]string{{"export", "--help"}, {"help", "export"}, {"show", "-h"}, {"crawl", "--help"}} {
		out, stderr, code := parc(t, args...)
		if code != 0 || !strings.Contains(out, "Usage: parc") || stderr != "" {
			t.Errorf("parc %s: exit %d, stdout %q, stderr %q; want the usage on stdout, exit 0", strings.Join(args, " "), code, out, stderr)
		}
	}
	out, stderr, code := parc(t, "export", "--no-such-flag")
	if code != 2 || out != "" || !strings.Contains(stderr, "Usage: parc export") || !strings.Contains(stderr, "no-such-flag") {
		t.Errorf("a bad flag: exit %d, stdout %q, stderr %q; want exit 2 with the usage on stderr", code, out, stderr)
	}
}

// Flags are accepted after positional arguments too, in every command;
// after "--" everything is positional.
func TestFlagsAfterPositionalArguments(t *testing.T) {
	page := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(page, []byte(`<html><head><title>T</title></head><body><article><h1>Tiêu đề</h1><p>Nội dung bài viết đủ dài để là một bài báo thật sự.</p></article></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := parc(t, "extract", page, "--url", "https://example.vn/a.html", "--format", "text"); code != 0 || !strings.Contains(out, "https://example.vn/a.html") {
		t.Errorf("extract FILE --url U --format text: exit %d\n%s%s", code, out, stderr)
	}
	p := newPortal(t, sim.Options{Articles: 3, Seed: 1}, nil)
	p.crawl(t)
	id := p.records(t)[0].ID
	if out, stderr, code := parc(t, "show", id, "--config", p.config, "--archive", p.db, "--json"); code != 0 || !strings.Contains(out, `"id"`) {
		t.Errorf("show ID --config C --archive A --json: exit %d\n%s%s", code, out, stderr)
	}
	if _, stderr, code := parc(t, "show", "--config", p.config, "--archive", p.db, "--", "--json"); code == 0 || !strings.Contains(stderr, "--json") {
		t.Errorf(`show -- --json: exit %d, want "--json" taken as the id:\n%s`, code, stderr)
	}
}

// A reader that has to wait for the archive says so, naming the writer
// from the note it keeps beside the archive (PATH.pid); the note goes with
// the writer, and a stale one blocks nobody.
func TestReaderSaysItWaitsForTheWriter(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 3, Seed: 1}, nil)
	p.crawl(t)
	w, err := archive.Open(p.db, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := parc(t, "stats", "--config", p.config, "--archive", p.db, "--wait", "100ms")
	want := fmt.Sprintf("waiting up to 100ms for %s, which another parc is writing (pid %d, since ", p.db, os.Getpid())
	if code != 3 || !strings.Contains(stderr, want) {
		t.Errorf("stats while a writer holds the archive: exit %d, want 3 saying %q:\n%s", code, want, stderr)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.db + ".pid"); !os.IsNotExist(err) {
		t.Errorf("the writer's note is left after Close: %v", err)
	}
	if err := os.WriteFile(p.db+".pid", []byte("999999 2020-01-01T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := parc(t, "stats", "--config", p.config, "--archive", p.db, "--wait", "100ms"); code != 0 || strings.Contains(stderr, "waiting") {
		t.Errorf("a stale note blocked or delayed a reader: exit %d\n%s", code, stderr)
	}
}

// Without a terminal, a crawl prints a timestamped stats line (every 30
// seconds, and one at the end) before its summary.
func TestCrawlStatsLineWithoutATerminal(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 5, Seed: 1}, nil)
	stderr := p.crawl(t)
	re := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ crawl: \d+ pages fetched \(\d+\.\d/s\), \d+ queued, 0 failed, 5 new, 0 updated, \d+s elapsed\n(.*\n)?crawl: \d+ pages fetched, 5 new`)
	if !re.MatchString(stderr) {
		t.Errorf("no stats line before the summary:\n%s", stderr)
	}
}
