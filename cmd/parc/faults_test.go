package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/sim"
)

// TestCrawlHostilePortal crawls the simulated portal in faults mode (503s,
// 429 with Retry-After, a slow first answer past the timeout, a body cut
// short, windows-1258, malformed HTML, a removed article, a redirect loop,
// a redirect off-site, a huge page, robots.txt with Crawl-delay and a
// disallowed admin section, tracking parameters and case variants) and
// expects every live article archived exactly once, with its text equal to
// the truth, and nothing requested that must not be.
func TestCrawlHostilePortal(t *testing.T) {
	var offsiteHits atomic.Int32
	offsite := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offsiteHits.Add(1)
		w.Write([]byte("<html><body><h1>off site</h1><p>never fetch me</p></body></html>"))
	}))
	t.Cleanup(offsite.Close)
	opts := sim.Options{
		Articles: 40, Seed: 11, Faults: true,
		SlowDelay:  2 * time.Second, // crawl.timeout is half of it
		CrawlDelay: 20 * time.Millisecond,
		RetryAfter: 1,
		OffsiteURL: offsite.URL + "/landing",
		HugeBytes:  3 << 20,
	}
	p := newPortal(t, opts, func(cfg string) string {
		cfg = strings.Replace(cfg, "max_body_bytes: 10485760", "max_body_bytes: 2097152", 1)
		return strings.Replace(cfg, "  every: 30m\n", "  every: 30m\n  backoff: 20ms\n", 1)
	})
	faults := map[string]sim.Fault{}
	for _, f := range p.sim.Faults() {
		faults[f.Kind] = f
	}
	// A persistent fault, cleared after the first run: the page must be
	// kept in the frontier and archived by the second run.
	truth := p.sim.Truth()
	var down sim.Article
	for _, a := range truth {
		if a.Key != sim.SeedKey && !isFault(faults, a.Key) {
			down = a
		}
	}
	if err := p.sim.SetDown(down.Key, true); err != nil {
		t.Fatal(err)
	}

	summary := p.crawl(t)
	t.Logf("first crawl:\n%s", summary)
	recs := p.records(t)
	if len(recs) != len(truth)-1 {
		t.Errorf("%d records after the first crawl, want %d (all live articles but the one down)", len(recs), len(truth)-1)
	}
	for _, r := range recs {
		if strings.HasSuffix(r.URL, down.URL) {
			t.Errorf("the article answering 503 became a record")
		}
		if strings.Contains(strings.ToLower(r.URL), strings.ToLower(faults["gone"].Path)) {
			t.Errorf("the removed article (404) became a record")
		}
	}
	req := p.sim.Requests()
	if n := offsiteHits.Load(); n != 0 {
		t.Errorf("off-site listener hit %d times", n)
	}
	if req.Disallowed != 0 {
		t.Errorf("%d requests to robots-disallowed paths", req.Disallowed)
	}
	if req.Faults.RedirectLoop > 11 {
		t.Errorf("redirect loop cost %d requests, want at most 11", req.Faults.RedirectLoop)
	}
	if req.Faults.Offsite != 1 {
		t.Errorf("off-site redirect requested %d times, want once (redirect errors are not retried)", req.Faults.Offsite)
	}
	served := map[string]int64{
		"503": req.Faults.Unavailable, "429": req.Faults.TooManyRequests, "429-date": req.Faults.TooManyUntilDate,
		"slow": req.Faults.Slow, "truncated": req.Faults.Truncated, "windows-1258": req.Faults.Windows1258,
		"malformed": req.Faults.Malformed, "huge": req.Faults.Huge,
	}
	for kind, n := range served {
		if n == 0 {
			t.Errorf("the crawl never met the %s fault", kind)
		}
	}
	// The summary counts every fault: those recovered from by retrying and
	// those that failed for good.
	for _, want := range []string{"http-5xx", "http-429", "timeout", "truncated", "redirect 2", "too-large 1", "http-4xx 1", "disallowed by robots.txt"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary does not count %q:\n%s", want, summary)
		}
	}

	// parc stats shows the failures by kind of the last run and what is
	// queued again.
	out, stderr, code := parc(t, "stats", "--json", "--config", p.config, "--archive", p.db)
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, stderr)
	}
	var st struct {
		Failed   int            `json:"frontier_failed"`
		Failures map[string]int `json:"failures_last_run"`
		Retried  map[string]int `json:"retried_last_run"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("stats output: %v\n%s", err, out)
	}
	if st.Failures["http-5xx"] != 1 || st.Failures["redirect"] != 2 || st.Failures["too-large"] != 1 || st.Retried["truncated"] == 0 || st.Failed < 5 {
		t.Errorf("stats: failures %v, retried %v, frontier_failed %d", st.Failures, st.Retried, st.Failed)
	}
	if !strings.Contains(stderr, "failures by kind") {
		t.Errorf("stats prints no failures by kind on stderr: %q", stderr)
	}

	// Second run: the page that was down is retried from the frontier.
	if err := p.sim.SetDown(down.Key, false); err != nil {
		t.Fatal(err)
	}
	t.Logf("second crawl:\n%s", p.crawl(t))
	recs = p.records(t)
	if len(recs) != len(truth) {
		t.Errorf("%d records after the second crawl, want %d", len(recs), len(truth))
	}
	checked, wrong := compare(t, p, recs)
	for field, n := range wrong {
		t.Errorf("%s wrong in %d of %d articles", field, n, checked)
	}
	// What the faults cost is no damage: verify finds the archive sound
	// (skipped and failed pages are no lost ones).
	if out, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
		t.Errorf("verify after the faulty crawls: exit %d\n%s%s", code, out, stderr)
	}
	byURL := map[string]record.Record{}
	for _, r := range recs {
		byURL[strings.TrimPrefix(r.URL, p.srv.URL)] = r
	}
	for _, kind := range []string{"windows-1258", "malformed", "truncated", "slow", "503-twice", "429-date"} {
		a, ok := p.sim.Lookup(faults[kind].Key)
		if r, found := byURL[a.URL]; !ok || !found || r.Body != a.Body {
			t.Errorf("%s article not archived with its text", kind)
		}
	}
	if _, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
		t.Errorf("verify exit %d: %s", code, stderr)
	}

	// A removed article is marked gone, never deleted.
	removed := faults["windows-1258"].Key
	if err := p.sim.Remove(removed); err != nil {
		t.Fatal(err)
	}
	t.Logf("refresh:\n%s", p.crawl(t, "--refresh"))
	a, _ := p.sim.Lookup(removed)
	var rec *record.Record
	for _, r := range p.records(t) {
		if strings.HasSuffix(r.URL, a.URL) {
			rec = &r
		}
	}
	if rec == nil {
		t.Fatal("the removed article left the export")
	}
	if g, err := time.Parse(time.RFC3339, rec.GoneSince); err != nil || g.Location() != time.UTC || time.Since(g) > time.Minute {
		t.Errorf("gone_since %q: want the time it was seen gone, RFC 3339 UTC", rec.GoneSince)
	}
	if _, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
		t.Errorf("verify after refresh exit %d: %s", code, stderr)
	}
	if n := offsiteHits.Load(); n != 0 {
		t.Errorf("off-site listener hit %d times", n)
	}
	if n := p.sim.Requests().Disallowed; n != 0 {
		t.Errorf("%d requests to robots-disallowed paths", n)
	}
}

func isFault(faults map[string]sim.Fault, key string) bool {
	for _, f := range faults {
		if f.Key == key {
			return true
		}
	}
	return false
}

// An article URL that redirects to another site is skipped, not lost:
// parc verify finds the archive sound after the crawl (it used to report
// the page as "marked done with neither a record nor a failure" and exit
// 1 on every verify of such a portal).
func TestSkippedArticlePageIsNoLostPage(t *testing.T) {
	opts := sim.Options{Articles: 12, Seed: 3, Faults: true, SlowDelay: 2 * time.Second, CrawlDelay: 20 * time.Millisecond, RetryAfter: 1,
		OffsiteURL: "http://offsite.invalid/landing", HugeBytes: 3 << 20}
	p := newPortal(t, opts, func(cfg string) string {
		cfg = strings.Replace(cfg, "max_body_bytes: 10485760", "max_body_bytes: 2097152", 1)
		return strings.Replace(cfg, "  every: 30m\n", "  every: 30m\n  backoff: 20ms\n", 1)
	})
	if summary := p.crawl(t); !strings.Contains(summary, "1 off scope") {
		t.Fatalf("the off-site redirect was not skipped as off scope:\n%s", summary)
	}
	if out, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 0 {
		t.Errorf("verify: exit %d\n%s%s", code, out, stderr)
	}
}
