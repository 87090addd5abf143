package crawler

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// pageWords are link texts of pagination links (numbered pages aside),
// compared with strings.EqualFold: the same simple case folding as a
// (?i) regexp.
var pageWords = [...]string{
	"»", "›", ">>", ">", "next", "sau", "tiếp", "trang sau", "trang tiếp", "xem thêm", "cũ hơn", "older", "more", "last", "cuối",
	"«", "‹", "<<", "<", "prev", "previous", "trước", "trang trước", "đầu", "first",
}

const maxPageWordLen = len("trang trước")

// pageWordIndex narrows the page words a link text is compared with. It
// is only read.
var pageWordIndex = func() (ix struct {
	// start marks the bytes a text can start with to equal a page word
	// under simple case folding: the first bytes of the runes that fold
	// like a page word's first rune.
	start [256]bool
	// runes holds the page words' lengths in runes: EqualFold compares
	// rune by rune, so equal texts have as many.
	runes [len(pageWords)]int
}) {
	for i, w := range pageWords {
		ix.runes[i] = utf8.RuneCountInString(w)
		r, _ := utf8.DecodeRuneInString(w)
		for f := r; ; {
			var b [utf8.UTFMax]byte
			utf8.EncodeRune(b[:], f)
			ix.start[b[0]] = true
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
	}
	return ix
}()

// discover queues the in-scope links of a fetched HTML page. On a listing
// page that shows no article missing from the archive, an incremental crawl
// does not follow its pagination links.
//
// It walks the parsed tree once, carrying down whether an ancestor's class
// or id names a pager and noting the first <base href>, then resolves and
// classifies each link, each link string once per run (linkCache): the
// same navigation links appear on every page. Only the first
// MaxLinksPerPage links are kept from the walk; the rest are counted.
func (c *Crawler) discover(ctx context.Context, p *Page) error {
	if len(p.Doc.Nodes) == 0 {
		return nil
	}
	d := c.newDiscovery(p)
	defer c.dropDiscovery(d)
	d.walk(p.Doc.Nodes[0], false)
	if d.baseNode != nil {
		if href, ok := attr(d.baseNode, "href"); ok {
			if bu, err := p.URL.Parse(strings.TrimSpace(href)); err == nil {
				d.base = bu
			}
		}
	}
	d.origin = d.base.Scheme + "://" + d.base.Host
	for _, a := range d.anchors {
		d.link(a.node, a.inPager)
	}
	if d.offScope > 0 || d.tooLong > 0 || d.overLimit > 0 {
		c.stats.add(func(s *Stats) {
			s.OffScopeLinks += d.offScope
			s.LongURLs += d.tooLong
			s.LinksOverPageLimit += d.overLimit
		})
	}
	// One frontier call per page: articles first, then listings and
	// pagination (the order the frontier queues them in). Only an
	// incremental listing page needs the article count before it decides
	// on its pagination links.
	items := append(append(d.items[:0], d.articles...), d.listings...)
	deferPaging := c.opts.Incremental && p.Item.Kind == frontier.KindListing && len(d.paging) > 0
	if !deferPaging {
		items = append(items, d.paging...)
	}
	d.items = items
	articles := len(d.articles)
	fresh, err := c.add(ctx, items)
	if err != nil {
		return fmt.Errorf("queue links of %s: %w", p.URL, err)
	}
	c.stats.add(func(s *Stats) { s.Discovered += fresh; s.ArticleLinks += articles })
	if !deferPaging {
		return nil
	}
	if fresh == 0 {
		c.stats.add(func(s *Stats) { s.EarlyStops++ })
		return nil
	}
	if _, err := c.add(ctx, d.paging); err != nil {
		return fmt.Errorf("queue links of %s: %w", p.URL, err)
	}
	return nil
}

// add queues items, leaving out the listings this run already queued:
// the frontier would ignore them (a URL is queued once per run), and the
// same menu links are on every page. Listings never count as fresh. The
// frontier gets the room left of MaxNewURLsPerRun; what it drops for want
// of room is counted.
func (c *Crawler) add(ctx context.Context, items []frontier.Item) (fresh int, err error) {
	items = c.queued.unknown(items)
	if len(items) == 0 {
		return 0, nil
	}
	c.addMu.Lock()
	res, err := c.fr.Add(ctx, items, c.opts.MaxNewURLsPerRun-c.newURLs)
	c.newURLs += res.Queued
	c.addMu.Unlock()
	if err != nil {
		return 0, err
	}
	if res.Dropped == 0 {
		c.queued.remember(items)
	} else { // a dropped listing is not remembered: not queued
		c.stats.add(func(s *Stats) { s.URLsOverRunLimit += res.Dropped })
	}
	return res.Fresh, nil
}

// listingSet holds listing URLs queued in this run; it is emptied when
// full, so its memory stays bounded (a forgotten URL is only queued again,
// which the frontier ignores).
type listingSet struct {
	mu sync.Mutex
	m  map[string]struct{}
}

const maxQueuedListings = 4096

// unknown returns items without the listings known to be queued; it
// reuses items' array.
func (s *listingSet) unknown(items []frontier.Item) []frontier.Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := items[:0]
	for _, it := range items {
		if _, ok := s.m[it.URL]; ok && it.Kind == frontier.KindListing {
			continue
		}
		out = append(out, it)
	}
	return out
}

