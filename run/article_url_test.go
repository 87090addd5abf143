package run

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/sim"
)

// events records the X-Parc-Event of every webhook delivery.
type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, r.Header.Get("X-Parc-Event"))
}

func (e *events) count(kind string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, k := range e.got {
		if k == kind {
			n++
		}
	}
	return n
}

// driftGauge is parc_profile_drift's value in mon's registry.
func driftGauge(t *testing.T, mon *monitor.Monitor) float64 {
	t.Helper()
	fams, err := mon.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "parc_profile_drift" {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatal("no parc_profile_drift")
	return 0
}

// A config without portal.article_url, or one that matches none of the
// portal's pages, archives nothing: the run says so instead of ending
// silently, and counts as drift (the gauge, the profile_drift event, the
// run's verdict), whatever notify.drift_min_articles says.
func TestRunWarnsWhenNoPageIsAnArticle(t *testing.T) {
	for name, edit := range map[string]func(string) string{
		"no article_url": func(s string) string {
			return regexp.MustCompile(`(?m)^  article_url: .*\n`).ReplaceAllString(s, "")
		},
		"article_url matching nothing": func(s string) string {
			return regexp.MustCompile(`(?m)^  article_url: .*$`).ReplaceAllString(s, `  article_url: '^https?://nowhere\.example/'`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			hook := &events{}
			srv := httptest.NewServer(hook)
			t.Cleanup(srv.Close)
			_, cfg := testPortal(t, sim.Options{Articles: 20, Seed: 3, PageSize: 5}, func(s string) string {
				return strings.Replace(edit(s), "webhooks: []", "webhooks: [{url: '"+srv.URL+"'}]", 1)
			})
			var logs bytes.Buffer
			mon := Monitor(cfg, nil)
			sum, err := Crawl(context.Background(), cfg, CrawlOptions{Monitor: mon, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			if !sum.Drift.Drifted || !strings.Contains(sum.Drift.Reason, "no article matched") {
				t.Errorf("drift verdict %+v: want drifted, no article matched", sum.Drift)
			}
			if g := driftGauge(t, mon); g != 1 {
				t.Errorf("parc_profile_drift = %v, want 1", g)
			}
			if n := hook.count("profile_drift"); n != 1 {
				t.Errorf("%d profile_drift events, want 1 (got %v)", n, hook.got)
			}
			if sum.New != 0 || sum.Crawl.Pages == 0 {
				t.Fatalf("new %d, pages %d: want pages fetched and nothing archived", sum.New, sum.Crawl.Pages)
			}
			if !strings.Contains(logs.String(), "none matched portal.article_url") {
				t.Errorf("no warning that no page matched:\n%s", logs.String())
			}
			if cfg.Portal.ArticleURL == "" && !strings.Contains(logs.String(), "portal.article_url is not set") {
				t.Errorf("no warning that article_url is not set:\n%s", logs.String())
			}
		})
	}
	// A normal crawl warns of neither, nor does the incremental crawl
	// after it that finds no new article (its listings link only archived
	// ones), and neither drifts.
	_, cfg := testPortal(t, sim.Options{Articles: 20, Seed: 3, PageSize: 5}, nil)
	mon := Monitor(cfg, nil)
	for _, run := range []string{"first", "quiet incremental"} {
		var logs bytes.Buffer
		sum, err := Crawl(context.Background(), cfg, CrawlOptions{Monitor: mon, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		if run == "quiet incremental" && (sum.New != 0 || sum.Crawl.Pages == 0) {
			t.Fatalf("%s crawl: %d new, %d pages", run, sum.New, sum.Crawl.Pages)
		}
		if strings.Contains(logs.String(), "article_url") {
			t.Errorf("%s crawl warned:\n%s", run, logs.String())
		}
		if sum.Drift.Drifted || driftGauge(t, mon) != 0 {
			t.Errorf("%s crawl drifted: %+v", run, sum.Drift)
		}
	}
}

// A profile with no body selector extracts every article by fallback:
// that is how it was configured, not a changed layout, so the run does
// not drift on it (a generated theme's config has no selectors). The
// same portal with a body selector that matches nothing does.
func TestNoBodySelectorIsNoFallbackDrift(t *testing.T) {
	opts := sim.Options{Articles: 12, Seed: 27, PageSize: 5, Layout: sim.LayoutGenerated}
	for name, c := range map[string]struct {
		edit    func(string) string
		drifted bool
	}{
		"no selectors": {nil, false},
		"body matches nothing": {func(s string) string {
			return strings.Replace(s, "  timezone:", "  selectors:\n    body: 'div.no-such-body'\n  timezone:", 1)
		}, true},
	} {
		t.Run(name, func(t *testing.T) {
			_, cfg := testPortal(t, opts, c.edit)
			mon := Monitor(cfg, nil)
			sum, err := Crawl(context.Background(), cfg, CrawlOptions{Monitor: mon, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Extraction.Fallback != sum.Extraction.Articles || sum.Extraction.Articles < 5 {
				t.Fatalf("counts %+v: want every article by fallback", sum.Extraction)
			}
			if sum.Drift.Drifted != c.drifted || driftGauge(t, mon) != map[bool]float64{false: 0, true: 1}[c.drifted] {
				t.Errorf("drift %+v, want drifted %v", sum.Drift, c.drifted)
			}
		})
	}
}
