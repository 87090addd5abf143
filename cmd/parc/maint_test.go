package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/atomicfile"
	"github.com/parc-archiver/parc/sim"
)

// brokenRemove is a profile mistake: a remove rule that also drops the
// second paragraph of VIEPortal-era articles (only those).
const brokenRemove = "      - 'div.NewsDetail > div.Content > p:nth-of-type(2)'\n"

func withBrokenProfile(cfg string) string {
	return strings.Replace(cfg, "    remove:\n", "    remove:\n"+brokenRemove, 1)
}

// fixedConfig writes the portal's config without the broken rule.
func (p *portal) fixedConfig(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(b), brokenRemove, "", 1)
	if fixed == string(b) {
		t.Fatal("the config has no broken rule to fix")
	}
	path := filepath.Join(filepath.Dir(p.config), "fixed.yaml")
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var reextractSummary = regexp.MustCompile(`reextract: (\d+) records examined, (\d+) (?:would be )?revised, (\d+) unchanged, (\d+) without a stored capture, (\d+) failed`)

func TestReextractAfterProfileFix(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 80, Seed: 4}, withBrokenProfile)
	p.crawl(t)
	truth := map[string]string{} // canonical path -> body
	for _, a := range p.sim.Truth() {
		truth[a.URL] = a.Body
	}
	affected := map[string]bool{}
	for _, r := range p.records(t) {
		if r.Body != truth[strings.TrimPrefix(r.URL, p.srv.URL)] {
			affected[r.ID] = true
		}
	}
	if len(affected) == 0 || len(affected) == len(truth) {
		t.Fatalf("the broken profile damaged %d of %d articles; the test needs some, not all", len(affected), len(truth))
	}
	fixed := p.fixedConfig(t)
	requests := p.sim.Requests().Total

	// --dry-run lists what would change and writes nothing.
	out, stderr, code := parc(t, "reextract", "--dry-run", "--config", fixed, "--archive", p.db)
	if code != 0 {
		t.Fatalf("reextract --dry-run exit %d:\n%s", code, stderr)
	}
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var l dryRunLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("dry-run line: %v: %s", err, sc.Text())
		}
		if !affected[l.ID] || l.Revision != 2 || l.Diff == nil || l.Diff.ParagraphsAdded != 1 {
			t.Errorf("dry run would revise %s to %d with %+v", l.ID, l.Revision, l.Diff)
		}
		lines++
	}
	if lines != len(affected) {
		t.Errorf("dry run listed %d records, want %d\n%s", lines, len(affected), stderr)
	}
	for _, r := range p.records(t) {
		if r.Revision != 1 {
			t.Fatalf("dry run stored revision %d of %s", r.Revision, r.ID)
		}
	}

	_, stderr, code = parc(t, "reextract", "--config", fixed, "--archive", p.db)
	if code != 0 {
		t.Fatalf("reextract exit %d:\n%s", code, stderr)
	}
	t.Log(strings.TrimSpace(stderr))
	m := reextractSummary.FindStringSubmatch(stderr)
	if m == nil || m[1] != itoa(len(truth)) || m[2] != itoa(len(affected)) || m[3] != itoa(len(truth)-len(affected)) || m[5] != "0" {
		t.Errorf("summary %q: want %d examined, %d revised", stderr, len(truth), len(affected))
	}
	if n := p.sim.Requests().Total; n != requests {
		t.Errorf("reextract made %d HTTP requests", n-requests)
	}
	recs := p.records(t)
	for _, r := range recs {
		if want := 1 + btoi(affected[r.ID]); r.Revision != want {
			t.Errorf("%s: revision %d, want %d", r.URL, r.Revision, want)
		}
		if r.Body != truth[strings.TrimPrefix(r.URL, p.srv.URL)] {
			t.Errorf("%s: body still differs from the truth after reextract", r.URL)
		}
	}
	for id := range affected {
		var h archive.History
		out, _, _ := parc(t, "show", "--json", "--config", fixed, "--archive", p.db, id)
		if err := json.Unmarshal([]byte(out), &h); err != nil {
			t.Fatal(err)
		}
		// Revision 2 cites the newest capture of revision 1: its own, or
		// that of a later fetch with the same content (a print view, a
		// cross-post).
		r1, r2 := h.Revisions[0], h.Revisions[1]
		wantID, wantAt := r1.CaptureID, r1.FetchedAt
		if n := len(r1.Refetches); n > 0 {
			wantID, wantAt = r1.Refetches[n-1].ID, r1.Refetches[n-1].FetchedAt
		}
		if r2.CaptureID == "" || r2.CaptureID != wantID || r2.FetchedAt != wantAt {
			t.Errorf("%s: revision 2 cites capture %q at %s, want %q at %s", id, r2.CaptureID, r2.FetchedAt, wantID, wantAt)
		}
	}
	if _, stderr, code := parc(t, "verify", "--config", fixed, "--archive", p.db); code != 0 {
		t.Errorf("verify exit %d:\n%s", code, stderr)
	}
	// Again: nothing left to change.
	_, stderr, _ = parc(t, "reextract", "--config", fixed, "--archive", p.db)
	if m := reextractSummary.FindStringSubmatch(stderr); m == nil || m[2] != "0" {
		t.Errorf("second reextract: %s", stderr)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestBackup(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 25, Seed: 2}, nil)
	p.crawl(t)
	want := p.records(t)
	dir := t.TempDir()

	tests := []struct {
		name string
		args []string
		dst  string // the file the backup must be in
	}{
		{"file", []string{filepath.Join(dir, "b1.db")}, filepath.Join(dir, "b1.db")},
		{"into a directory", []string{dir}, filepath.Join(dir, "parc.db")},
		{"flags after the path", []string{filepath.Join(dir, "b2.db"), "--wait", "1s"}, filepath.Join(dir, "b2.db")},
		{"over an older backup", []string{filepath.Join(dir, "b1.db")}, filepath.Join(dir, "b1.db")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := parc(t, append([]string{"backup", "--config", p.config, "--archive", p.db}, tc.args...)...)
			if code != 0 {
				t.Fatalf("backup exit %d:\n%s", code, stderr)
			}
			b := &portal{sim: p.sim, srv: p.srv, config: p.config, db: tc.dst}
			if got := b.records(t); len(got) != len(want) || got[0].ID != want[0].ID || got[len(got)-1].Body != want[len(want)-1].Body {
				t.Errorf("backup holds %d records, want %d equal to the archive's", len(got), len(want))
			}
			if _, stderr, code := parc(t, "verify", "--config", p.config, "--archive", tc.dst); code != 0 {
				t.Errorf("verify of the backup: exit %d\n%s", code, stderr)
			}
			if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(tc.dst), atomicfile.TempPattern(tc.dst))); len(tmps) > 0 {
				t.Errorf("temporary files left: %v", tmps)
			}
		})
	}

	t.Run("beside a reader", func(t *testing.T) {
		r, err := archive.Open(p.db, archive.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if _, stderr, code := parc(t, "backup", "--config", p.config, "--archive", p.db, filepath.Join(dir, "b3.db")); code != 0 {
			t.Errorf("backup while a reader holds the archive: exit %d\n%s", code, stderr)
		}
	})
	t.Run("while a writer holds it", func(t *testing.T) {
		w, err := archive.Open(p.db, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		dst := filepath.Join(dir, "b4.db")
		_, stderr, code := parc(t, "backup", "--config", p.config, "--archive", p.db, "--wait", "20ms", dst)
		if code != exitLocked || !strings.Contains(stderr, p.db) {
			t.Errorf("backup of a held archive: exit %d, stderr %q", code, stderr)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Error("a failed backup left its destination")
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{}, {"a", "b"}, {p.db}} {
			if _, _, code := parc(t, append([]string{"backup", "--config", p.config, "--archive", p.db}, args...)...); code != exitUsage {
				t.Errorf("backup %q: exit %d, want %d", args, code, exitUsage)
			}
		}
		if _, _, code := parc(t, "backup", "--help"); code != 0 {
			t.Errorf("backup --help: exit %d", code)
		}
	})
}

func TestCompact(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 40, Seed: 6}, withBrokenProfile)
	p.crawl(t)
	// Revisions and a redaction leave free pages behind.
	if _, stderr, code := parc(t, "reextract", "--config", p.fixedConfig(t), "--archive", p.db); code != 0 {
		t.Fatalf("reextract: %s", stderr)
	}
	recs := p.records(t)
	if _, stderr, code := parc(t, "redact", "--config", p.config, "--archive", p.db, recs[0].ID, "--reason", "test"); code != 0 {
		t.Fatalf("redact: %s", stderr)
	}
	want := p.records(t, "--all-revisions")
	before, err := os.Stat(p.db)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("locked", func(t *testing.T) {
		w, err := archive.Open(p.db, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, stderr, code := parc(t, "compact", "--config", p.config, "--archive", p.db); code != exitLocked {
			t.Errorf("compact of a held archive: exit %d\n%s", code, stderr)
		}
	})
	t.Run("compacts in place", func(t *testing.T) {
		// A symbolic link at the name compact used to write to, pointing
		// at a file of the user's: compact must not write through it.
		victim := filepath.Join(t.TempDir(), "victim")
		if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(victim, p.db+".compact-tmp"); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p.db + ".compact-tmp")
		_, stderr, code := parc(t, "compact", "--config", p.config, "--archive", p.db)
		if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
			t.Errorf("the file a link at PATH.compact-tmp points to was changed: %q, %v", b, err)
		}
		if code != 0 {
			t.Fatalf("compact exit %d:\n%s", code, stderr)
		}
		t.Log(strings.TrimSpace(stderr))
		after, err := os.Stat(p.db)
		if err != nil {
			t.Fatal(err)
		}
		if after.Size() >= before.Size() {
			t.Errorf("compact: %d -> %d bytes", before.Size(), after.Size())
		}
		got := p.records(t, "--all-revisions")
		if len(got) != len(want) {
			t.Fatalf("%d revisions after compact, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || got[i].Revision != want[i].Revision || got[i].Body != want[i].Body {
				t.Errorf("revision %d: %s/%d, want %s/%d", i, got[i].ID, got[i].Revision, want[i].ID, want[i].Revision)
			}
		}
		if _, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
			t.Errorf("verify after compact: exit %d\n%s", code, stderr)
		}
		if left, _ := filepath.Glob(p.db + ".compact-tmp-*"); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
		// The compacted archive takes writes again.
		p.crawl(t)
	})
	t.Run("missing archive", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		if _, _, code := parc(t, "compact", "--config", p.config, "--archive", missing); code != exitFailed {
			t.Errorf("compact of a missing archive: exit %d", code)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("compact created an archive")
		}
	})
}

