package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/parc-archiver/parc/notify"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/sim"
)

// portalEntry turns the portal: section of a simulated portal's config
// (sim.Portal.Config) into one entry of a portals: list named name.
func portalEntry(t testing.TB, cfg, name string) string {
	t.Helper()
	start := strings.Index(cfg, "portal:\n")
	end := strings.Index(cfg, "\ncrawl:\n")
	if start < 0 || end < start {
		t.Fatalf("no portal: section in\n%s", cfg)
	}
	lines := strings.Split(cfg[start+len("portal:\n"):end], "\n")
	var b strings.Builder
	b.WriteString("  - name: " + name + "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "  name:") || strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// eventLog collects the webhook events parc delivers.
type eventLog struct {
	mu     sync.Mutex
	events []notify.Event
	// stored is closed once want article.new events arrived.
	want   int
	stored chan struct{}
	closed bool
}

func (l *eventLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var ev notify.Event
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, &ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
	ids := map[string]bool{} // a delivery may come again: count each event once
	for _, e := range l.events {
		if e.Event == notify.EventArticleNew {
			ids[e.ID] = true
		}
	}
	if len(ids) == l.want && !l.closed {
		l.closed = true
		close(l.stored)
	}
}

// Four portals in one archive: three simulated ones of different layouts,
// two of them carrying the same articles (the member site reposts the
// group's news), and one that answers 503 to everything. Each good portal equals its
// truth; the repost is two records, linked; exports, metrics and webhooks
// name the right portal; the failing portal fails its run, is named, and
// delays nobody: it answers only once the others stored every article.
func TestCrawlFourPortalsIntoOneArchive(t *testing.T) {
	group := sim.New(sim.Options{Articles: 25, Seed: 3, Layout: sim.LayoutVIEPortal})
	member := sim.New(sim.Options{Articles: 25, Seed: 3, Layout: sim.LayoutGenerated})
	apps := sim.New(sim.Options{Articles: 15, Seed: 8, Layout: sim.LayoutVIEApps})
	gsrv, msrv, asrv := httptest.NewServer(group), httptest.NewServer(member), httptest.NewServer(apps)
	t.Cleanup(gsrv.Close)
	t.Cleanup(msrv.Close)
	t.Cleanup(asrv.Close)
	hooks := &eventLog{want: 2*len(group.Truth()) + len(apps.Truth()), stored: make(chan struct{})}
	hsrv := httptest.NewServer(hooks)
	t.Cleanup(hsrv.Close)
	var early sync.Map // requests to the failing portal answered before the others were stored
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hooks.stored:
		case <-r.Context().Done():
			early.Store(r.URL.Path, true)
		}
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)

	dir := t.TempDir()
	cfg := "portals:\n" +
		portalEntry(t, group.Config(gsrv.URL), "group") +
		portalEntry(t, member.Config(msrv.URL), "member") +
		portalEntry(t, apps.Config(asrv.URL), "apps") +
		"  - name: down\n    start_urls: ['" + down.URL + "/']\n    article_url: '/a/'\n" +
		"crawl:\n  delay: 0s\n  parallelism: 4\n  timeout: 60s\n  retries: 1\n  backoff: 1ms\n" +
		"archive:\n  path: " + filepath.Join(dir, "parc.db") + "\n" +
		"notify:\n  webhooks: [{url: '" + hsrv.URL + "', secret: s}]\n"
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	metrics := filepath.Join(dir, "parc.prom")
	_, stderr, code := parc(t, "crawl", "--config", path, "--metrics-file", metrics)
	if code != 1 {
		t.Fatalf("crawl exit %d, want 1 (one portal failed):\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "down: ") || !strings.Contains(stderr, "portal unreachable") {
		t.Errorf("the summary does not name the failed portal:\n%s", stderr)
	}
	early.Range(func(k, _ any) bool {
		t.Errorf("the failing portal's %s was answered before the other portals were stored: they waited for it", k)
		return true
	})

	recs := map[string][]record.Record{}
	sims := map[string]*portal{
		"group":  {sim: group, srv: gsrv},
		"member": {sim: member, srv: msrv},
		"apps":   {sim: apps, srv: asrv},
	}
	for name, p := range sims {
		p.config, p.db = path, filepath.Join(dir, "parc.db")
		recs[name] = p.records(t, "--portal", name)
		if len(recs[name]) != len(p.sim.Truth()) {
			t.Errorf("%s: %d records for %d articles", name, len(recs[name]), len(p.sim.Truth()))
		}
		checked, wrong := compare(t, p, recs[name])
		for field, n := range wrong {
			t.Errorf("%s: %s wrong in %d of %d articles", name, field, n, checked)
		}
		for _, r := range recs[name] {
			if r.Portal != name {
				t.Errorf("%s exported with --portal %s names portal %q", r.URL, name, r.Portal)
			}
		}
	}
	// The portals ran at once: either copy may be the first stored, the
	// other then names it. (The reference article is on every simulated
	// portal: a copy may name the VIEApps portal's.)
	others := map[string][]record.Record{}
	for _, name := range []string{"group", "apps"} {
		for _, r := range recs[name] {
			others[r.Title] = append(others[r.Title], r)
		}
	}
	for _, m := range recs["member"] {
		linked := false
		for _, o := range others[m.Title] {
			if o.ID == m.ID {
				t.Errorf("the repost %s was merged into %s's record %s", m.URL, o.Portal, o.ID)
			}
			linked = linked || m.NearDuplicateOf == o.ID || o.NearDuplicateOf == m.ID
		}
		if !linked {
			t.Errorf("the repost %s (%s) is linked to no copy on the other portals (near_duplicate_of %q; copies %d)", m.ID, m.URL, m.NearDuplicateOf, len(others[m.Title]))
		}
	}

	atom, stderr, code := parc(t, "export", "--config", path, "--format", "atom", "--portal", "member")
	if code != 0 {
		t.Fatalf("export atom: exit %d\n%s", code, stderr)
	}
	if n, m := strings.Count(atom, "<entry>"), strings.Count(atom, `term="member" scheme="urn:parc:portal"`); n != len(recs["member"]) || m != n || strings.Contains(atom, `term="group"`) {
		t.Errorf("the member's feed has %d entries, %d naming the member, want %d (and none of the group's)", n, m, len(recs["member"]))
	}
	checkPortalEvents(t, hooks, recs)
	checkPortalStats(t, path, cfg)
	prom, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`parc_articles_total{outcome="new",portal="group"} 25`,
		`parc_articles_total{outcome="new",portal="member"} 25`,
		`parc_articles_total{outcome="new",portal="apps"} 15`,
		`parc_runs_total{portal="down",result="failure"} 1`,
		`parc_runs_total{portal="group",result="success"} 1`,
	} {
		if !strings.Contains(string(prom), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// checkPortalEvents checks that each article event names the portal of
// its record, and that the failing portal's run was announced.
func checkPortalEvents(t *testing.T, hooks *eventLog, recs map[string][]record.Record) {
	t.Helper()
	portalOf := map[string]string{}
	for name, rs := range recs {
		for _, r := range rs {
			portalOf[r.ID] = name
		}
	}
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	failed := false
	var kinds []string
	for _, ev := range hooks.events {
		kinds = append(kinds, ev.Event+"/"+ev.Portal)
		switch ev.Event {
		case notify.EventArticleNew:
			if want := portalOf[ev.Article.ID]; ev.Portal != want || ev.Article.Portal != want {
				t.Errorf("event %s names portal %q (article %q), want %q", ev.ID, ev.Portal, ev.Article.Portal, want)
			}
		case notify.EventCrawlFailed:
			failed = failed || ev.Portal == "down"
		}
	}
	if !failed {
		t.Errorf("no crawl.failed event names the failing portal: %v", kinds)
	}
}

// checkPortalStats checks parc stats over the three portals' archive:
// each portal with its count, --portal for one, and a portal no longer in
// the config listed and warned about.
func checkPortalStats(t *testing.T, path, cfg string) {
	t.Helper()
	out, stderr, code := parc(t, "stats", "--config", path, "--json")
	if code != 0 {
		t.Fatalf("stats: exit %d\n%s", code, stderr)
	}
	var rep struct {
		Portals []struct {
			Name     string `json:"name"`
			Records  int    `json:"records"`
			InConfig bool   `json:"in_config"`
		} `json:"portals"`
		LastRuns []struct {
			Portal string `json:"portal"`
		} `json:"last_runs"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, p := range rep.Portals {
		got[p.Name] = p.Records
	}
	if len(got) != 4 || got["group"] != 25 || got["member"] != 25 || got["apps"] != 15 || got["down"] != 0 {
		t.Errorf("stats portals: %+v, want group 25, member 25, apps 15, down 0", rep.Portals)
	}
	if len(rep.LastRuns) != 4 {
		t.Errorf("%d run records, want one per portal", len(rep.LastRuns))
	}
	out, _, _ = parc(t, "stats", "--config", path, "--portal", "member", "--json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Portals) != 1 || rep.Portals[0].Name != "member" || len(rep.LastRuns) != 1 || rep.LastRuns[0].Portal != "member" {
		t.Errorf("stats --portal member: %+v", rep)
	}
	// Without the down portal in the config: listed, warned about, kept.
	i := strings.Index(cfg, "  - name: down\n")
	j := strings.Index(cfg, "crawl:\n")
	fewer := filepath.Join(filepath.Dir(path), "fewer.yaml")
	if err := os.WriteFile(fewer, []byte(cfg[:i]+cfg[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = parc(t, "stats", "--config", fewer)
	if code != 0 || !strings.Contains(stderr, "portal down is in the archive but not in the config") || !strings.Contains(out, "no (kept") {
		t.Errorf("stats without the down portal in the config: exit %d\n%s\n%s", code, out, stderr)
	}
}
