package main

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/parc-archiver/parc/sim"
)

// TestPortalsConfig checks that the config the benchmark writes is YAML
// with one `portals:` entry per portal, each its own name, scope and
// (for the vendor layouts) selectors, and the polite crawl settings.
func TestPortalsConfig(t *testing.T) {
	var entries []portalInfo
	var rest string
	for i := range 3 {
		p := sim.New(sim.Options{Articles: 2, Seed: int64(i + 1), Layout: layouts[i].layout})
		base := "http://" + portalAddr(i)[:len(portalAddr(i))-2] + ":8000"
		sec, r, err := splitConfig(p.Config(base), "p"+layouts[i].name)
		if err != nil {
			t.Fatal(err)
		}
		rest = r
		entries = append(entries, portalInfo{Index: i, Name: "p" + layouts[i].name, Base: base, Layout: i, Section: sec})
	}
	rest, err := politeRest(rest)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Portals []struct {
			Name           string
			StartURLs      []string       `yaml:"start_urls"`
			AllowedDomains []string       `yaml:"allowed_domains"`
			Selectors      map[string]any `yaml:"selectors"`
			Other          map[string]any `yaml:",inline"`
		}
		Crawl struct {
			Delay       string
			Parallelism int
		}
		Archive map[string]any
	}
	text := portalsConfig(rest, entries)
	if err := yaml.Unmarshal([]byte(text), &cfg); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if len(cfg.Portals) != 3 {
		t.Fatalf("%d portals, want 3:\n%s", len(cfg.Portals), text)
	}
	for i, p := range cfg.Portals {
		if p.Name != entries[i].Name || len(p.StartURLs) != 1 || p.StartURLs[0] != entries[i].Base+"/" {
			t.Errorf("portal %d: name %q start_urls %v, want %q and %s/", i, p.Name, p.StartURLs, entries[i].Name, entries[i].Base)
		}
		if want := "127.0.1." + string(rune('1'+i)); len(p.AllowedDomains) != 1 || p.AllowedDomains[0] != want {
			t.Errorf("portal %d: allowed_domains %v, want [%s]", i, p.AllowedDomains, want)
		}
		if hasSel := p.Selectors != nil; hasSel != (layouts[i].layout != sim.LayoutGenerated) {
			t.Errorf("portal %d (%s): selectors %v", i, layouts[i].name, p.Selectors)
		}
	}
	if cfg.Crawl.Delay != "1s" || cfg.Crawl.Parallelism != 1 || cfg.Archive == nil {
		t.Errorf("crawl %+v, archive %v: want delay 1s, parallelism 1 and the archive section", cfg.Crawl, cfg.Archive)
	}
}

func TestParseSummary(t *testing.T) {
	for _, c := range []struct {
		stderr string
		want   summary
	}{
		{"crawl: 31 pages fetched, 20 new, 0 updated, 0 unchanged, 0 duplicates, 1 failed, 0 fallback extractions (30.1s)\n", summary{31, 20, 1}},
		{"gc 1 @0.1s\ncrawl: p0000-vieportal: 30 pages fetched, 20 new, 0 updated, 0 unchanged, 0 duplicates, 0 failed, 0 fallback extractions (29.0s)\n" +
			"crawl: all 2 portals: 61 pages fetched, 40 new, 0 updated, 0 unchanged, 0 duplicates, 2 failed, 0 fallback extractions (30.2s)\n", summary{61, 40, 2}},
		{"crawl: a.b: 3 pages fetched, 2 new, 0 updated, 0 unchanged, 0 duplicates, 0 failed, 0 fallback extractions (3.0s)\n" +
			"crawl: c: 4 pages fetched, 1 new, 0 updated, 0 unchanged, 0 duplicates, 1 failed, 0 fallback extractions (4.0s)\n", summary{7, 3, 1}},
	} {
		got, ok := parseSummary(c.stderr)
		if !ok || got != c.want {
			t.Errorf("parseSummary(%q) = %+v, %v; want %+v", c.stderr, got, ok, c.want)
		}
	}
	if _, ok := parseSummary("crawl: 3 pages fetched (1.0/s), 2 queued\n"); ok {
		t.Error("a progress line parsed as the summary")
	}
}
