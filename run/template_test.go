package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/runrecord"
	"github.com/parc-archiver/parc/sim"
)

// storedModel is the version and page count of the portal's stored
// template model (0, 0: none).
func storedModel(t *testing.T, cfg *config.Config) (version, pages int) {
	t.Helper()
	a, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m, err := StoredTemplate(context.Background(), a, cfg.Portal.Name)
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		return 0, 0
	}
	return m.Version, m.Pages
}

func lastRun(t *testing.T, cfg *config.Config) runrecord.Run {
	t.Helper()
	a, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	runs, err := a.Runs(context.Background(), cfg.Portal.Name)
	if err != nil || len(runs) == 0 {
		t.Fatalf("runs: %d, %v", len(runs), err)
	}
	r, err := runrecord.Parse(runs[len(runs)-1])
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The first crawl of a new portal learns the template model from its
// first article pages before it extracts any, stores it and extracts
// every page with it, naming its version in the run record and the
// summary; later runs reuse it. A run that drifts (a redesign) resets
// it, and the run after learns the new layout from the pages stored
// since, as the next version. No run revises a stored page because its
// model changed (issue 15 item 6).
func TestCrawlLearnsAndRelearnsTheTemplateModel(t *testing.T) {
	ctx := context.Background()
	p, cfg := testPortal(t, sim.Options{Articles: 24, Seed: 8, PageSize: 6}, nil)
	crawl := func(refresh bool) (Summary, string) {
		t.Helper()
		var logs bytes.Buffer
		sum, err := Crawl(ctx, cfg, CrawlOptions{Refresh: refresh, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatalf("crawl: %v\n%s", err, logs.String())
		}
		var out bytes.Buffer
		sum.Print(&out)
		return sum, out.String()
	}
	sum, out := crawl(false)
	if m := sum.Template.Model; m == nil || !sum.Template.First || m.Version != 1 || m.Pages < len(p.Truth()) || len(m.Blocks) == 0 || sum.New != len(p.Truth()) {
		t.Fatalf("first crawl: %+v, %d new", sum.Template, sum.New)
	}
	if !sum.Template.Model.AppliesTo("127.0.0.1") {
		t.Errorf("the model does not apply to the portal's host: %v", sum.Template.Model.Hosts)
	}
	if !strings.Contains(out, "template model 1 learned from the run's first") {
		t.Errorf("first crawl's summary:\n%s", out)
	}
	if v, pages := storedModel(t, cfg); v != 1 || pages != sum.Template.Model.Pages {
		t.Fatalf("stored after the first crawl: version %d of %d pages", v, pages)
	}
	if r := lastRun(t, cfg); r.TemplateModel != 1 {
		t.Errorf("run record: template_model %d, want 1", r.TemplateModel)
	}
	sum, out = crawl(true)
	if m := sum.Template.Model; m == nil || sum.Template.Learned || m.Version != 1 || sum.Revised != 0 || strings.Contains(out, "template model") {
		t.Fatalf("second crawl: %+v, %d revised (want the stored model, none revised), summary:\n%s", sum.Template, sum.Revised, out)
	}

	p.SetLayout(sim.LayoutRedesign)
	p.Publish(8)
	sum, out = crawl(false)
	if !sum.Drift.Drifted || !sum.Template.Dropped || !strings.Contains(out, "template model 1 dropped") {
		t.Fatalf("redesign: drifted %v, %+v, summary:\n%s", sum.Drift.Drifted, sum.Template, out)
	}
	if v, pages := storedModel(t, cfg); v != 1 || pages != 0 {
		t.Fatalf("after the drifted run: model %d of %d pages stored, want 1 reset (0 pages)", v, pages)
	}
	if sum, _ = crawl(false); sum.Template.Model == nil || !sum.Template.Learned || sum.Template.Model.Version != 2 {
		t.Fatalf("after the redesign: %+v, want version 2 learned", sum.Template)
	}
	raw, _ := json.Marshal(lastRun(t, cfg))
	if !strings.Contains(string(raw), `"template_model":2`) {
		t.Errorf("run record: %s", raw)
	}
}

// A first crawl stopped while it holds its first pages back (here: once
// the 12th article page was asked for) has stored none of them and
// marked none done: the next crawl fetches them again and loses nothing.
func TestFirstPagesHeldBackAreNeverLost(t *testing.T) {
	p := sim.New(sim.Options{Articles: 40, Seed: 9, PageSize: 8})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	articles := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if strings.HasSuffix(r.URL.Path, ".html") && !strings.HasPrefix(r.URL.Path, "/nd/tin") {
			if articles++; articles == 12 {
				cancel()
			}
		}
		mu.Unlock()
		p.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg, err := config.Parse(strings.NewReader(p.Config(srv.URL)), "sim.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Archive.Path = filepath.Join(t.TempDir(), "parc.db")
	if _, err := Crawl(ctx, cfg, CrawlOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped crawl: %v, want canceled", err)
	}
	if articles < 12 {
		t.Fatalf("the crawl stopped after %d article requests", articles)
	}
	if n := countRecords(t, cfg); n != 0 {
		t.Fatalf("%d records stored by a crawl stopped while holding its first pages", n)
	}
	sum, err := Crawl(context.Background(), cfg, CrawlOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := countRecords(t, cfg); n != len(p.Truth()) || sum.Template.Model == nil || !sum.Template.First {
		t.Fatalf("after the next crawl: %d records for %d articles, %+v", n, len(p.Truth()), sum.Template)
	}
}

// A portal with fewer article pages than firstPages: the run learns from
// those it has once the crawl ends, then stores them; with fewer than
// template.MinPages it stores them with the generic rules alone.
func TestFirstPagesOfASmallPortal(t *testing.T) {
	for _, tc := range []struct {
		articles int
		model    bool
	}{{12, true}, {5, false}} {
		p, cfg := testPortal(t, sim.Options{Articles: tc.articles, Seed: 2, PageSize: 4}, nil)
		sum, err := Crawl(context.Background(), cfg, CrawlOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if n := countRecords(t, cfg); n != len(p.Truth()) || (sum.Template.Model != nil) != tc.model {
			t.Errorf("%d articles: %d records, model %v (want %v)", tc.articles, n, sum.Template.Model != nil, tc.model)
		}
	}
}

// A damaged template model never stops a crawl: the run says so, learns
// it again from the captures and stores it in the damaged one's place.
func TestCrawlLearnsADamagedTemplateModelAgain(t *testing.T) {
	ctx := context.Background()
	_, cfg := testPortal(t, sim.Options{Articles: 20, Seed: 6, PageSize: 5}, nil)
	if _, err := Crawl(ctx, cfg, CrawlOptions{}); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(cfg.Archive.Path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("templates"))
		k, v := b.Cursor().First()
		v = append([]byte(nil), v...)
		v[len(v)/2] ^= 0x01
		return b.Put(k, v)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	sum, err := Crawl(ctx, cfg, CrawlOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("crawl over a damaged model: %v", err)
	}
	if !strings.Contains(logs.String(), "template model unreadable") || sum.Template.Model == nil || !sum.Template.Learned {
		t.Fatalf("crawl over a damaged model: %+v\n%s", sum.Template, logs.String())
	}
	if v, pages := storedModel(t, cfg); v == 0 || pages == 0 {
		t.Errorf("the damaged model was not replaced: version %d, %d pages", v, pages)
	}
}
