package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/runrecord"
	"github.com/parc-archiver/parc/sim"
)

// lastRun is the newest run record `parc stats` prints.
func lastRun(t *testing.T, p *portal) (runrecord.Run, string) {
	t.Helper()
	out, stderr, code := parc(t, "stats", "--json", "--config", p.config, "--archive", p.db)
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, stderr)
	}
	var st struct {
		LastRuns []json.RawMessage `json:"last_runs"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.LastRuns) == 0 {
		t.Fatalf("stats output: %v\n%s", err, out)
	}
	r, err := runrecord.Parse(st.LastRuns[len(st.LastRuns)-1])
	if err != nil {
		t.Fatal(err)
	}
	return r, stderr
}

// TestCrawlHostileSim crawls the simulated portal in hostile mode (two
// gzip bombs, a 503 with Retry-After: 999999999, a page of 1 000 links, a
// link over 8 KB) with small limits: the crawl ends, exits 0, archives
// every article, and counts each defence in its summary, its run record
// and parc stats. The x-gzip bomb fails as too-large after 2 MiB decoded;
// the gzip file (Content-Type application/x-gzip) is not decoded at all,
// and fails as no HTML page (handler).
func TestCrawlHostileSim(t *testing.T) {
	const links, perPage = 1000, 300
	opts := sim.Options{Articles: 30, Seed: 3, Hostile: true, HostileLinks: links, BombBytes: 8 << 20}
	p := newPortal(t, opts, func(cfg string) string {
		return strings.Replace(cfg, "max_body_bytes: 10485760", "max_body_bytes: 2097152\n  max_links_per_page: 300\n  backoff: 10ms", 1)
	})
	_, summary, code := parc(t, "crawl", "--config", p.config, "--archive", p.db)
	t.Logf("crawl:\n%s", summary)
	if code != 0 {
		t.Fatalf("crawl exit %d, want 0", code)
	}
	if n := len(p.records(t)); n != len(p.sim.Truth()) {
		t.Errorf("%d records, want the portal's %d articles", n, len(p.sim.Truth()))
	}
	req := p.sim.Requests().Hostile
	if req.Bombs != 2 || req.RetryAfter != 1 || req.Links != 1 || req.LongLink != 1 || req.LinkTargets != perPage {
		t.Errorf("hostile pages served: %+v; want each once and %d link targets", req, perPage)
	}
	for _, want := range []string{
		"crawl: not queued: 1 links longer than 8 KB\n",
		"crawl: not queued: 700 links beyond crawl.max_links_per_page on their pages\n",
		"too-large 1", "handler 1", "http-5xx 1",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	r, stderr := lastRun(t, p)
	if r.LongURLs != 1 || r.LinksOverPageLimit != links-perPage || r.URLsOverRunLimit != 0 || r.Failures["too-large"] != 1 || r.Failures["handler"] != 1 || r.Failures["http-5xx"] != 1 {
		t.Errorf("run record: long_urls %d, links_over_page_limit %d, urls_over_run_limit %d, failures %v",
			r.LongURLs, r.LinksOverPageLimit, r.URLsOverRunLimit, r.Failures)
	}
	if want := "stats: last run: not queued: 1 links longer than 8 KB, 700 beyond crawl.max_links_per_page, 0 to new URLs beyond crawl.max_new_urls_per_run"; !strings.Contains(stderr, want) {
		t.Errorf("stats lacks %q:\n%s", want, stderr)
	}
}

// TestCrawlHostileSimRunLimit: a run that may queue 50 URLs fetches at
// most 50 pages of the hostile portal, ends with exit 0 and counts the
// links it did not queue.
func TestCrawlHostileSimRunLimit(t *testing.T) {
	const runLimit = 50
	p := newPortal(t, sim.Options{Articles: 30, Seed: 3, Hostile: true, HostileLinks: 200, BombBytes: 4 << 20}, func(cfg string) string {
		return strings.Replace(cfg, "max_body_bytes: 10485760", "max_body_bytes: 2097152\n  max_new_urls_per_run: 50", 1)
	})
	_, summary, code := parc(t, "crawl", "--config", p.config, "--archive", p.db)
	t.Logf("crawl:\n%s", summary)
	if code != 0 {
		t.Fatalf("crawl exit %d, want 0", code)
	}
	req := p.sim.Requests()
	if fetched := req.Total - req.Robots; fetched > runLimit {
		t.Errorf("%d pages requested, more than the %d URLs the run may queue", fetched, runLimit)
	}
	r, _ := lastRun(t, p)
	if r.URLsOverRunLimit == 0 || !strings.Contains(summary, "links to new URLs beyond crawl.max_new_urls_per_run") {
		t.Errorf("urls_over_run_limit %d; the summary:\n%s", r.URLsOverRunLimit, summary)
	}
}
