package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/extract/template"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/record"
)

// TemplatePages is how many of a portal's newest article captures its
// template model is learned from.
const TemplatePages = 60

// TemplateUse is what a run did with its portal's template model.
type TemplateUse struct {
	Model   *template.Model // the model the run extracts with; nil: none
	Learned bool            // Model was learned by this run: at its start, or from its first pages (First)
	Dropped bool            // the run drifted: the model was reset for the next run to learn again
	// First: Model was learned from the run's own first article pages,
	// before it extracted any (stager).
	First bool
	// startSeq is the archive's change sequence when the run started:
	// a drifted run's model is learned again from the records after it.
	startSeq uint64
}

// StoredTemplate reads portal's stored template model: nil when none is
// stored; template.ErrOutdated (with the model's version) for one of
// another format; an error for a damaged one. A model is derived: the
// next crawl learns it again.
func StoredTemplate(ctx context.Context, arc *archive.Archive, portal string) (*template.Model, error) {
	b, err := arc.TemplateModel(ctx, portal)
	if err != nil || b == nil {
		return nil, err
	}
	return template.Decode(b)
}

// runTemplate is the template model a run of portal extracts with: the
// stored one while it is current; else, on a writable archive that keeps
// captures, one learned from the portal's newest article captures and
// stored, its version one above the last. None while the portal has
// fewer than template.MinPages records: a crawl that starts with none
// learns it from its own first pages (stager). A model that cannot be
// read or learned is logged and done without: it never stops a crawl.
func runTemplate(ctx context.Context, arc *archive.Archive, portal string, records int, captures bool, now time.Time, log *slog.Logger) TemplateUse {
	stored, err := StoredTemplate(ctx, arc, portal)
	if err != nil && !errors.Is(err, template.ErrOutdated) {
		log.Warn("template model unreadable: learning it again", "portal", portal, "err", err)
	}
	old, after := stored, uint64(0)
	if err == nil && stored != nil && stored.Pages == 0 {
		after = stored.After
	}
	if err != nil || old != nil && old.Pages == 0 {
		old = nil // outdated, damaged or reset: learned again, as the next version
	}
	if old != nil && !outgrown(old, records) || arc.ReadOnly() || records < template.MinPages || !captures {
		return TemplateUse{Model: old}
	}
	m, err := learnTemplate(ctx, arc, portal, after, nextVersion(stored), now)
	if err == nil && m != nil {
		err = storeTemplate(ctx, arc, portal, m)
	}
	switch {
	case err != nil:
		log.Warn("template model not learned: extracting without it", "portal", portal, "err", err)
		return TemplateUse{Model: old}
	case m == nil:
		return TemplateUse{Model: old}
	}
	log.Info("template model learned", "portal", portal, "version", m.Version, "pages", m.Pages, "blocks", len(m.Blocks))
	return TemplateUse{Model: m, Learned: true}
}

// outgrown reports whether a model learned from fewer than TemplatePages
// pages has twice as many records to learn from now.
func outgrown(m *template.Model, records int) bool {
	return m.Pages < TemplatePages && records >= 2*m.Pages
}

// nextVersion is the version of the model learned after stored (whatever
// its format; nil: none could be read): one above it, else 1.
func nextVersion(stored *template.Model) int {
	if stored != nil {
		return stored.Version + 1
	}
	return 1
}

// ResetTemplate replaces portal's template model with an empty one of
// the same version, which no page uses: the next crawl learns the model
// again, as the next version, from the records changed after the change
// sequence after (0: from the newest; a drifted run: those it stored).
// It returns the version reset; 0 when there was no model (or an empty
// one), left as it is.
func ResetTemplate(ctx context.Context, arc *archive.Archive, portal string, after uint64) (int, error) {
	old, _ := StoredTemplate(ctx, arc, portal)
	if old == nil || old.Pages == 0 {
		return 0, nil
	}
	return old.Version, storeTemplate(ctx, arc, portal, &template.Model{Format: template.Format, Version: old.Version, Learned: old.Learned, After: after})
}

func storeTemplate(ctx context.Context, arc *archive.Archive, portal string, m *template.Model) error {
	b, err := m.Encode()
	if err != nil {
		return err
	}
	return arc.SetTemplateModel(ctx, portal, b)
}

