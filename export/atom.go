package export

// Atom export.
//
// The feed is built with encoding/xml rather than github.com/gorilla/feeds:
// gorilla's Feed API derives the feed id from its link, never sets an entry's
// <published>, and has no <generator>, all of which parc needs (stable ids so
// a revision shows as an updated entry, published = the article's date).

import (
	"bufio"
	"container/heap"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/record"
)

const atomNS = "http://www.w3.org/2005/Atom"

type atomFeed struct {
	XMLName   xml.Name      `xml:"feed"`
	Xmlns     string        `xml:"xmlns,attr"`
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Updated   string        `xml:"updated"`
	Links     []atomLink    `xml:"link"`
	Author    *atomPerson   `xml:"author"`
	Generator atomGenerator `xml:"generator"`
	Entries   []atomEntry   `xml:"entry"`
}

type atomGenerator struct {
	URI     string `xml:"uri,attr,omitempty"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

// PortalScheme is the scheme of the Atom category that names an entry's
// portal (the record's portal field).
const PortalScheme = "urn:parc:portal"

type atomEntry struct {
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published,omitempty"`
	Links     []atomLink     `xml:"link"`
	Author    *atomPerson    `xml:"author"`
	Category  []atomCategory `xml:"category"`
	Summary   *atomText      `xml:"summary"`
	Content   *atomText      `xml:"content"`
}

// AtomEntryID is the Atom id of the article with the given record id:
// "urn:parc:<id>". It never changes, so a revision of an article shows in a
// feed reader as an update of the same entry.
func AtomEntryID(id string) string { return "urn:parc:" + url.PathEscape(id) }

// atomUpdated is a record's Atom updated time: last_changed, else first_seen,
// else last_seen (zero when none parses).
// atomKey is when a record was news, which decides the feed's newest N and
// their order: its publication time (first seen when the page gave none)
// until it is revised, then the time of its last change. After a first
// crawl that archived years of articles at once, the feed shows the latest
// published, not the last stored; a revision comes back to the top.
func atomKey(published, lastChanged, firstSeen, lastSeen string, revision int) time.Time {
	if revision <= 1 {
		if t, err := time.Parse(time.RFC3339, published); err == nil {
			return t
		}
	}
	return atomUpdated(lastChanged, firstSeen, lastSeen)
}

