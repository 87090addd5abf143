package run

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
	"github.com/parc-archiver/parc/internal/config"
)

// Feed is the rendered /feed.atom, held between runs while the archive is
// closed. It is rendered by the same code as `parc export --format atom`.
// It is safe for concurrent use.
type Feed struct {
	opts export.Options
	mu   sync.RWMutex
	body []byte
}

// NewFeed returns an empty feed of cfg's portal served at selfURL.
func NewFeed(cfg *config.Config, selfURL string) *Feed {
	f := &Feed{opts: export.Options{
		Format: export.FormatAtom, Limit: cfg.Watch.FeedEntries, Version: config.Version,
		Portal: cfg.Portal.Name, FeedURL: selfURL,
	}}
	var buf bytes.Buffer
	if err := export.WriteAtom(&buf, nil, f.opts); err == nil {
		f.body = buf.Bytes()
	}
	return f
}

// Refresh renders the newest records of arc.
func (f *Feed) Refresh(ctx context.Context, arc *archive.Archive) error {
	var buf bytes.Buffer
	_, err := export.Records(ctx, &buf, func(ctx context.Context, fn func([]byte) error) error {
		return arc.Records(ctx, archive.Filter{}, fn)
	}, f.opts)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.body = buf.Bytes()
	f.mu.Unlock()
	return nil
}

// ServeHTTP serves the feed last rendered.
func (f *Feed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.RLock()
	body := f.body
	f.mu.RUnlock()
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write(body)
}
