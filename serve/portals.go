package serve

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/parc-archiver/parc/archive"
)

// serves reports whether the pages show portal's records (Options.Portals).
func (s *Server) serves(portal string) bool {
	return len(s.o.Portals) == 0 || slices.Contains(s.o.Portals, portal)
}

// notServed is what a page says of a portal it does not show.
func (s *Server) notServed(portal string) string {
	return "Trang " + portal + " không được phục vụ ở đây (not served; served: " + strings.Join(s.o.Portals, ", ") + ")."
}

// portalsQuery is the index query of the records of any of portals.
func portalsQuery(portals []string) query.Query {
	qs := make([]query.Query, len(portals))
	for i, p := range portals {
		t := bleve.NewTermQuery(p)
		t.SetField("portal")
		qs[i] = t
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// ofPortals reads the records f selects, passing fn only those of
// f.Portals (all when empty): the archive may read others.
func ofPortals(ctx context.Context, arc *archive.Archive, f archive.Filter, fn func([]byte) error) error {
	if len(f.Portals) == 0 {
		return arc.Records(ctx, f, fn)
	}
	return arc.Records(ctx, f, func(raw []byte) error {
		var rec struct {
			Portal string `json:"portal"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		if !slices.Contains(f.Portals, rec.Portal) {
			return nil
		}
		return fn(raw)
	})
}