func (s *listingSet) remember(items []frontier.Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range items {
		if it.Kind != frontier.KindListing {
			continue
		}
		if s.m == nil || len(s.m) >= maxQueuedListings {
			s.m = make(map[string]struct{}, 256)
		}
		s.m[it.URL] = struct{}{}
	}
}

// discovery is one page's link walk. Its maps and slices are reused from
// page to page (Crawler.discoveries): the frontier copies what it queues.
type discovery struct {
	c                          *Crawler
	base, page                 *url.URL
	origin                     string // base's scheme://host
	baseNode                   *html.Node
	anchors                    []anchor // links in document order
	seen                       map[string]bool
	depth                      int
	articles, listings, paging []frontier.Item
	items                      []frontier.Item // what one frontier call queues
	offScope                   int
	tooLong                    int // links longer than MaxURLBytes, dropped
	overLimit                  int // links beyond MaxLinksPerPage, not looked at
	// here is what a link to the page itself ("", "#top") resolves to,
	// once one was met (hereKnown).
	here              *link
	hereOK, hereKnown bool
}

// anchor is an <a> or <area> element with an href.
type anchor struct {
	node    *html.Node
	inPager bool
}

// maxReusedLinks bounds the links of a page whose discovery's memory is
// kept for the next page.
const maxReusedLinks = 4096

// newDiscovery returns an empty discovery of p's links, reused if one is
// free.
func (c *Crawler) newDiscovery(p *Page) *discovery {
	d, _ := c.discoveries.Get().(*discovery)
	if d == nil {
		d = &discovery{seen: map[string]bool{}}
	}
	self, _ := canon.Clean(nil, p.URL.String())
	d.seen[self] = true
	d.c, d.base, d.page, d.depth = c, p.URL, p.URL, p.Item.Depth+1
	return d
}

// dropDiscovery keeps d for another page, emptied, unless it grew large.
func (c *Crawler) dropDiscovery(d *discovery) {
	if len(d.anchors) > maxReusedLinks {
		return
	}
	clear(d.anchors)
	clear(d.items)
	clear(d.articles)
	clear(d.listings)
	clear(d.paging)
	clear(d.seen)
	*d = discovery{
		anchors:  d.anchors[:0],
		seen:     d.seen,
		articles: d.articles[:0],
		listings: d.listings[:0],
		paging:   d.paging[:0],
		items:    d.items[:0],
	}
	c.discoveries.Put(d)
}

