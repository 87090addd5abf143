package serve

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
)

// feed serves the newest records of the served portals as Atom, rendered
// by the code of `parc export --format atom` (the feed of parc watch);
// ?portal=NAME, those of one of them. A NAME the config does not know, or
// one not served, is 404.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	opts := export.Options{Format: export.FormatAtom, Limit: s.o.FeedEntries, Version: s.o.Version,
		Portal: s.o.Portal, FeedURL: "http://" + r.Host + "/feed.atom", Now: s.o.Now}
	filter := archive.Filter{Portals: s.o.Portals}
	if len(s.o.Portals) == 1 {
		opts.Portal = s.o.Portals[0]
	}
	if p := r.URL.Query().Get("portal"); p != "" {
		switch {
		case len(s.o.Known) > 0 && !slices.Contains(s.o.Known, p):
			s.problem(w, http.StatusNotFound, "Không có trang này", "No portal named "+p+" in the config; the portals are: "+strings.Join(s.o.Known, ", ")+".")
			return
		case !s.serves(p):
			s.problem(w, http.StatusNotFound, "Không có trang này", s.notServed(p))
			return
		}
		filter.Portals = []string{p}
		opts.Portal = p
		opts.FeedURL += "?portal=" + url.QueryEscape(p)
	}
	err := s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
		_, err := export.Records(r.Context(), &buf, func(ctx context.Context, fn func([]byte) error) error {
			return ofPortals(ctx, arc, filter, fn)
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
