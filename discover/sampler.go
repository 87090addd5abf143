package discover

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/learn"
)

// sampler is the crawl's frontier and handler: an in-memory queue that
// decides what to fetch from what the pages fetched so far showed. It
// hands out a batch, waits for it, and plans the next: first a few
// pages of every cluster of links (sampling), then the article clusters'
// pages until it has the article pages it wants, then nothing (the crawl
// ends). Every item is handed out as an article so that the crawler
// gives every page to handle.
type sampler struct {
	start *url.URL
	want  int
	ex    *extract.Extractor

	mu       sync.Mutex
	seeded   bool
	queue    []string
	handed   map[string]bool  // item URLs handed out
	pages    map[string]*page // by item URL, once fetched
	known    map[string]string
	order    []string // known paths (lower-cased) in first-seen order
	inflight int
	fetched  int
}

// page is what one fetched page told.
type page struct {
	ok          bool // an HTML page that answered 2xx
	links       []string
	articleLike bool
	dated       bool // generic extraction found its publication time
	offsets     []string
	lang        string
	learn       learn.Page
}

// Sampling takes sampleEach pages of each of the maxClusters biggest
// clusters, and stops sampling after sampleBudget pages.
const (
	sampleEach   = 3
	maxClusters  = 16
	sampleBudget = 48
)

func newSampler(start *url.URL, want int) (*sampler, error) {
	ex, err := extract.New(extract.Options{})
	if err != nil {
		return nil, err
	}
	return &sampler{
		start: start, want: want, ex: ex,
		handed: map[string]bool{}, pages: map[string]*page{}, known: map[string]string{},
	}, nil
}

// Add takes the start URL; the links of pages come from handle.
func (s *sampler) Add(_ context.Context, items []frontier.Item, _ int) (frontier.Added, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded {
		return frontier.Added{}, nil
	}
	s.seeded = true
	for _, it := range items {
		s.queue = append(s.queue, it.URL)
	}
	return frontier.Added{Queued: len(items)}, nil
}

// Next hands out the planned batch; when it is done, it plans the next.
func (s *sampler) Next(context.Context) (frontier.Item, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 && s.inflight == 0 {
		s.queue = s.plan()
	}
	for len(s.queue) > 0 {
		u := s.queue[0]
		s.queue = s.queue[1:]
		if s.handed[u] {
			continue
		}
		s.handed[u] = true
		s.inflight++
		return frontier.Item{URL: u, Kind: frontier.KindArticle}, true, nil
	}
	return frontier.Item{}, false, nil
}

// Done counts a fetch as ended; a page handle did not see failed.
func (s *sampler) Done(_ context.Context, it frontier.Item, _ frontier.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	s.fetched++
	if s.pages[it.URL] == nil {
		s.pages[it.URL] = &page{}
	}
	return nil
}

// handle reads one page: its links, offsets and language, and whether
// generic extraction reads an article from it.
func (s *sampler) handle(_ context.Context, p *crawler.Page) error {
	pg := &page{}
	if !p.Gone && p.Doc != nil && p.Status >= 200 && p.Status < 300 {
		pg.ok = true
		pg.links = s.links(p)
		pg.offsets = pageOffsets(p.Doc)
		pg.lang = strings.ToLower(strings.TrimSpace(p.Doc.Find("html").AttrOr("lang", "")))
		pg.learn = learn.Page{URL: p.URL.String(), Body: p.Body, ContentType: p.Header.Get("Content-Type"), FetchedAt: p.FetchedAt}
		anchors := anchorTexts(p.Doc)
		a, err := s.ex.ExtractDocument(p.Doc, extract.Input{URL: p.URL, FetchedAt: p.FetchedAt})
		pg.articleLike = err == nil && articleLike(a, anchors)
		pg.dated = err == nil && !a.Published.IsZero()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[p.Item.URL] = pg
	for _, l := range pg.links {
		s.addKnown(l)
	}
	return nil
}

// An article page has a title and a body of minArticleWords at least,
// which holds fewer than maxTeasers texts of the page's links (of
// minAnchorWords words or more): a listing's "body", as generic
// extraction reads it, is its teasers, the linked headlines among them.
const (
	minArticleWords = 25
	maxTeasers      = 3
	minAnchorWords  = 4
)

func articleLike(a *extract.Article, anchors []string) bool {
	if a.Title == "" || len(strings.Fields(a.Body)) < minArticleWords {
		return false
	}
	teasers := 0
	for _, t := range anchors {
		if strings.Contains(a.Body, t) {
			teasers++
		}
	}
	return teasers < maxTeasers
}

// anchorTexts are the distinct texts of the page's links of
// minAnchorWords words or more, white space collapsed.
func anchorTexts(doc *goquery.Document) []string {
	var out []string
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		words := strings.Fields(a.Text())
		if t := strings.Join(words, " "); len(words) >= minAnchorWords && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	})
	return out
}

