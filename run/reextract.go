package run

import (
	"context"
	"fmt"
	"net/url"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/record"
)

// Reextract re-runs extraction, with cfg's current profile, over the
// newest raw capture of each article in arc, without fetching, and stores
// a revision where the title, body or byline changed (none with
// o.DryRun). See archive.Reextract.
func Reextract(ctx context.Context, cfg *config.Config, arc *archive.Archive, o archive.ReextractOptions) (archive.ReextractStats, error) {
	ex, err := Extractor(cfg, false)
	if err != nil {
		return archive.ReextractStats{}, err
	}
	return arc.Reextract(ctx, captureExtractor(ex), o)
}

// captureExtractor extracts from a stored capture the way a crawl
// extracts from a fetched page: one parse, then the profile.
func captureExtractor(ex *extract.Extractor) archive.ExtractFunc {
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
