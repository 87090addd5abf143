package serve

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
)

// feed serves the newest records as Atom, rendered by the code of `parc
// export --format atom` (the feed of parc watch); ?portal=NAME, those of
// one portal.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	opts := export.Options{Format: export.FormatAtom, Limit: s.o.FeedEntries, Version: s.o.Version,
		Portal: s.o.Portal, FeedURL: "http://" + r.Host + "/feed.atom", Now: s.o.Now}
	var filter archive.Filter
	if p := r.URL.Query().Get("portal"); p != "" {
		filter.Portals = []string{p}
		opts.Portal = p
		opts.FeedURL += "?portal=" + url.QueryEscape(p)
	}
	err := s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
		_, err := export.Records(r.Context(), &buf, func(ctx context.Context, fn func([]byte) error) error {
			return arc.Records(ctx, filter, fn)
		}, opts)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write(buf.Bytes())
}