// links are the page's links on the start URL's site, cleaned.
func (s *sampler) links(p *crawler.Page) []string {
	var out []string
	seen := map[string]bool{}
	p.Doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if canon.SameDocument(strings.TrimSpace(href)) || canon.OtherScheme(strings.TrimSpace(href)) {
			return
		}
		u, err := canon.Parse(p.URL, href)
		if err != nil || !canon.SameHost(u, s.start) || u.Port() != s.start.Port() {
			return
		}
		if c := u.String(); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	})
	return out
}

func (s *sampler) addKnown(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	p := strings.ToLower(u.EscapedPath())
	if p == "" {
		p = "/"
	}
	if _, ok := s.known[p]; !ok {
		s.known[p] = raw
		s.order = append(s.order, p)
	}
}

// clusters are the known links' clusters; urls maps a cluster's paths
// back to the first URL seen with each.
func (s *sampler) clusters() []*Cluster {
	urls := make([]string, 0, len(s.order))
	for _, p := range s.order {
		urls = append(urls, s.known[p])
	}
	return Clusters(urls)
}

func (s *sampler) urlOf(path string) string { return s.known[strings.ToLower(path)] }

// plan is the next batch: samples of clusters not sampled enough, else
// more article pages, else listing pages to find more; nil ends the
// crawl. At most sampleBudget pages of samples, sampleBudget + 2×want in
// all.
func (s *sampler) plan() []string {
	if s.pages[s.start.String()] == nil || !s.pages[s.start.String()].ok {
		return nil // the home page failed: nothing to go on
	}
	cs := s.clusters()
	if s.fetched < sampleBudget {
		if batch := s.samples(cs, sampleBudget-s.fetched); len(batch) > 0 {
			return batch
		}
	}
	room := sampleBudget + 2*s.want - s.fetched
	inf := s.infer()
	have := len(s.articlePages(inf))
	if have >= s.want || room <= 0 {
		return nil
	}
	if batch := s.unhanded(cs, inf.isArticle, min(s.want-have, room)); len(batch) > 0 {
		return batch
	}
	return s.unhanded(cs, inf.isListing, min(sampleEach, room))
}

// unhanded is up to n URLs not handed out yet of the clusters in keys.
func (s *sampler) unhanded(cs []*Cluster, keys map[string]bool, n int) []string {
	var batch []string
	for _, c := range cs {
		if !keys[c.Key] {
			continue
		}
		for _, p := range c.Paths {
			if u := s.urlOf(p); !s.handed[u] && len(batch) < n {
				batch = append(batch, u)
			}
		}
	}
	return batch
}

// samples is up to sampleEach unfetched URLs of each of the biggest
// clusters that has fewer sampled, at most room in all.
func (s *sampler) samples(cs []*Cluster, room int) []string {
	var batch []string
	for i, c := range cs {
		if i == maxClusters {
			break
		}
		n := 0
		for _, p := range c.Paths {
			if s.handed[s.urlOf(p)] {
				n++
			}
		}
		for _, p := range c.Paths {
			if u := s.urlOf(p); n < sampleEach && !s.handed[u] && len(batch) < room {
				batch = append(batch, u)
				n++
			}
		}
	}
	return batch
}

// articlePages are the fetched pages of article clusters that read as
// articles, at most want: learn's input.
func (s *sampler) articlePages(inf *inference) []learn.Page {
	var out []learn.Page
	for _, p := range inf.articlePaths {
		pg := s.pages[s.urlOf(p)]
		if pg != nil && pg.ok && pg.articleLike && len(out) < s.want {
			out = append(out, pg.learn)
		}
	}
	return out
}