func TestRedactCommand(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 12, Seed: 8}, nil)
	p.crawl(t)
	recs := p.records(t)
	victim, other := recs[1], recs[2]
	base := []string{"redact", "--config", p.config, "--archive", p.db}

	usage := []struct {
		name string
		args []string
	}{
		{"no reason", []string{victim.ID}},
		{"blank reason", []string{victim.ID, "--reason", "  "}},
		{"no id", []string{"--reason", "x"}},
		{"two ids", []string{victim.ID, other.ID, "--reason", "x"}},
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, code := parc(t, append(base, tc.args...)...); code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
		})
	}
	if _, _, code := parc(t, append(base, "ffffffffffffffff", "--reason", "x")...); code != exitFailed {
		t.Errorf("unknown id: exit %d, want %d", code, exitFailed)
	}
	// By a URL variant (tracking parameter, fragment), the reason after it.
	u := victim.URL + "?utm_source=x#top"
	_, stderr, code := parc(t, append(base, u, "--reason", "court order 12/2024")...)
	if code != 0 {
		t.Fatalf("redact exit %d:\n%s", code, stderr)
	}
	out, _, _ := parc(t, "show", "--json", "--config", p.config, "--archive", p.db, victim.ID)
	var h archive.History
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		t.Fatal(err)
	}
	if h.Redacted == nil || h.Redacted.Reason != "court order 12/2024" || h.Record.Body != "" || h.Record.Title != "" {
		t.Errorf("after redact, show: %+v %+v", h.Redacted, h.Record)
	}
	after := p.records(t)
	if len(after) != len(recs)-1 {
		t.Errorf("%d records exported after redacting one of %d", len(after), len(recs))
	}
	for _, r := range after {
		if r.ID == victim.ID {
			t.Error("the redacted record is still exported")
		}
	}
	// Again: already redacted, the first reason stays.
	if _, stderr, code := parc(t, append(base, victim.ID, "--reason", "again")...); code != 0 || !strings.Contains(stderr, "already redacted") {
		t.Errorf("second redact: exit %d %q", code, stderr)
	}
	// A crawl does not bring it back.
	p.crawl(t, "--refresh")
	if n := len(p.records(t)); n != len(recs)-1 {
		t.Errorf("after a refresh crawl: %d records, want %d", n, len(recs)-1)
	}
	if _, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
		t.Errorf("verify: exit %d\n%s", code, stderr)
	}
}

