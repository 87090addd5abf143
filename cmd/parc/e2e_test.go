package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/sim"
)

// portal serves a simulated portal on loopback and writes its config.
type portal struct {
	sim    *sim.Portal
	srv    *httptest.Server
	config string
	db     string
}

func newPortal(t testing.TB, opts sim.Options, edit func(cfg string) string) *portal {
	t.Helper()
	p := sim.New(opts)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := p.Config(srv.URL)
	if edit != nil {
		cfg = edit(cfg)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return &portal{sim: p, srv: srv, config: path, db: filepath.Join(dir, "parc.db")}
}

// parc runs one command in-process and returns stdout, stderr and the exit code.
func parc(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := runParc(context.Background(), args, strings.NewReader(""), &out, &errb)
	if err != nil && !errors.Is(err, errHelp) { // as reportExit prints it
		errb.WriteString("parc: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

func (p *portal) crawl(t testing.TB, extra ...string) string {
	t.Helper()
	_, stderr, code := parc(t, append([]string{"crawl", "--config", p.config, "--archive", p.db}, extra...)...)
	if code != 0 {
		t.Fatalf("crawl exit %d:\n%s", code, stderr)
	}
	return stderr
}

func (p *portal) records(t testing.TB, extra ...string) []record.Record {
	t.Helper()
	out, stderr, code := parc(t, append([]string{"export", "--config", p.config, "--archive", p.db, "--format", "jsonl"}, extra...)...)
	if code != 0 {
		t.Fatalf("export exit %d:\n%s", code, stderr)
	}
	var recs []record.Record
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r record.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("export line: %v", err)
		}
		recs = append(recs, r)
	}
	return recs
}

// compare matches records to the portal's truth by URL and counts fields
// that differ.
func compare(t testing.TB, p *portal, recs []record.Record) (checked int, wrong map[string]int) {
	t.Helper()
	byURL := map[string]record.Record{}
	for _, r := range recs {
		for _, u := range append([]string{r.URL}, r.URLs...) {
			byURL[strings.TrimPrefix(u, p.srv.URL)] = r
		}
	}
	wrong = map[string]int{}
	seenIDs := map[string]bool{}
	for _, a := range p.sim.Truth() {
		r, ok := byURL[a.URL]
		if !ok {
			t.Errorf("article %s (%s) not archived", a.Key, a.URL)
			continue
		}
		if seenIDs[r.ID] {
			t.Errorf("article %s shares record %s with another article", a.Key, r.ID)
		}
		seenIDs[r.ID] = true
		checked++
		for field, pair := range map[string][2]string{
			"title":     {r.Title, a.Title},
			"published": {r.Published, a.Published.Format(time.RFC3339)},
			"byline":    {r.Byline, a.Byline},
			"body":      {r.Body, a.Body},
		} {
			if pair[0] != pair[1] {
				wrong[field]++
				if wrong[field] <= 3 {
					t.Logf("%s %s: got %.120q\n want %.120q", a.URL, field, pair[0], pair[1])
				}
			}
		}
	}
	return checked, wrong
}

var sponsorRE = regexp.MustCompile(`(?i)sponsor links|VIEPortal\.net|Thiết kế website công ty`)

func TestCrawlSimulatedPortalMatchesTruth(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 300, Seed: 7}, nil)
	summary := p.crawl(t)
	recs := p.records(t)
	truth := p.sim.Truth()
	if len(recs) != len(truth) {
		t.Errorf("%d records for %d articles\n%s", len(recs), len(truth), summary)
	}
	checked, wrong := compare(t, p, recs)
	for field, n := range wrong {
		t.Errorf("%s wrong in %d of %d articles", field, n, checked)
	}
	for _, r := range recs {
		if b, _ := json.Marshal(r); sponsorRE.Match(b) {
			t.Errorf("sponsor text in record %s", r.URL)
		}
		if r.Extraction != "profile" {
			t.Errorf("%s extracted by %s with the simulator's own profile", r.URL, r.Extraction)
		}
	}
	var seed *record.Record
	for i := range recs {
		if strings.HasPrefix(recs[i].Title, "Ban chỉ đạo 35 Đảng ủy Tập đoàn") {
			seed = &recs[i]
		}
	}
	if seed == nil {
		t.Fatal("seed article not archived")
	}
	if seed.Published != "2021-01-27T13:39:00+07:00" || seed.Byline != "HỒNG LIÊN" ||
		!strings.HasPrefix(seed.Body, "Ngày 27/01/2021, Ban Chỉ đạo") || !strings.HasSuffix(seed.Body, "thế lực thù địch./.") {
		t.Errorf("seed article: published %q byline %q body %.60q…%q", seed.Published, seed.Byline, seed.Body, seed.Body[len(seed.Body)-30:])
	}

	// A second crawl of the unchanged portal archives nothing new and
	// creates no duplicate.
	before := p.sim.Requests().Total
	p.crawl(t)
	if n := len(p.records(t)); n != len(truth) {
		t.Errorf("after a second crawl: %d records, want %d", n, len(truth))
	}
	t.Logf("incremental recrawl of an unchanged portal: %d requests", p.sim.Requests().Total-before)
}

