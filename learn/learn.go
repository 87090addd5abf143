// Package learn proposes a portal's CSS selectors from its own article
// pages (parc learn, docs/LEARN.md). Generic extraction (package extract)
// reads each page first; what it finds is the hint. For each field,
// learn collects the elements whose text matches the hint, derives
// candidate selectors from their tags, stable class names, ids and
// parents, and keeps, template by template, the selector that the real
// extractor, given only that selector, turns into the hint on the most
// pages: a greedy cover whose joined group (`a, b`) is checked again on
// every page it already explained. Blocks inside the learned body element
// that are not the article's text (pictures and captions, blocks that
// repeat across pages, the headline, the date line, the byline, a bold
// standfirst) become remove selectors when every element they match on
// every page is such a block. A template seen on fewer than MinPages
// pages is reported, not guessed.
package learn

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// Page is one archived article capture.
type Page struct {
	URL         string
	Body        []byte // the decoded response body
	ContentType string
	FetchedAt   time.Time
}

// Options configures Learn. The zero value works.
type Options struct {
	// Location is the portal's time zone (nil: Asia/Ho_Chi_Minh, as
	// extract's default).
	Location *time.Location
	// MinPages is the fewest pages a template must have to be learned
	// (default 3).
	MinPages int
}

// Selectors are the proposed selectors, in config.yaml's keys.
type Selectors struct {
	Title, Published, Body, Byline, Category string
	Remove                                   []string
}

// Coverage is how many pages a field's proposed selector explains.
type Coverage struct {
	Field     string
	Selector  string // "" when none was learned
	Explained int    // pages where the selector gives the hint's value
	Of        int    // pages with a value to explain
	Templates int    // selectors in the group
}

// Unexplained is a page a field's selector does not explain.
type Unexplained struct {
	Field, URL string
	Why        string // what is left, when more than "not explained"
}

// Result is what Learn proposes and how well it covers the pages.
type Result struct {
	Pages       int
	Selectors   Selectors
	Removed     int           // in-body blocks the remove selectors take out
	Unread      []Unexplained // pages generic extraction fails on (no hint)
	Coverage    []Coverage
	Unexplained []Unexplained
}

// sample is one page with its parse and generic extraction's hint.
type sample struct {
	page Page
	url  *url.URL
	doc  *goquery.Document // never mutated
	hint *extract.Article
	// stripped is the page without its date metadata (extractFrom).
	stripped []byte
	texts    map[string]bool // the body's element texts (hasText)
}

// learner holds the pages and the extractors compiled for them.
type learner struct {
	ctx     context.Context
	opts    Options
	samples []*sample
	cache   map[string]*extract.Extractor // by profile key
}

// Learn proposes selectors for pages. It fails only when ctx ends or
// generic extraction reads no page.
func Learn(ctx context.Context, pages []Page, o Options) (*Result, error) {
	if o.MinPages <= 0 {
		o.MinPages = 3
	}
	l := &learner{ctx: ctx, opts: o, cache: map[string]*extract.Extractor{}}
	generic, err := l.extractor(extract.Profile{})
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, p := range pages {
		s, err := newSample(p, generic)
		if err != nil { // no hint to learn from: counted, named
			res.Unread = append(res.Unread, Unexplained{Field: "page", URL: p.URL, Why: err.Error()})
			continue
		}
		l.samples = append(l.samples, s)
	}
	if len(l.samples) == 0 {
		return nil, fmt.Errorf("learn: generic extraction reads none of %d pages", len(pages))
	}
	res.Pages = len(l.samples)
	for _, f := range fields() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l.learnField(f, res)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.learnBody(res)
	res.Selectors.Remove = l.sparingFields(res.Selectors)
	l.checkTogether(res)
	return res, nil
}

// sparingFields returns sel's remove selectors less those that take out,
// on some page, the element another of sel's selectors reads (a byline
// element inside the body): extraction takes a field's element out of
// the body itself, and removing it first loses the field.
func (l *learner) sparingFields(sel Selectors) []string {
	var fields []string
	for _, f := range []string{sel.Title, sel.Published, sel.Byline, sel.Category} {
		if f != "" {
			fields = append(fields, f)
		}
	}
	var keep []string
	for _, r := range sel.Remove {
		if !l.takesOut(r, fields) {
			keep = append(keep, r)
		}
	}
	return keep
}