func atomUpdated(lastChanged, firstSeen, lastSeen string) time.Time {
	for _, s := range []string{lastChanged, firstSeen, lastSeen} {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// bodyHTML renders a plain-text body (paragraphs separated by blank lines)
// as escaped HTML paragraphs.
func bodyHTML(body string) string {
	var b strings.Builder
	b.Grow(len(body) + 64)
	for para := range strings.SplitSeq(body, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// atomEntryOf is the feed entry of r, updated at t.
func atomEntryOf(r *record.Record, t time.Time) atomEntry {
	e := atomEntry{
		ID:      AtomEntryID(r.ID),
		Title:   atomText{Type: "text", Body: r.Title},
		Updated: t.UTC().Format(time.RFC3339),
	}
	if p, err := time.Parse(time.RFC3339, r.Published); err == nil {
		e.Published = p.Format(time.RFC3339)
	}
	if r.URL != "" {
		e.Links = append(e.Links, atomLink{Href: r.URL, Rel: "alternate", Type: "text/html"})
	}
	if r.Byline != "" {
		e.Author = &atomPerson{Name: r.Byline}
	}
	if r.Category != "" {
		e.Category = append(e.Category, atomCategory{Term: r.Category})
	}
	if r.Portal != "" {
		e.Category = append(e.Category, atomCategory{Term: r.Portal, Scheme: PortalScheme})
	}
	if r.Lead != "" {
		e.Summary = &atomText{Type: "text", Body: r.Lead}
	}
	e.Content = &atomText{Type: "html", Body: bodyHTML(r.Body)}
	return e
}

// WriteAtom writes recs as an Atom 1.0 feed, newest first by when each was
// news (published until revised, then last_changed; see atomKey), keeping the newest
// opts.Limit (default DefaultAtomLimit). Each entry has id AtomEntryID(id),
// updated = last_changed, published = published (when known), the byline as
// author (else the feed's author, the portal name), the category, the lead as
// summary, the body as HTML paragraphs and a link to the article's URL. The
// feed is described by opts.FeedTitle, FeedURL (rel="self"), FeedID, Portal
// and Version; its updated time is the newest entry's, or opts.Now() when
// there are no entries. The watch server's /feed.atom uses it too.
func WriteAtom(w io.Writer, recs []record.Record, opts Options) error {
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultAtomLimit
	}
	type dated struct {
		rec *record.Record
		t   time.Time
	}
	ds := make([]dated, len(recs))
	for i := range recs {
		r := &recs[i]
		ds[i] = dated{r, atomKey(r.Published, r.LastChanged, r.FirstSeen, r.LastSeen, r.Revision)}
	}
	// Newest first; among equal times the later one in recs first.
	slices.Reverse(ds)
	slices.SortStableFunc(ds, func(a, b dated) int { return b.t.Compare(a.t) })
	if len(ds) > limit {
		ds = ds[:limit]
	}

	portal := opts.Portal
	feed := atomFeed{
		Xmlns:     atomNS,
		ID:        opts.FeedID,
		Title:     opts.FeedTitle,
		Author:    &atomPerson{Name: portal},
		Generator: atomGenerator{URI: "https://github.com/parc-archiver/parc", Version: opts.Version, Name: "parc"},
	}
	if feed.ID == "" {
		feed.ID = "urn:parc:feed"
		if portal != "" {
			feed.ID += ":" + url.PathEscape(portal)
		}
	}
	if feed.Title == "" {
		feed.Title = strings.TrimSpace("parc " + portal)
	}
	if portal == "" {
		feed.Author.Name = "parc"
	}
	if opts.FeedURL != "" {
		feed.Links = append(feed.Links, atomLink{Href: opts.FeedURL, Rel: "self", Type: "application/atom+xml"})
	}
	var updated time.Time // the feed's: its newest entry's
	for _, d := range ds {
		if u := atomUpdated(d.rec.LastChanged, d.rec.FirstSeen, d.rec.LastSeen); u.After(updated) {
			updated = u
		}
	}
	if updated.IsZero() {
		updated = opts.now()
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	for _, d := range ds {
		r := d.rec
		t := atomUpdated(r.LastChanged, r.FirstSeen, r.LastSeen)
		if t.IsZero() {
			t = updated
		}
		feed.Entries = append(feed.Entries, atomEntryOf(r, t))
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return fmt.Errorf("write atom: %w", err)
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return fmt.Errorf("encode atom: %w", err)
	}
	if err := bw.WriteByte('\n'); err != nil {
		return fmt.Errorf("write atom: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write atom: %w", err)
	}
	return nil
}

// atomItem is a stored record kept while streaming an Atom export.
type atomItem struct {
	t   time.Time
	seq int
	raw []byte
}

// atomHeap is a min-heap on (t, seq): its root is the oldest kept record.
type atomHeap []*atomItem

func (h atomHeap) Len() int { return len(h) }
func (h atomHeap) Less(i, j int) bool {
	if c := h[i].t.Compare(h[j].t); c != 0 {
		return c < 0
	}
	return h[i].seq < h[j].seq
}
func (h atomHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *atomHeap) Push(x any)   { *h = append(*h, x.(*atomItem)) }
func (h *atomHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// exportAtom streams src keeping the newest Limit records (by updated time,
// then stream order) in a bounded heap of raw copies, and decodes only those.
func exportAtom(ctx context.Context, w io.Writer, src RecordSource, opts Options) (int, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultAtomLimit
	}
	cols, err := newColumns([]record.Field{record.FieldPublished, record.FieldRevision, record.FieldLastChanged, record.FieldFirstSeen, record.FieldLastSeen})
	if err != nil {
		return 0, err
	}
	pub, rev := cols.index[string(record.FieldPublished)], cols.index[string(record.FieldRevision)]
	lc, fs, ls := cols.index[string(record.FieldLastChanged)], cols.index[string(record.FieldFirstSeen)], cols.index[string(record.FieldLastSeen)]
	var (
		h       atomHeap
		seq     int
		scratch []byte
	)
	text := func(i int) string {
		var b []byte
		b, scratch, _ = stringText(cols.vals[i], scratch)
		return string(b)
	}
	err = src(ctx, func(raw []byte) error {
		seq++
		if err := cols.split(raw); err != nil {
			return fmt.Errorf("record %d: %w", seq, err)
		}
		revision, _ := strconv.Atoi(string(cols.vals[rev]))
		it := &atomItem{t: atomKey(text(pub), text(lc), text(fs), text(ls), revision), seq: seq}
		if len(h) < limit {
			it.raw = append([]byte(nil), raw...)
			heap.Push(&h, it)
			return nil
		}
		if !(atomHeap{h[0], it}).Less(0, 1) {
			return nil // older than everything kept
		}
		it.raw = append(h[0].raw[:0], raw...)
		h[0] = it
		heap.Fix(&h, 0)
		return nil
	})
	if err != nil {
		return 0, err
	}
	// Oldest first, so WriteAtom's stable order keeps later records first
	// among equal times.
	slices.SortFunc(h, func(a, b *atomItem) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	recs := make([]record.Record, len(h))
	for i, it := range h {
		if err := json.Unmarshal(it.raw, &recs[i]); err != nil {
			return 0, fmt.Errorf("record %d: %w: %w", it.seq, ErrBadRecord, err)
		}
	}
	opts.Limit = limit
	if err := WriteAtom(w, recs, opts); err != nil {
		return 0, err
	}
	return len(recs), nil
}