// walk visits n's subtree in document order, noting the first <base href>
// and the links. inPager says an ancestor below <body> (n excluded) has a
// class or id naming a pager.
func (d *discovery) walk(n *html.Node, inPager bool) {
	if n.Type == html.ElementNode {
		switch n.Data {
		case "a", "area":
			switch {
			case !hasAttr(n, "href"):
			case len(d.anchors) < d.c.opts.MaxLinksPerPage:
				d.anchors = append(d.anchors, anchor{n, inPager})
			default:
				d.overLimit++ // counted, never resolved
			}
		case "base":
			if d.baseNode == nil && hasAttr(n, "href") {
				d.baseNode = n
			}
		}
		if n.Data == "body" {
			inPager = false
		} else if !inPager {
			inPager = pagerAttrs(n)
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		d.walk(ch, inPager)
	}
}

// MaxURLBytes is the longest link parc queues. Longer ones (far beyond
// what browsers and servers use) are dropped and counted before they
// reach the frontier: bbolt refuses keys over 32 KB, and a page of huge
// links would fill the archive.
const MaxURLBytes = 8 << 10

func (d *discovery) link(a *html.Node, inPager bool) {
	href, _ := attr(a, "href")
	if len(href) > MaxURLBytes {
		d.tooLong++
		return
	}
	l, ok := d.resolve(href)
	if !ok {
		return
	}
	if len(l.url) > MaxURLBytes {
		d.tooLong++
		return
	}
	if !l.inScope {
		d.offScope++
		return
	}
	n := len(d.seen)
	d.seen[l.url] = true // one map operation per link
	if len(d.seen) == n {
		return // linked before on this page
	}
	switch l.kind {
	case frontier.KindArticle:
		d.articles = append(d.articles, frontier.Item{URL: l.url, Kind: frontier.KindArticle, Depth: d.depth})
	case frontier.KindListing:
		it := frontier.Item{URL: l.url, Kind: frontier.KindListing, Depth: d.depth}
		if inPager || isPageWord(htmldoc.Text(a)) || samePathButDigits(l, d.page) {
			d.paging = append(d.paging, it)
		} else {
			d.listings = append(d.listings, it)
		}
	}
}

// resolve returns what href resolves to on this page.
func (d *discovery) resolve(href string) (*link, bool) {
	if canon.SameDocument(strings.TrimSpace(href)) {
		// A link to the page itself: resolved once per page.
		if !d.hereKnown {
			d.here, d.hereOK = d.c.links.resolve(d.c, d.base, d.origin, "")
			d.hereKnown = true
		}
		return d.here, d.hereOK
	}
	return d.c.links.resolve(d.c, d.base, d.origin, href)
}

// linkCache remembers what each link string resolves to: the cleaned URL,
// whether it is in scope and its kind. Only links whose resolution does not
// depend on the page's path are kept (absolute, or root-relative per the
// base's scheme and host). Links are also kept by cleaned URL, so that
// link strings that clean to one URL (tracking parameters, fragments) are
// classified once. It is emptied when full, so its memory stays bounded on
// any portal.
type linkCache struct {
	mu    sync.Mutex
	abs   map[string]*link            // absolute link strings
	rel   map[string]map[string]*link // root-relative link strings by the scheme://host they resolve against
	byURL map[string]*link            // by cleaned URL
	n     int                         // entries in the three
}

const maxCachedLinks = 16384

type link struct {
	url                  string // cleaned
	host, path, rawQuery string
	inScope              bool
	kind                 frontier.Kind // 0: neither article nor listing
}

// resolve returns what href on a page with base (whose scheme://host is
// origin) resolves to; ok is false for a link that is not a fetchable URL.
func (lc *linkCache) resolve(c *Crawler, base *url.URL, origin, href string) (*link, bool) {
	h := strings.TrimSpace(href)
	var keyOrigin string // "" for an absolute link
	cacheable := true
	switch {
	case strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//"):
		keyOrigin = origin
	case hasPrefixFold(h, "http://") || hasPrefixFold(h, "https://"):
	case canon.OtherScheme(h):
		return nil, false // mailto:, javascript:…: never an http(s) URL
	default:
		cacheable = false
	}
	if cacheable {
		lc.mu.Lock()
		l, ok := lc.table(keyOrigin)[h]
		lc.mu.Unlock()
		if ok {
			return l, l != nil
		}
	}
	var l *link
	if u, err := canon.Parse(base, h); err == nil {
		l = lc.link(c, u)
	}
	if cacheable {
		lc.mu.Lock()
		lc.makeRoom()
		t := lc.table(keyOrigin)
		if _, dup := t[h]; !dup {
			t[h] = l
			lc.n++
		}
		lc.mu.Unlock()
	}
	return l, l != nil
}

// link returns the link to the cleaned URL u, classified.
func (lc *linkCache) link(c *Crawler, u *url.URL) *link {
	s := u.String()
	lc.mu.Lock()
	l, ok := lc.byURL[s]
	lc.mu.Unlock()
	if ok {
		return l
	}
	l = &link{url: s, host: u.Host, path: u.Path, rawQuery: u.RawQuery, inScope: c.inScope(u)}
	if l.inScope {
		l.kind = c.classifyLink(l.url)
	}
	lc.mu.Lock()
	lc.makeRoom()
	if lc.byURL == nil {
		lc.byURL = make(map[string]*link, 1024)
	}
	if _, dup := lc.byURL[s]; !dup {
		lc.byURL[s] = l
		lc.n++
	}
	lc.mu.Unlock()
	return l
}

// makeRoom empties the cache when full; lc.mu is held.
func (lc *linkCache) makeRoom() {
	if lc.n >= maxCachedLinks {
		lc.abs, lc.rel, lc.byURL, lc.n = nil, nil, nil, 0
	}
}

// table returns the links kept for origin ("" for absolute links),
// creating it; lc.mu is held.
func (lc *linkCache) table(origin string) map[string]*link {
	if origin == "" {
		if lc.abs == nil {
			lc.abs = make(map[string]*link, 1024)
		}
		return lc.abs
	}
	t := lc.rel[origin]
	if t == nil {
		if lc.rel == nil {
			lc.rel = make(map[string]map[string]*link, 1)
		}
		t = make(map[string]*link, 1024)
		lc.rel[origin] = t
	}
	return t
}

// classifyLink returns the kind of an in-scope link, or 0 to ignore it.
func (c *Crawler) classifyLink(u string) frontier.Kind {
	if c.opts.ArticleURL != nil && c.opts.ArticleURL.MatchString(u) {
		return frontier.KindArticle
	}
	if c.opts.ListingURL != nil {
		if c.opts.ListingURL.MatchString(u) {
			return frontier.KindListing
		}
		return 0
	}
	if c.opts.ArticleURL == nil {
		return frontier.KindListing
	}
	return 0
}

// Pagination: a link to another page of the same listing (numbered pages,
// next/previous) rather than a menu link to another listing. It is one if
// its text is a page number or a next/previous word, if an ancestor's
// class or id names a pager, or if its path is the page's but for digits
// (or the same path with another query).

func isPageWord(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || len(t) > 3*maxPageWordLen { // case folding changes a letter's length at most threefold
		return false
	}
	if len(t) <= 5 && strings.Trim(t, "0123456789") == "" {
		return true
	}
	if !pageWordIndex.start[t[0]] {
		return false // most link texts: no EqualFold calls
	}
	n := utf8.RuneCountInString(t)
	for i, w := range pageWords {
		if pageWordIndex.runes[i] == n && strings.EqualFold(t, w) {
			return true
		}
	}
	return false
}

// pagerAttrs reports whether n's class or id names a pager (the first
// of each, as attr finds them).
func pagerAttrs(n *html.Node) bool {
	cls, id := false, false
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		switch {
		case a.Key == "class" && !cls:
			cls = true
		case a.Key == "id" && !id:
			id = true
		default:
			continue
		}
		if namesPager(a.Val) {
			return true
		}
	}
	return false
}

// namesPager reports whether a class or id contains "pag" or "trang"
// (pager, paging, phan-trang), in any letter case.
func namesPager(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] | 0x20 {
		case 'p':
			if hasPrefixFoldASCII(s[i:], "pag") {
				return true
			}
		case 't':
			if hasPrefixFoldASCII(s[i:], "trang") {
				return true
			}
		}
	}
	return false
}

func samePathButDigits(l *link, page *url.URL) bool {
	return l.host == page.Host && (l.path != page.Path || l.rawQuery != page.RawQuery) && sameButDigits(l.path, page.Path)
}

// sameButDigits reports whether a and b are equal once every run of ASCII
// digits is replaced by one placeholder.
func sameButDigits(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		da, db := isDigit(a[i]), isDigit(b[j])
		switch {
		case da && db:
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
		case da || db || a[i] != b[j]:
			return false
		default:
			i++
			j++
		}
	}
	return i == len(a) && j == len(b)
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// hasPrefixFoldASCII reports whether s starts with prefix (lower-case
// ASCII letters), ignoring ASCII letter case.
func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if s[k]|0x20 != prefix[k] {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attr(n, key)
	return ok
}
