package serve

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
)

// idShape is a record id as the pages link it.
var idShape = regexp.MustCompile(`^[0-9a-f]{16}$`)

// errBadID: a path names no record id.
var errBadID = errors.New("not a record id")

// articleData is the article page.
type articleData struct {
	Rec        record.Record
	Paragraphs []string
	Revisions  []revisionRow
	Redacted   *archive.Tombstone
}

// revisionRow is one revision in the article page's table.
type revisionRow struct {
	N         int
	FetchedAt string
	Capture   string   // the capture's id in /captures/ links, "" when none
	Refetches []string // later unchanged fetches' capture ids
	Changed   string   // the fields that changed from the previous one
}

// history reads the record the request's {id} names.
func (s *Server) history(r *http.Request) (*archive.History, error) {
	id := r.PathValue("id")
	if !idShape.MatchString(id) {
		return nil, archive.ErrNotFound
	}
	var h *archive.History
	err := s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
		var err error
		h, err = arc.Get(r.Context(), id)
		return err
	})
	return h, err
}

// shownHistory reads the record the request names; when it cannot be
// shown it answers (the error's page, a record of a portal not served
// as an unknown one, or a redacted record's tombstone, 410) and returns
// false.
func (s *Server) shownHistory(w http.ResponseWriter, r *http.Request) (*archive.History, bool) {
	h, err := s.history(r)
	if err == nil && !s.serves(h.Record.Portal) {
		err = archive.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if h.Redacted != nil {
		s.render(w, http.StatusGone, "article", "Đã xoá: "+h.Record.ID, articleData{Rec: tombstoneRecord(h.Record), Redacted: h.Redacted})
		return nil, false
	}
	return h, true
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	h, ok := s.shownHistory(w, r)
	if !ok {
		return
	}
	d := articleData{Rec: h.Record, Paragraphs: paragraphs(h.Record.Body)}
	for _, rv := range h.Revisions {
		row := revisionRow{N: rv.Revision, FetchedAt: rv.FetchedAt, Capture: captureKey(rv.CaptureID)}
		for _, ref := range rv.Refetches {
			if k := captureKey(ref.ID); k != "" {
				row.Refetches = append(row.Refetches, k)
			}
		}
		if rv.Diff != nil {
			row.Changed = strings.Join(rv.Diff.Fields, ", ")
		}
		d.Revisions = append(d.Revisions, row)
	}
	s.render(w, http.StatusOK, "article", h.Record.Title, d)
}

// tombstoneRecord keeps of a redacted record what its tombstone shows:
// its id and URLs.
func tombstoneRecord(r record.Record) record.Record {
	return record.Record{ID: r.ID, URL: r.URL, URLs: r.URLs, Portal: r.Portal}
}

// paragraphs splits a stored body ("\n\n" between paragraphs).
func paragraphs(body string) []string {
	if body == "" {
		return nil
	}
	return strings.Split(body, "\n\n")
}

// captureKey is the part of a capture id ("<urn:uuid:U>") that the
// /captures/ links carry: U.
func captureKey(id string) string {
	k := strings.TrimSuffix(strings.TrimPrefix(id, "<urn:uuid:"), ">")
	if !uuidShape.MatchString(k) {
		return ""
	}
	return k
}

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// diffData is the diff page.
type diffData struct {
	ID, Title string
	A, B      int
	Max       int
	Revs      []int
	Fields    []fieldChange
	Rows      []paraRow
}

func (s *Server) diff(w http.ResponseWriter, r *http.Request) {
	h, ok := s.shownHistory(w, r)
	if !ok {
		return
	}
	n := len(h.Versions)
	b, errB := revParam(r, "b", n, n)
	a, errA := revParam(r, "a", max(1, b-1), n)
	if errA != nil || errB != nil {
		s.problem(w, http.StatusBadRequest, "Phiên bản không hợp lệ", "a and b must be revision numbers from 1 to "+strconv.Itoa(n)+".")
		return
	}
	old, cur := h.Versions[a-1], h.Versions[b-1]
	d := diffData{ID: h.Record.ID, Title: cur.Title, A: a, B: b, Max: n,
		Fields: fieldChanges(&old, &cur), Rows: diffParagraphs(paragraphs(old.Body), paragraphs(cur.Body))}
	for i := 1; i <= n; i++ {
		d.Revs = append(d.Revs, i)
	}
	s.render(w, http.StatusOK, "diff", "So sánh phiên bản "+strconv.Itoa(a)+" và "+strconv.Itoa(b)+": "+cur.Title, d)
}

// revParam reads revision number name from the query, def when absent.
func revParam(r *http.Request, name string, def, n int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 1 || i > n {
		return 0, errors.New("revision out of range")
	}
	return i, nil
}

// fieldChange is one field that differs between two revisions.
type fieldChange struct {
	Field    string
	Old, New string
}

// fieldChanges lists the fields besides the body that differ.
func fieldChanges(a, b *record.Record) []fieldChange {
	pairs := []struct {
		f    record.Field
		a, b string
	}{
		{record.FieldTitle, a.Title, b.Title},
		{record.FieldByline, a.Byline, b.Byline},
		{record.FieldCategory, a.Category, b.Category},
		{record.FieldPublished, a.Published, b.Published},
		{record.FieldModified, a.Modified, b.Modified},
		{record.FieldLead, a.Lead, b.Lead},
		{record.FieldTags, strings.Join(a.Tags, ", "), strings.Join(b.Tags, ", ")},
		{record.FieldImages, imageText(a.Images), imageText(b.Images)},
		{record.FieldURL, a.URL, b.URL},
	}
	var out []fieldChange
	for _, p := range pairs {
		if p.a != p.b {
			out = append(out, fieldChange{Field: string(p.f), Old: p.a, New: p.b})
		}
	}
	if a.Body != b.Body {
		out = append(out, fieldChange{Field: string(record.FieldBody)})
	}
	return out
}

func imageText(imgs []record.Image) string {
	parts := make([]string, len(imgs))
	for i, im := range imgs {
		parts[i] = im.URL
		if im.Caption != "" {
			parts[i] += " (" + im.Caption + ")"
		}
	}
	return strings.Join(parts, ", ")
}
