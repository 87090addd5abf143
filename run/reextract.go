package run

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/record"
)

// ReextractOptions configures Reextract. The zero value writes revisions,
// reading 256 records per read transaction.
type ReextractOptions struct {
	// DryRun compares without writing: Revised results say what would
	// change (with the Diff that the revision would carry).
	DryRun bool
	// BatchSize is how many records are read per read transaction; 0
	// means 256.
	BatchSize int
	// Portals names the portals whose records are re-extracted (each
	// with its own profile); empty: every portal of the config. Records
	// of other portals are skipped.
	Portals []string
	// OnResult, when set, is called once per record examined (for a
	// written revision, after its commit), one call at a time, from the
	// caller's goroutine or the archive's committer. It must be quick and
	// must not call into the archive.
	OnResult func(ReextractResult)
	// Logger logs what happens to the portals' template models; nil:
	// nothing.
	Logger *slog.Logger
	// OnTemplate, when set, is called before the records are read with
	// the version of each portal's template model they are re-extracted
	// with (portals without one are not named).
	OnTemplate func(portal string, version int)
}

// ReextractResult is what re-extracting one record found.
type ReextractResult struct {
	ID        string
	URL       string
	CaptureID string // the capture extracted from; empty when none is stored
	// Outcome is archive.OutcomeRevised (a new revision, or would be with
	// DryRun) or archive.OutcomeUnchanged; zero when Err is set or there
	// is no capture.
	Outcome  archive.Outcome
	Revision int           // the record's revision after this (with DryRun: the one it would get)
	Diff     *archive.Diff // for OutcomeRevised
	Err      error         // the extraction or storing failed; nothing was written
}

// ReextractStats counts what Reextract did.
type ReextractStats struct {
	Examined  int `json:"examined"`   // records looked at (redacted ones are skipped)
	Revised   int `json:"revised"`    // new revisions (would-be ones with DryRun)
	Unchanged int `json:"unchanged"`  // extraction equals the current revision
	NoCapture int `json:"no_capture"` // no raw capture of the current revision is stored
	Failed    int `json:"failed"`     // extraction or storing failed
	// Skipped counts the records of portals not re-extracted: not
	// selected, or no longer in the config.
	Skipped int `json:"skipped,omitempty"`
}

// Reextract re-runs extraction, with cfg's current profile, over the
// newest stored raw capture of each record's current revision in arc,
// without fetching, and stores a new revision only where the title, body
// or byline changed (none with o.DryRun), as a crawl would have. A
// revision it creates looks like the fetch that made the capture: its
// fetched_at is the capture's time and it cites that capture (capture_id),
// which is shared with the revision that captured it first. A result equal
// to the current revision changes nothing (not even last_seen).
//
// Records are read in pages of BatchSize, each in its own short read
// transaction (so writes can grow the file in between); a page's revisions
// are committed and reported before the next page is read. Reextract is
// idempotent: stopped at any point (ctx, kill), running it again examines
// everything again and revises only what is still different. It needs a
// read-write archive unless DryRun.
func Reextract(ctx context.Context, cfg *config.Config, arc *archive.Archive, o ReextractOptions) (ReextractStats, error) {
	views, err := cfg.SelectPortals(o.Portals)
	if err != nil {
		return ReextractStats{}, err
	}
	models, err := reextractTemplates(ctx, arc, views, o.Logger)
	if err != nil {
		return ReextractStats{}, err
	}
	byPortal := map[string]extractFunc{}
	for i, v := range views {
		ex, err := Extractor(v, false, models[v.Portal.Name])
		if err != nil {
			return ReextractStats{}, fmt.Errorf("portal %s: %w", v.Portal.Name, err)
		}
		byPortal[v.Portal.Name] = captureExtractor(ex)
		if i == 0 && v.Portal.Name == cfg.PortalNames()[0] {
			byPortal[""] = byPortal[v.Portal.Name] // records of parc before 0.2 name no portal
		}
	}
	for _, v := range views {
		if m := models[v.Portal.Name]; m != nil && o.OnTemplate != nil {
			o.OnTemplate(v.Portal.Name, m.Version)
		}
	}
	return reextract(ctx, arc, func(portal string) extractFunc { return byPortal[portal] }, o)
}

// extractFunc extracts an article from a stored raw capture (no network).
// It must not keep c after it returns.
type extractFunc func(c *record.Capture) (*archive.Article, error)

// extractorOf is the extractFunc of a portal's records; nil: the
// portal's records are skipped.
type extractorOf func(portal string) extractFunc

