package run

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/runrecord"
)

// pageHandler extracts article pages and submits them to the archive.
type pageHandler struct {
	portal  string
	keepRaw bool
	ex      *extract.Extractor
	w       *archive.Writer
	started time.Time // the run's start (archive.Page.RunStarted)
}

// handle is the crawler's Handler: a gone page marks its record, an
// article page is extracted and submitted with its capture.
func (h *pageHandler) handle(ctx context.Context, p *crawler.Page) error {
	return h.handleWith(ctx, p, h.ex)
}

// handleWith is handle with the extractor ex.
func (h *pageHandler) handleWith(ctx context.Context, p *crawler.Page, ex *extract.Extractor) error {
	final, err := canon.Clean(nil, p.URL.String())
	if err != nil {
		return err
	}
	switch {
	case p.Status == http.StatusNotModified:
		return nil
	case p.Gone || p.Status == http.StatusNotFound || p.Status == http.StatusGone:
		// Removed (404/410, or redirected home): mark the record, never delete it.
		if _, err := h.w.MarkGone(ctx, p.Item.URL, p.FetchedAt); err != nil {
			if errors.Is(err, archive.ErrNotFound) {
				return fmt.Errorf("%s: %w", final, crawler.ErrUnknownPage)
			}
			return err
		}
		return nil
	case p.Doc == nil:
		return fmt.Errorf("%s: not an HTML page", final)
	}
	art, err := ex.ExtractDocument(p.Doc, extract.Input{URL: p.URL, FetchedAt: p.FetchedAt, ContentType: p.Header.Get("Content-Type")})
	if err != nil {
		return fmt.Errorf("extract %s: %w", final, err)
	}
	page := archive.Page{URL: final, Requested: p.Item.URL, Portal: h.portal, Article: ArchiveArticle(art), FetchedAt: p.FetchedAt, RunStarted: h.started}
	if h.keepRaw {
		page.Capture = pageCapture(p)
	}
	return h.w.Submit(ctx, page)
}

// pageCapture is the raw capture of p's answer: as it went over the wire
// when the crawler recorded its exchange (crawler.Exchange), else as
// net/http handed it over.
func pageCapture(p *crawler.Page) *record.Capture {
	c := &record.Capture{
		URL: p.URL.String(), Method: http.MethodGet, RequestHeader: p.Request,
		Status: p.Status, Header: p.Header, Body: p.Body, FetchedAt: p.FetchedAt,
	}
	if n := len(p.Exchanges); n > 0 {
		ex := p.Exchanges[n-1]
		c.Wire, c.Method, c.RequestHeader, c.Header, c.Proto, c.Chunked = true, ex.Method, ex.RequestHeader, ex.Header, ex.Proto, ex.Chunked
		if ex.Raw != nil {
			c.Raw = ex.Raw
		}
	}
	return c
}

// ArchiveArticle is what the archive keeps of an extracted article.
func ArchiveArticle(a *extract.Article) *archive.Article {
	images := make([]record.Image, len(a.Images))
	for i, im := range a.Images {
		images[i] = record.Image{URL: im.URL, Caption: im.Caption}
	}
	return &archive.Article{
		Title: a.Title, Published: a.Published, Modified: a.Modified, Byline: a.Byline, Category: a.Category,
		Body: a.Body, Lead: a.Lead, Tags: a.Tags, Images: images, Canonical: a.Canonical, Extraction: a.Extraction,
	}
}

// extractionCounts is one stored article's contribution to the drift counts.
func extractionCounts(a *archive.Article) runrecord.Counts {
	if a == nil {
		return runrecord.Counts{}
	}
	c := runrecord.Counts{Articles: 1}
	if a.Extraction == extract.MethodFallback {
		c.Fallback = 1
	}
	if a.Published.IsZero() {
		c.MissingDate = 1
	}
	if a.Byline == "" {
		c.MissingByline = 1
	}
	return c
}
