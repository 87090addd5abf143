package run

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

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

// The first crawl of a portal extracts with the generic rules and
// profile alone (no captures to learn from yet); the next run learns the
// template model from them, stores it and extracts with it, naming its
// version in the run record and the summary; later runs reuse it. A run
// that drifts (a redesign) drops it, and the run after learns the new
// layout as the next version. No run revises a stored page because its
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
	if sum, _ := crawl(false); sum.Template.Model != nil || sum.New != len(p.Truth()) {
		t.Fatalf("first crawl: model %v, %d new", sum.Template.Model, sum.New)
	}
	if v, _ := storedModel(t, cfg); v != 0 {
		t.Fatalf("a model stored by the first crawl: version %d", v)
	}
	sum, out := crawl(true)
	if m := sum.Template.Model; m == nil || !sum.Template.Learned || m.Version != 1 || m.Pages != len(p.Truth()) || len(m.Blocks) == 0 {
		t.Fatalf("second crawl: %+v", sum.Template)
	}
	if !sum.Template.Model.AppliesTo("127.0.0.1") {
		t.Errorf("the model does not apply to the portal's host: %v", sum.Template.Model.Hosts)
	}
	if sum.Revised != 0 || !strings.Contains(out, "template model 1 learned from 24 article pages") {
		t.Errorf("second crawl: %d revised (want 0: same bytes), summary:\n%s", sum.Revised, out)
	}
	if r := lastRun(t, cfg); r.TemplateModel != 1 {
		t.Errorf("run record: template_model %d, want 1", r.TemplateModel)
	}
	if sum, out := crawl(false); sum.Template.Learned || sum.Template.Model == nil || sum.Template.Model.Version != 1 || strings.Contains(out, "template model") {
		t.Fatalf("third crawl: %+v, summary:\n%s", sum.Template, out)
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