// learnTemplate learns portal's model from its newest article captures
// (of records changed after the change sequence after); nil when there
// are fewer than template.MinPages.
func learnTemplate(ctx context.Context, arc *archive.Archive, portal string, after uint64, version int, now time.Time) (*template.Model, error) {
	pages, err := ArticlePages(ctx, arc, portal, TemplatePages, after)
	if err != nil || len(pages) < template.MinPages {
		return nil, err
	}
	l := template.NewLearner()
	for _, c := range pages {
		doc, _, err := htmldoc.Parse(c.Body, c.Header.Get("Content-Type"))
		if err != nil {
			continue // a page that does not parse teaches nothing
		}
		host := ""
		if u, err := url.Parse(c.URL); err == nil {
			host = u.Hostname()
		}
		l.Add(doc.Nodes[0], host)
	}
	m, _ := l.Model(version, now)
	return m, nil
}

// ArticlePages returns the capture of up to n of portal's newest
// records (by change sequence: new and revised ones) changed after the
// sequence floor, each record's current revision's own, successful
// responses only. It looks at the records of the newest 4n changes
// first, then of four times as many, until it has n or has looked at
// them all.
func ArticlePages(ctx context.Context, arc *archive.Archive, portal string, n int, floor uint64) ([]*record.Capture, error) {
	cur, err := arc.CurrentSeq(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for window := uint64(4 * n); ; window *= 4 {
		after := max(cur-min(window, cur), floor)
		ids = ids[:0]
		err := arc.Records(ctx, archive.Filter{Portals: []string{portal}, AfterSeq: after}, func(raw []byte) error {
			var r struct {
				CaptureID string `json:"capture_id"`
			}
			if json.Unmarshal(raw, &r) == nil && r.CaptureID != "" {
				ids = append(ids, r.CaptureID)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s's records: %w", portal, err)
		}
		if len(ids) >= n || after == floor {
			break
		}
	}
	var pages []*record.Capture
	for _, id := range ids[max(0, len(ids)-n):] {
		c, err := arc.Capture(ctx, id)
		switch {
		case errors.Is(err, archive.ErrNotFound): // removed by retention or redaction
		case err != nil:
			return nil, fmt.Errorf("read %s's captures: %w", portal, err)
		case c.Status >= 200 && c.Status <= 299:
			pages = append(pages, c)
		}
	}
	return pages, nil
}

// useTemplates gives each run its portal's template model (runTemplate)
// and the extractor that applies it: one model, one version, for the
// whole run.
func (s *crawlSession) useTemplates(ctx context.Context, runs []*crawlRun, infos []archive.PortalInfo, now time.Time) error {
	seq, err := s.arc.CurrentSeq(ctx)
	if err != nil {
		return fmt.Errorf("read the archive's change sequence: %w", err)
	}
	records := map[string]int{}
	for _, p := range infos {
		records[p.Name] = p.Records
	}
	for _, r := range runs {
		name := r.cfg.Portal.Name
		captures := r.cfg.Archive.KeepRaw.Articles()
		r.tmpl = runTemplate(ctx, s.arc, name, records[name], captures, now, r.log)
		if r.tmpl.startSeq = seq; r.tmpl.Model == nil {
			continue
		}
		if r.ex, err = Extractor(r.cfg, false, r.tmpl.Model); err != nil {
			return fmt.Errorf("portal %s: %w", name, err)
		}
	}
	return nil
}

// dropDriftedTemplate drops the template model of a run that drifted:
// the portal's layout has probably changed, and the next run learns it
// again from the newest pages.
func (s *crawlSession) dropDriftedTemplate(ctx context.Context, r *crawlRun) {
	if !r.sum.Drift.Drifted || r.sum.Template.Model == nil {
		return
	}
	if _, err := ResetTemplate(context.WithoutCancel(ctx), s.arc, r.cfg.Portal.Name, r.tmpl.startSeq); err != nil {
		r.log.Warn("template model of a drifted run not dropped", "portal", r.cfg.Portal.Name, "err", err)
		return
	}
	r.sum.Template.Dropped = true
}

// reextractTemplates are the template models the portals' records are
// re-extracted with, by portal: each one's as a crawl would use it
// (learned first when absent or outdated, unless arc is read-only).
func reextractTemplates(ctx context.Context, arc *archive.Archive, views []*config.Config, log *slog.Logger) (map[string]*template.Model, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	infos, err := arc.Portals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the archive's portals: %w", err)
	}
	records := map[string]int{}
	for _, p := range infos {
		records[p.Name] = p.Records
	}
	models := map[string]*template.Model{}
	for _, v := range views {
		name := v.Portal.Name
		if m := runTemplate(ctx, arc, name, records[name], v.Archive.KeepRaw.Articles(), time.Now(), log).Model; m != nil {
			models[name] = m
		}
	}
	return models, nil
}
