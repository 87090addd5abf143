package crawler

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/internal/canon"
)

// pageWords are link texts of pagination links (numbered pages aside),
// compared with strings.EqualFold: the same simple case folding as a
// (?i) regexp.
var pageWords = [...]string{
	"»", "›", ">>", ">", "next", "sau", "tiếp", "trang sau", "trang tiếp", "xem thêm", "cũ hơn", "older", "more", "last", "cuối",
	"«", "‹", "<<", "<", "prev", "previous", "trước", "trang trước", "đầu", "first",
}

const maxPageWordLen = len("trang trước")

// discover queues the in-scope links of a fetched HTML page. On a listing
// page that shows no article missing from the archive, an incremental crawl
// does not follow its pagination links.
//
// It walks the parsed tree once, carrying down whether an ancestor's class
// or id names a pager, and resolves and classifies each link string once
// per run (linkCache): the same navigation links appear on every page.
func (c *Crawler) discover(ctx context.Context, p *Page) error {
	if len(p.Doc.Nodes) == 0 {
		return nil
	}
	root := p.Doc.Nodes[0]
	base := p.URL
	if b := findBase(root); b != nil {
		if href, ok := attr(b, "href"); ok {
			if bu, err := p.URL.Parse(strings.TrimSpace(href)); err == nil {
				base = bu
			}
		}
	}
	self, _ := canon.Clean(nil, p.URL.String())
	d := &discovery{c: c, base: base, origin: base.Scheme + "://" + base.Host, page: p.URL, seen: map[string]bool{self: true}, depth: p.Item.Depth + 1}
	d.walk(root, false)
	if d.offScope > 0 {
		c.stats.add(func(s *Stats) { s.OffScopeLinks += d.offScope })
	}
	// One frontier call per page: articles first, then listings and
	// pagination (the order the frontier queues them in). Only an
	// incremental listing page needs the article count before it decides
	// on its pagination links.
	items := append(d.articles, d.listings...)
	deferPaging := c.opts.Incremental && p.Item.Kind == KindListing && len(d.paging) > 0
	if !deferPaging {
		items = append(items, d.paging...)
	}
	fresh, err := c.add(ctx, items)
	if err != nil {
		return fmt.Errorf("queue links of %s: %w", p.URL, err)
	}
	c.stats.add(func(s *Stats) { s.Discovered += fresh })
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
// same menu links are on every page. Listings never count as fresh.
func (c *Crawler) add(ctx context.Context, items []Item) (int, error) {
	items = c.queued.unknown(items)
	if len(items) == 0 {
		return 0, nil
	}
	fresh, err := c.fr.Add(ctx, items)
	if err == nil {
		c.queued.remember(items)
	}
	return fresh, err
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
func (s *listingSet) unknown(items []Item) []Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := items[:0]
	for _, it := range items {
		if _, ok := s.m[it.URL]; ok && it.Kind == KindListing {
			continue
		}
		out = append(out, it)
	}
	return out
}

func (s *listingSet) remember(items []Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range items {
		if it.Kind != KindListing {
			continue
		}
		if s.m == nil || len(s.m) >= maxQueuedListings {
			s.m = make(map[string]struct{}, 256)
		}
		s.m[it.URL] = struct{}{}
	}
}

// discovery is one page's link walk.
type discovery struct {
	c                          *Crawler
	base, page                 *url.URL
	origin                     string // base's scheme://host
	seen                       map[string]bool
	depth                      int
	articles, listings, paging []Item
	offScope                   int
}

// walk visits n's subtree in document order. inPager says an ancestor
// below <body> (n excluded) has a class or id naming a pager.
func (d *discovery) walk(n *html.Node, inPager bool) {
	if n.Type == html.ElementNode {
		if (n.Data == "a" || n.Data == "area") && hasAttr(n, "href") {
			d.link(n, inPager)
		}
		if n.Data == "body" {
			inPager = false
		} else if !inPager {
			cls, _ := attr(n, "class")
			id, _ := attr(n, "id")
			inPager = namesPager(cls) || namesPager(id)
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		d.walk(ch, inPager)
	}
}

func (d *discovery) link(a *html.Node, inPager bool) {
	href, _ := attr(a, "href")
	l, ok := d.c.links.resolve(d.c, d.base, d.origin, href)
	if !ok {
		return
	}
	if !l.inScope {
		d.offScope++
		return
	}
	if d.seen[l.url] {
		return
	}
	d.seen[l.url] = true
	switch l.kind {
	case KindArticle:
		d.articles = append(d.articles, Item{URL: l.url, Kind: KindArticle, Depth: d.depth})
	case KindListing:
		it := Item{URL: l.url, Kind: KindListing, Depth: d.depth}
		if inPager || isPageWord(nodeText(a)) || samePathButDigits(l, d.page) {
			d.paging = append(d.paging, it)
		} else {
			d.listings = append(d.listings, it)
		}
	}
}

// linkCache remembers what each link string resolves to: the cleaned URL,
// whether it is in scope and its kind. Only links whose resolution does not
// depend on the page's path are kept (absolute, or root-relative keyed by
// the base's scheme and host); it is emptied when full, so its memory
// stays bounded on any portal.
type linkCache struct {
	mu sync.Mutex
	m  map[linkKey]*link
}

// linkKey is a link as written and, for a root-relative one, the
// scheme://host it resolves against.
type linkKey struct{ origin, href string }

const maxCachedLinks = 8192

type link struct {
	url                  string // cleaned
	host, path, rawQuery string
	inScope              bool
	kind                 Kind // 0: neither article nor listing
}

// resolve returns what href on a page with base (whose scheme://host is
// origin) resolves to; ok is false for a link that is not a fetchable URL.
func (lc *linkCache) resolve(c *Crawler, base *url.URL, origin, href string) (*link, bool) {
	h := strings.TrimSpace(href)
	var key linkKey
	switch {
	case strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//"):
		key = linkKey{origin, h}
	case hasPrefixFold(h, "http://") || hasPrefixFold(h, "https://"):
		key = linkKey{"", h}
	}
	if key.href != "" {
		lc.mu.Lock()
		l, ok := lc.m[key]
		lc.mu.Unlock()
		if ok {
			return l, l != nil
		}
	}
	var l *link
	if u, err := canon.Parse(base, href); err == nil {
		l = &link{url: u.String(), host: u.Host, path: u.Path, rawQuery: u.RawQuery, inScope: c.inScope(u)}
		if l.inScope {
			l.kind = c.classifyLink(l.url)
		}
	}
	if key.href != "" {
		lc.mu.Lock()
		if lc.m == nil || len(lc.m) >= maxCachedLinks {
			lc.m = make(map[linkKey]*link, 1024)
		}
		lc.m[key] = l
		lc.mu.Unlock()
	}
	return l, l != nil
}

// classifyLink returns the kind of an in-scope link, or 0 to ignore it.
func (c *Crawler) classifyLink(u string) Kind {
	if c.opts.ArticleURL != nil && c.opts.ArticleURL.MatchString(u) {
		return KindArticle
	}
	if c.opts.ListingURL != nil {
		if c.opts.ListingURL.MatchString(u) {
			return KindListing
		}
		return 0
	}
	if c.opts.ArticleURL == nil {
		return KindListing
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
	for _, w := range pageWords {
		if strings.EqualFold(t, w) {
			return true
		}
	}
	return false
}

// namesPager reports whether a class or id contains "pag" or "trang"
// (pager, paging, phan-trang), in any letter case.
func namesPager(s string) bool {
	return s != "" && (containsFoldASCII(s, "pag") || containsFoldASCII(s, "trang"))
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

// containsFoldASCII reports whether s contains sub (lower-case ASCII
// letters), ignoring ASCII letter case.
func containsFoldASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		k := 0
		for k < len(sub) && s[i+k]|0x20 == sub[k] {
			k++
		}
		if k == len(sub) {
			return true
		}
	}
	return false
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

// findBase returns the first <base href> element in document order.
func findBase(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.Data == "base" && hasAttr(n, "href") {
		return n
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if b := findBase(ch); b != nil {
			return b
		}
	}
	return nil
}

// nodeText is the text of n's descendants, as goquery's Text.
func nodeText(n *html.Node) string {
	if n.FirstChild != nil && n.FirstChild == n.LastChild && n.FirstChild.Type == html.TextNode {
		return n.FirstChild.Data
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}
