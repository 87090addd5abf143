package crawler

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/internal/canon"
)

var pageWord = regexp.MustCompile(`(?i)^(\d{1,5}|»|›|>>|>|next|sau|tiếp|trang sau|trang tiếp|xem thêm|cũ hơn|older|more|last|cuối|«|‹|<<|<|prev|previous|trước|trang trước|đầu|first)$`)

var digits = regexp.MustCompile(`\d+`)

// discover queues the in-scope links of a fetched HTML page. On a listing
// page that shows no article missing from the archive, an incremental crawl
// does not follow its pagination links.
func (c *Crawler) discover(ctx context.Context, p *Page) error {
	base := p.URL
	if href, ok := p.Doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := p.URL.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	self, _ := canon.Clean(nil, p.URL.String())
	var articles, listings, paging []Item
	seen := map[string]bool{self: true}
	p.Doc.Find("a[href], area[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := canon.Parse(base, href)
		if err != nil {
			return
		}
		if !c.inScope(u) {
			c.stats.add(func(s *Stats) { s.OffScopeLinks++ })
			return
		}
		link := u.String()
		if seen[link] {
			return
		}
		seen[link] = true
		switch c.classifyLink(link) {
		case KindArticle:
			articles = append(articles, Item{URL: link, Kind: KindArticle, Depth: p.Item.Depth + 1})
		case KindListing:
			it := Item{URL: link, Kind: KindListing, Depth: p.Item.Depth + 1}
			if c.isPagination(a, u, p.URL) {
				paging = append(paging, it)
			} else {
				listings = append(listings, it)
			}
		}
	})
	fresh, err := c.fr.Add(ctx, articles)
	if err != nil {
		return fmt.Errorf("queue links of %s: %w", p.URL, err)
	}
	c.stats.add(func(s *Stats) { s.Discovered += fresh })
	if c.opts.Incremental && fresh == 0 && len(paging) > 0 && p.Item.Kind == KindListing {
		c.stats.add(func(s *Stats) { s.EarlyStops++ })
		paging = nil
	}
	if _, err := c.fr.Add(ctx, append(listings, paging...)); err != nil {
		return fmt.Errorf("queue links of %s: %w", p.URL, err)
	}
	return nil
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

// isPagination tells a link to another page of the same listing (numbered
// pages, next/previous) from menu links to other listings.
func (c *Crawler) isPagination(a *goquery.Selection, u, page *url.URL) bool {
	if pageWord.MatchString(strings.TrimSpace(a.Text())) {
		return true
	}
	for n := a.Parent(); n.Length() > 0 && n.Nodes[0].Data != "body"; n = n.Parent() {
		cls, _ := n.Attr("class")
		id, _ := n.Attr("id")
		if c.paging.MatchString(cls + " " + id) {
			return true
		}
	}
	// Same path but for digits, or the same path with another page query.
	return u.Host == page.Host && digits.ReplaceAllString(u.Path, "#") == digits.ReplaceAllString(page.Path, "#") &&
		(u.Path != page.Path || u.RawQuery != page.RawQuery)
}