func TestReextractEdgeCases(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 6, Seed: 3}, func(cfg string) string {
		return strings.Replace(cfg, "keep_raw: true", "keep_raw: false", 1)
	})
	p.crawl(t)
	base := []string{"reextract", "--config", p.config, "--archive", p.db}
	t.Run("without captures", func(t *testing.T) {
		_, stderr, code := parc(t, base...)
		m := reextractSummary.FindStringSubmatch(stderr)
		if code != 0 || m == nil || m[4] != m[1] || m[2] != "0" {
			t.Errorf("exit %d, %q: want every record without a capture", code, stderr)
		}
	})
	t.Run("locked", func(t *testing.T) {
		w, err := archive.Open(p.db, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, _, code := parc(t, base...); code != exitLocked {
			t.Errorf("reextract of a held archive: exit %d", code)
		}
		if _, _, code := parc(t, append(base, "--dry-run", "--wait", "20ms")...); code != exitLocked {
			t.Errorf("reextract --dry-run of a held archive: exit %d", code)
		}
	})
	t.Run("missing archive", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		if _, _, code := parc(t, "reextract", "--config", p.config, "--archive", missing); code != exitFailed {
			t.Errorf("exit %d", code)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("reextract created an archive")
		}
	})
	t.Run("arguments", func(t *testing.T) {
		if _, _, code := parc(t, append(base, "extra")...); code != exitUsage {
			t.Errorf("exit %d", code)
		}
	})
}
