package archive

import (
	"time"

	"github.com/parc-archiver/parc/record"
)

// RecordOf returns the export record a page would get as a new article in
// an empty archive, without touching any archive: what `parc extract`
// prints. The id, URL (the canonical URL when the page names one inside its
// own site) and urls are derived exactly as the archive derives them; the
// timestamps are the fetch time.
func RecordOf(p Page) (record.Record, error) {
	if p.FetchedAt.IsZero() {
		p.FetchedAt = time.Now()
	}
	p.Capture = nil
	a := &Archive{opts: Options{Portal: p.Portal}}
	in, err := a.prepare(p)
	if err != nil {
		return record.Record{}, err
	}
	r := record.Record{ID: newID(in.keys[0], 0), URL: in.recURL, URLs: in.urls, Revision: 1}
	fill(&r, in)
	r.FirstSeen, r.LastChanged = r.LastSeen, r.LastSeen
	return r, nil
}