// Without any selector, generic extraction and parc's own rules must still
// get (nearly) every field right, and say they used the fallback.
func TestCrawlZeroConfig(t *testing.T) {
	selectors := regexp.MustCompile(`(?m)^  selectors:\n(    .*\n)+`)
	p := newPortal(t, sim.Options{Articles: 120, Seed: 3}, func(cfg string) string {
		return selectors.ReplaceAllString(cfg, "")
	})
	t.Log(p.crawl(t))
	recs := p.records(t)
	checked, wrong := compare(t, p, recs)
	for field, n := range wrong {
		ratio := float64(checked-n) / float64(checked)
		t.Logf("zero-config %s: %.1f%% exact", field, 100*ratio)
		if ratio < 0.95 {
			t.Errorf("zero-config %s exact in only %.1f%% of articles", field, 100*ratio)
		}
	}
	for _, r := range recs {
		if r.Extraction != "fallback" {
			t.Errorf("%s: extraction %q without selectors", r.URL, r.Extraction)
			break
		}
	}
}

func TestExitCodes(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 5, Seed: 1}, nil)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("portal:\n  start_urls: [\"http://x/\"]\ncrawl:\n  delay: soon\n"), 0o644)
	if _, stderr, code := parc(t, "crawl", "--config", bad); code != exitUsage || !strings.Contains(stderr, "bad.yaml:4: crawl.delay") {
		t.Errorf("bad config: exit %d, stderr %q", code, stderr)
	}
	if _, _, code := parc(t, "crawl", "--no-such-flag"); code != exitUsage {
		t.Errorf("bad flag: exit %d", code)
	}
	if _, _, code := parc(t, "frobnicate"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	// A second writer exits 3 at once while the archive is held.
	arc, err := archive.Open(p.db, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := parc(t, "crawl", "--config", p.config, "--archive", p.db)
	if code != exitLocked || !strings.Contains(stderr, p.db) {
		t.Errorf("locked archive: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := parc(t, "stats", "--config", p.config, "--archive", p.db, "--wait", "50ms"); code != exitLocked {
		t.Errorf("stats on a held archive: exit %d, stderr %q", code, stderr)
	}
	arc.Close()
}

// --since-last exports only what is new or revised since the last export
// under that name; a recrawl that changed nothing adds nothing.
func TestExportSinceLast(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 30, Seed: 5}, nil)
	p.crawl(t)
	first := p.records(t, "--since-last", "nightly")
	if len(first) != len(p.sim.Truth()) {
		t.Fatalf("first export: %d records, want %d", len(first), len(p.sim.Truth()))
	}
	p.crawl(t)
	if again := p.records(t, "--since-last", "nightly"); len(again) != 0 {
		t.Errorf("unchanged portal: %d records exported again", len(again))
	}
	added := p.sim.Publish(2)
	p.crawl(t)
	delta := p.records(t, "--since-last", "nightly")
	if len(delta) != len(added) {
		t.Fatalf("after publishing %d: %d records", len(added), len(delta))
	}
	for i, a := range added {
		found := false
		for _, r := range delta {
			found = found || r.Title == a.Title
		}
		if !found {
			t.Errorf("published article %d (%q) missing from the delta", i, a.Title)
		}
	}
	if all := p.records(t); len(all) != len(p.sim.Truth()) {
		t.Errorf("plain export after deltas: %d records, want %d", len(all), len(p.sim.Truth()))
	}
}

// parc demo crawls the built-in portal and prints three records.
func TestDemo(t *testing.T) {
	out, stderr, code := parc(t, "demo", "--articles", "20")
	if code != 0 {
		t.Fatalf("demo exit %d:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("demo printed %d lines, want 3 records:\n%s", len(lines), out)
	}
	for _, l := range lines {
		var r record.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Title == "" || r.Body == "" {
			t.Errorf("demo line is not a full record (%v): %.100s", err, l)
		}
	}
}

// TestTunesGC: the commands that parse pages by the thousand collect
// against the heap budget; the others keep Go's default.
func TestTunesGC(t *testing.T) {
	for _, args := range [][]string{{"crawl"}, {"watch", "--every", "1h"}, {"reextract"}, {"demo"}} {
		if !tunesGC(args) {
			t.Errorf("tunesGC(%q) = false", args)
		}
	}
	for _, args := range [][]string{nil, {"export"}, {"show", "crawl"}, {"verify"}, {"sim"}, {"--help"}} {
		if tunesGC(args) {
			t.Errorf("tunesGC(%q) = true", args)
		}
	}
}
