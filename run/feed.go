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
	opts    export.Options
	portals []string // the portals in it; empty: all
	mu      sync.RWMutex
	body    []byte
}

// NewFeed returns an empty feed of the portals named (all of cfg's when
// none) served at selfURL.
func NewFeed(cfg *config.Config, selfURL string, portals []string) *Feed {
	f := &Feed{opts: export.Options{
		Format: export.FormatAtom, Limit: cfg.Watch.FeedEntries, Version: config.Version,
		FeedURL: selfURL,
	}, portals: portals}
	switch names := cfg.PortalNames(); { // one portal names the feed
	case len(portals) == 1:
		f.opts.Portal = portals[0]
	case len(portals) == 0 && len(names) == 1:
		f.opts.Portal = names[0]
	}
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
		return arc.Records(ctx, archive.Filter{Portals: f.portals}, fn)
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
