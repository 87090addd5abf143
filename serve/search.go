package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
)

// PageSize is how many results a search page lists.
const PageSize = 20

// Query is one search: words (folded before matching) and filters.
type Query struct {
	Text     string
	Portal   string
	Category string
	Byline   string
	From, To time.Time // on published, inclusive days; zero: unbounded
	Page     int       // from 1
	Size     int       // results a page; 0: PageSize
	// Portals are the portals searched (the served ones); empty: all.
	Portals []string
}

// size is how many results a page of q holds.
func (q Query) size() int {
	if q.Size > 0 {
		return q.Size
	}
	return PageSize
}

// skip is how many results come before q's page: none below page 1, and
// at most about a billion, so that no page number overflows it (a page
// past the results is empty).
func (q Query) skip() int { return min(max(q.Page-1, 0), 1<<30/q.size()) * q.size() }

// Hit is one search result.
type Hit struct {
	ID, Title, Portal, Category, Byline, Published, Lead string
}

// Results is one page of results.
type Results struct {
	Hits  []Hit
	Total int
}

// parseQuery reads a Query from the search page's parameters.
func parseQuery(v url.Values, loc *time.Location) (Query, error) {
	q := Query{Text: strings.TrimSpace(v.Get("q")), Portal: v.Get("portal"), Category: v.Get("category"), Byline: v.Get("byline"), Page: 1}
	var err error
	if q.From, err = day(v.Get("from"), false, loc); err != nil {
		return q, err
	}
	if q.To, err = day(v.Get("to"), true, loc); err != nil {
		return q, err
	}
	if p := v.Get("page"); p != "" {
		if q.Page, err = strconv.Atoi(p); err != nil || q.Page < 1 {
			return q, strconv.ErrRange
		}
	}
	return q, nil
}

// day parses a YYYY-MM-DD bound in loc (the portal's time zone; nil:
// UTC): the start of the day, or its end.
func day(s string, end bool, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return t, err
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

// matcher decides whether a record is a result of q.
type matcher struct {
	q        Query
	terms    []string
	category string
	byline   string
}

func newMatcher(q Query) *matcher {
	return &matcher{q: q, terms: Terms(q.Text), category: Fold(q.Category), byline: Fold(q.Byline)}
}

// filters reports whether rec passes q's filters (all but the words).
func (m *matcher) filters(rec *record.Record) bool {
	if m.q.Portal != "" && rec.Portal != m.q.Portal {
		return false
	}
	if len(m.q.Portals) > 0 && !slices.Contains(m.q.Portals, rec.Portal) {
		return false
	}
	if m.category != "" && Fold(rec.Category) != m.category {
		return false
	}
	if m.byline != "" && !strings.Contains(Fold(rec.Byline), m.byline) {
		return false
	}
	if !m.q.From.IsZero() || !m.q.To.IsZero() {
		p, err := time.Parse(time.RFC3339, rec.Published)
		if err != nil || (!m.q.From.IsZero() && p.Before(m.q.From)) || (!m.q.To.IsZero() && p.After(m.q.To)) {
			return false
		}
	}
	return true
}

// words reports whether every term of q is a word of rec's text.
func (m *matcher) words(rec *record.Record) bool {
	if len(m.terms) == 0 {
		return true
	}
	have := map[string]bool{}
	for _, t := range Terms(searchText(rec)) {
		have[t] = true
	}
	for _, t := range m.terms {
		if !have[t] {
			return false
		}
	}
	return true
}

// searchText is the text of a record that search reads.
func searchText(rec *record.Record) string {
	return rec.Title + "\n" + rec.Lead + "\n" + rec.Body + "\n" + rec.Byline + "\n" + strings.Join(rec.Tags, " ")
}

// scanSearch answers q by reading every record: the search of an archive
// without an index.
func scanSearch(ctx context.Context, arc *archive.Archive, q Query) (Results, error) {
	m := newMatcher(q)
	var hits []Hit
	err := arc.Records(ctx, archive.Filter{Portals: q.Portals}, func(raw []byte) error {
		var rec record.Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		if m.filters(&rec) && m.words(&rec) {
			hits = append(hits, hitOf(&rec))
		}
		return nil
	})
	if err != nil {
		return Results{}, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return newer(hits[i].Published, hits[j].Published) })
	res := Results{Total: len(hits)}
	if from := q.skip(); from < len(hits) {
		res.Hits = hits[from:min(len(hits), from+q.size())]
	}
	return res, nil
}

func hitOf(rec *record.Record) Hit {
	return Hit{ID: rec.ID, Title: rec.Title, Portal: rec.Portal, Category: rec.Category, Byline: rec.Byline, Published: rec.Published, Lead: rec.Lead}
}

// searchData is the search page.
type searchData struct {
	Q          Query
	From, To   string
	Results    Results
	Searched   bool
	Note       string // why the results may be incomplete or slow
	Pages      int
	Start      int    // the number of the page's first result
	Prev, Next string // links to the neighbouring pages, "" when none
	Export     string // the `parc export` command line of this search
	ExportLink string // /search.jsonl with this search's parameters
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r.URL.Query(), s.o.Location)
	if err != nil {
		s.problem(w, http.StatusBadRequest, "Tìm kiếm không hợp lệ", "from and to are dates (YYYY-MM-DD); page is a number from 1.")
		return
	}
	d := searchData{Q: q, From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	d.Searched = q.Text != "" || q.Portal != "" || q.Category != "" || q.Byline != "" || !q.From.IsZero() || !q.To.IsZero()
	switch {
	case q.Portal != "" && !s.serves(q.Portal):
		d.Note = s.notServed(q.Portal)
	case d.Searched:
		if d.Results, d.Note, err = s.find(r.Context(), q); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Pages = (d.Results.Total + PageSize - 1) / PageSize
	d.Start = q.skip() + 1
	d.Prev, d.Next = pageLinks(r.URL.Query(), q.Page, d.Pages)
	d.Export = exportCommand(q, d.From, d.To)
	v := r.URL.Query()
	v.Del("page")
	d.ExportLink = "/search.jsonl?" + v.Encode()
	title := "Tìm kiếm"
	if q.Text != "" {
		title = "Tìm kiếm: " + q.Text
	}
	s.renderQuery(w, "search", title, q.Text, d)
}

// pageLinks are the query strings of the previous and next result pages.
func pageLinks(v url.Values, page, pages int) (prev, next string) {
	link := func(p int) string {
		c := url.Values{}
		for k, vs := range v {
			c[k] = vs
		}
		c.Set("page", strconv.Itoa(p))
		return "/search?" + c.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if page < pages {
		next = link(page + 1)
	}
	return prev, next
}

// exportCommand is the parc export command line that writes what the
// search's filters select (the words are the search's own).
func exportCommand(q Query, from, to string) string {
	cmd := "parc export --format jsonl"
	if q.Category != "" {
		cmd += " --category " + strconv.Quote(q.Category)
	}
	if from != "" {
		cmd += " --since " + from
	}
	if to != "" {
		cmd += " --until " + to
	}
	return cmd
}

// newer orders results newest published first (by instant: the stored
// times carry their zone), those without a date last.
func newer(a, b string) bool {
	ta, ea := time.Parse(time.RFC3339, a)
	tb, eb := time.Parse(time.RFC3339, b)
	if ea != nil || eb != nil {
		return ea == nil && eb != nil
	}
	return ta.After(tb)
}
