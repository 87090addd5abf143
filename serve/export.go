package serve

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/parc-archiver/parc/archive"
)

// MaxExport is how many results /search.jsonl writes at most; more is
// parc export's work.
const MaxExport = 10_000

// exportChunk is how many records one read of the archive takes for
// /search.jsonl: the archive is released between chunks, and the client
// is written to only then.
const exportChunk = 500

// searchExport writes the records a search finds (all its pages, up to
// MaxExport, newest first) as JSON Lines of export records.
func (s *Server) searchExport(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r.URL.Query(), s.o.Location)
	if err != nil {
		s.problem(w, http.StatusBadRequest, "Tìm kiếm không hợp lệ", "from and to are dates (YYYY-MM-DD).")
		return
	}
	q.Page, q.Size = 1, MaxExport
	var res Results
	if q.Portal == "" || s.serves(q.Portal) { // another portal's: no results
		if res, _, err = s.find(r.Context(), q); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/jsonl; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="parc-search.jsonl"`)
	h.Set("X-Parc-Results", strconv.Itoa(res.Total))
	for i := 0; i < len(res.Hits); i += exportChunk {
		var buf bytes.Buffer
		err := s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
			for _, hit := range res.Hits[i:min(len(res.Hits), i+exportChunk)] {
				hist, err := arc.Get(r.Context(), hit.ID)
				if err != nil || hist.Redacted != nil || !s.serves(hist.Record.Portal) {
					continue // gone or redacted since the search
				}
				b, err := json.Marshal(hist.Record)
				if err != nil {
					return err
				}
				buf.Write(append(b, '\n'))
			}
			return nil
		})
		if err != nil {
			if i == 0 {
				s.fail(w, r, err)
			} else {
				s.log.Warn("search export cut short", "err", err)
			}
			return
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return
		}
	}
}