// takesOut reports whether remove selector r matches, or holds, the
// first element of one of fields on some page.
func (l *learner) takesOut(r string, fields []string) bool {
	for _, s := range l.samples {
		removed := s.doc.Find(r)
		if removed.Length() == 0 {
			continue
		}
		for _, f := range fields {
			if first := s.doc.Find(f).First(); first.Length() > 0 &&
				(removed.IsSelection(first) || removed.HasNodes(first.Get(0)).Length() > 0) {
				return true
			}
		}
	}
	return false
}

// checkTogether extracts every page with all the proposed selectors at
// once and reports, as unexplained "all", the pages that then fail or
// whose title or publication time is not what each field's own check
// found (selectors of different fields can meet: a byline element inside
// the body element).
func (l *learner) checkTogether(res *Result) {
	sel := res.Selectors
	ex, err := l.extractor(extract.Profile{Title: sel.Title, Published: sel.Published, Body: sel.Body,
		Byline: sel.Byline, Category: sel.Category, Remove: sel.Remove})
	if err != nil {
		return
	}
	title := fields()[0]
	for _, s := range l.samples {
		if l.ctx.Err() != nil {
			return
		}
		a, err := s.extract(ex)
		switch {
		case err != nil:
			res.Unexplained = append(res.Unexplained, Unexplained{Field: "all", URL: s.page.URL, Why: "extraction fails with all selectors: " + err.Error()})
		case sel.Title != "" && a.Title != title.hint(s) && a.Title != s.hint.Title,
			!a.Published.Equal(s.hint.Published):
			res.Unexplained = append(res.Unexplained, Unexplained{Field: "all", URL: s.page.URL, Why: "title or publication time moves with all selectors together"})
		}
	}
}

func newSample(p Page, generic *extract.Extractor) (*sample, error) {
	u, err := url.Parse(p.URL)
	if err != nil {
		return nil, fmt.Errorf("page url: %w", err)
	}
	doc, _, err := htmldoc.Parse(p.Body, p.ContentType)
	if err != nil {
		return nil, err
	}
	s := &sample{page: p, url: u, doc: doc}
	if s.hint, err = s.extract(generic); err != nil {
		return nil, err
	}
	return s, nil
}

// extract runs ex on a fresh parse of the page (extraction changes the
// tree it reads).
func (s *sample) extract(ex *extract.Extractor) (*extract.Article, error) {
	return ex.Extract(bytes.NewReader(s.page.Body), extract.Input{URL: s.url, FetchedAt: s.page.FetchedAt, ContentType: s.page.ContentType})
}

// extractFrom is extract, from the page without its date metadata when
// strip is set (made once).
func (s *sample) extractFrom(ex *extract.Extractor, strip bool) (*extract.Article, error) {
	if !strip {
		return s.extract(ex)
	}
	if s.stripped == nil {
		s.stripped = withoutDateMeta(s.page.Body, s.page.ContentType)
	}
	return ex.Extract(bytes.NewReader(s.stripped), extract.Input{URL: s.url, FetchedAt: s.page.FetchedAt, ContentType: "text/html; charset=utf-8"})
}

// withoutDateMeta is the page, as UTF-8, without the metadata that dates
// it (meta tags, JSON-LD); the page itself when it does not parse.
func withoutDateMeta(body []byte, contentType string) []byte {
	doc, _, err := htmldoc.Parse(body, contentType)
	if err != nil {
		return body
	}
	doc.Find(`script[type="application/ld+json"], meta[property], meta[itemprop], meta[name]`).Remove()
	h, err := goquery.OuterHtml(doc.Selection)
	if err != nil {
		return body
	}
	return []byte(h)
}

// extractor returns the extractor of profile p, compiled once.
func (l *learner) extractor(p extract.Profile) (*extract.Extractor, error) {
	key := fmt.Sprintf("%q", p)
	if ex, ok := l.cache[key]; ok {
		return ex, nil
	}
	ex, err := extract.New(extract.Options{Profile: p, Location: l.opts.Location})
	if err != nil {
		return nil, fmt.Errorf("learn: profile %s: %w", key, err)
	}
	l.cache[key] = ex
	return ex, nil
}
