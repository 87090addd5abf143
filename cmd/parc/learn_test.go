package main

import (
	"os"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// learnedConfig runs parc learn on p's archive and writes p's config with
// the proposed selectors under the portal entry; it returns the YAML.
func (p *portal) learnedConfig(t testing.TB, extra ...string) string {
	t.Helper()
	out, stderr, code := parc(t, append([]string{"learn", "--config", p.config, "--archive", p.db}, extra...)...)
	if code != 0 {
		t.Fatalf("learn exit %d:\n%s", code, stderr)
	}
	t.Logf("learn's report:\n%s", stderr)
	if !strings.HasPrefix(out, "selectors:") {
		t.Fatalf("learn's standard output is not a selectors: document:\n%s", out)
	}
	b, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	indented := "  " + strings.ReplaceAll(strings.TrimRight(out, "\n"), "\n", "\n  ") + "\n"
	cfg := strings.Replace(string(b), "  timezone:", indented+"  timezone:", 1)
	if err := os.WriteFile(p.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// Generated themes crawled with no selectors (60 articles), then
// re-extracted with what parc learn proposes from half of the archived
// captures (--pages 30: the other half were not seen): title, published,
// byline and body exact on every article (the target; it held on
// seeds 1-3 when learn landed). The per-field numbers with and without
// the learned selectors are printed.
func TestLearnGeneratedThemes(t *testing.T) {
	for _, seed := range generatedSeeds {
		p := newPortal(t, sim.Options{Articles: 60, Seed: seed, Layout: sim.LayoutGenerated}, nil)
		p.crawl(t)
		checked, before := compare(t, p, p.records(t))
		yaml := p.learnedConfig(t, "--pages", "30")
		t.Logf("seed %d: learned\n%s", seed, yaml)
		_, stderr, code := parc(t, "reextract", "--config", p.config, "--archive", p.db)
		if code != 0 {
			t.Fatalf("seed %d: reextract exit %d:\n%s", seed, code, stderr)
		}
		recs := p.records(t)
		if len(recs) != checked {
			t.Errorf("seed %d: %d records after reextract for %d articles", seed, len(recs), checked)
		}
		_, after := compare(t, p, recs)
		for _, f := range []string{"title", "published", "byline", "body"} {
			t.Logf("seed %d: %s exact in %d of %d articles with no selectors, %d with learned selectors",
				seed, f, checked-before[f], checked, checked-after[f])
			// What held when learn landed: every field exact on every
			// article of seeds 1-3 with the learned selectors.
			if after[f] > 0 {
				t.Errorf("seed %d: %s wrong in %d of %d articles with learned selectors (%d without)", seed, f, after[f], checked, before[f])
			}
		}
	}
}

// Exit codes: a bad --pages is usage (2); an archive that keeps no
// captures has nothing to learn from (1, and it says so); standard output
// stays empty in both.
func TestLearnExitCodes(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 10, Seed: 1, Layout: sim.LayoutGenerated}, func(cfg string) string {
		return strings.Replace(cfg, "keep_raw: true", "keep_raw: false", 1)
	})
	p.crawl(t)
	out, stderr, code := parc(t, "learn", "--config", p.config, "--archive", p.db, "--pages", "0")
	if code != 2 || out != "" {
		t.Errorf("--pages 0: exit %d, stdout %q, want 2 and nothing:\n%s", code, out, stderr)
	}
	out, stderr, code = parc(t, "learn", "--config", p.config, "--archive", p.db)
	if code != 1 || out != "" || !strings.Contains(stderr, "archive.keep_raw: false") {
		t.Errorf("no captures kept: exit %d, stdout %q, want 1, nothing, and why:\n%s", code, out, stderr)
	}
}

// With fewer captures stored than --pages, learn first crawls the portal
// (bounded, captures kept) and learns from what it fetched; --no-fetch
// fetches nothing.
func TestLearnFetchesWhenTooFewCaptures(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 40, Seed: 2, Layout: sim.LayoutGenerated}, nil)
	out, stderr, code := parc(t, "learn", "--config", p.config, "--archive", p.db, "--pages", "20", "--no-fetch")
	if code != 1 || out != "" {
		t.Errorf("--no-fetch on no archive: exit %d, stdout %q, want 1 and nothing:\n%s", code, out, stderr)
	}
	out, stderr, code = parc(t, "learn", "--config", p.config, "--archive", p.db, "--pages", "20")
	if code != 0 || !strings.HasPrefix(out, "selectors:") {
		t.Fatalf("learn with fetching: exit %d, stdout %q:\n%s", code, out, stderr)
	}
	if !strings.Contains(stderr, "crawling the portal first (at most 80 pages)") || !strings.Contains(stderr, "learn: 20 article pages read") {
		t.Errorf("learn did not say it fetched, or did not read 20 pages:\n%s", stderr)
	}
	if n := len(p.records(t)); n < 20 {
		t.Errorf("%d articles archived by learn's crawl, want at least 20", n)
	}
}