// reextract is Reextract with the extractor fn.
func reextract(ctx context.Context, arc *archive.Archive, fn extractorOf, opts ReextractOptions) (ReextractStats, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if !opts.DryRun && arc.ReadOnly() {
		return ReextractStats{}, fmt.Errorf("reextract %s: %w", arc.Path(), archive.ErrReadOnly)
	}
	j := &reextractJob{arc: arc, extract: fn, opts: opts}
	for after := ""; ; {
		if err := ctx.Err(); err != nil {
			// Let what is queued commit and be reported; the run ends
			// with ctx's error.
			_ = arc.Flush(context.Background())
			return j.total(), err
		}
		page, next, err := arc.CurrentCaptures(ctx, after, opts.BatchSize)
		if err != nil {
			return j.total(), fmt.Errorf("reextract %s: %w", arc.Path(), err)
		}
		if len(page) == 0 {
			return j.total(), nil
		}
		after = next
		if err := j.reextractPage(ctx, page); err != nil {
			return j.total(), fmt.Errorf("reextract %s: %w", arc.Path(), err)
		}
	}
}

// reextractJob is one run of reextract: what it counts and reports.
type reextractJob struct {
	arc     *archive.Archive
	extract extractorOf
	opts    ReextractOptions
	mu      sync.Mutex // report runs on the caller's and the committer's goroutines
	st      ReextractStats
}

// reextractPage re-extracts one page of records and queues their
// revisions (none with DryRun), then waits until those are committed and
// reported.
func (j *reextractJob) reextractPage(ctx context.Context, page []archive.CurrentCapture) error {
	for _, c := range page {
		fn := j.extract(c.Record.Portal)
		if fn == nil {
			j.mu.Lock()
			j.st.Skipped++
			j.mu.Unlock()
			continue
		}
		r, cmp := j.examine(c, fn)
		if r.Err != nil || r.CaptureID == "" || r.Outcome == archive.OutcomeUnchanged || j.opts.DryRun {
			j.report(r)
			continue
		}
		if err := j.arc.ReviseFromCapture(ctx, cmp, func(revision int, err error) { j.report(stored(r, revision, err)) }); err != nil {
			_ = j.arc.Flush(context.Background()) // report what was queued; the error is the send's
			return err
		}
	}
	if j.opts.DryRun {
		return nil
	}
	return j.arc.Flush(ctx)
}

// examine extracts c's capture and compares the article with the record's
// current revision.
func (j *reextractJob) examine(c archive.CurrentCapture, extract extractFunc) (ReextractResult, archive.Comparison) {
	r := ReextractResult{ID: c.ID, URL: c.Record.URL, CaptureID: c.Ref.ID, Revision: c.Record.Revision}
	if c.Ref.ID == "" {
		return r, archive.Comparison{}
	}
	if c.Err != nil {
		r.Err = c.Err
		return r, archive.Comparison{}
	}
	art, err := extract(c.Capture)
	if err != nil {
		r.Err = fmt.Errorf("extract %s from capture %s: %w", c.Record.URL, c.Ref.ID, err)
		return r, archive.Comparison{}
	}
	cmp, err := j.arc.CompareRevision(c, art)
	if err != nil {
		r.Err = err
		return r, cmp
	}
	r.Outcome, r.Revision, r.Diff = cmp.Outcome, cmp.Revision, cmp.Diff
	return r, cmp
}

// stored is r once its revision was stored as revision, or failed.
func stored(r ReextractResult, revision int, err error) ReextractResult {
	r.Revision = revision
	if err != nil {
		r.Err, r.Outcome, r.Diff = err, 0, nil
	}
	return r
}

// report counts r and passes it to OnResult.
func (j *reextractJob) report(r ReextractResult) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.st.Examined++
	switch {
	case r.Err != nil:
		j.st.Failed++
	case r.CaptureID == "":
		j.st.NoCapture++
	case r.Outcome == archive.OutcomeRevised:
		j.st.Revised++
	case r.Outcome == archive.OutcomeUnchanged:
		j.st.Unchanged++
	}
	if j.opts.OnResult != nil {
		j.opts.OnResult(r)
	}
}

// total is what the job counted so far.
func (j *reextractJob) total() ReextractStats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.st
}

// captureExtractor extracts from a stored capture the way a crawl
// extracts from a fetched page: one parse, then the profile.
func captureExtractor(ex *extract.Extractor) extractFunc {
	return func(c *record.Capture) (*archive.Article, error) {
		if c.Status < 200 || c.Status > 299 {
			return nil, fmt.Errorf("capture of %s has status %d", c.URL, c.Status)
		}
		u, err := url.Parse(c.URL)
		if err != nil {
			return nil, fmt.Errorf("capture url: %w", err)
		}
		ct := c.Header.Get("Content-Type")
		doc, _, err := htmldoc.Parse(c.Body, ct)
		if err != nil {
			return nil, err
		}
		art, err := ex.ExtractDocument(doc, extract.Input{URL: u, FetchedAt: c.FetchedAt, ContentType: ct})
		if err != nil {
			return nil, err
		}
		return ArchiveArticle(art), nil
	}
}
