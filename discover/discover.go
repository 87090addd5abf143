// Package discover is `parc portal add`: from a portal's home page and a
// few dozen of its pages, fetched politely through package crawler (into
// memory, nothing archived), it infers the portal entry of config.yaml:
// the article and listing URL patterns (clusters of same-host link paths
// by shape, judged by what generic extraction reads on sampled pages),
// the selectors parc learn proposes from the article pages, and the time
// zone (from the pages' own offsets, else their language). docs/PORTALS.md.
package discover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/learn"
)

// DefaultPages is how many article pages Discover fetches by default.
const DefaultPages = 30

// Options configures Discover. Crawl's StartURLs, AllowedDomains and
// patterns are Discover's to set; the rest (user agent, delay, robots,
// timeouts) is used as given: start from crawler.DefaultOptions.
type Options struct {
	URL   string
	Pages int // article pages to fetch (0: DefaultPages)
	Crawl crawler.Options
	// DefaultTimezone is the zone when the pages say neither an offset
	// nor a language parc knows ("": Asia/Ho_Chi_Minh).
	DefaultTimezone string
	Logger          *slog.Logger
}

// ErrUnreachable is a site whose home page could not be fetched.
var ErrUnreachable = errors.New("site unreachable")

// ErrNoArticles is a site where no cluster of links reads as articles.
var ErrNoArticles = errors.New("no article pattern found")

// Pattern is one inferred URL pattern with the URLs seen that it matches.
type Pattern struct {
	Regexp  string
	Matched int
}

// Result is the inferred portal entry and how it was found.
type Result struct {
	Name           string
	StartURL       string
	AllowedDomains []string
	Article        Pattern
	Listing        Pattern
	Learned        *learn.Result
	Timezone       string
	TimezoneWhy    string
	// Fetched counts the pages fetched, ArticlePages those read as
	// articles (learn's input).
	Fetched, ArticlePages int
	// Clusters are the link clusters with what the samples said.
	Clusters []ClusterReport
}

// ClusterReport is one cluster of links and its verdict.
type ClusterReport struct {
	Key, Pattern    string
	URLs, Sampled   int
	ArticleLike     int
	Kind            string // "article", "listing" or ""
	MeanArticleLink float64
}

// Discover fetches the portal at o.URL and infers its entry.
func Discover(ctx context.Context, o Options) (*Result, error) {
	start, err := canon.Parse(nil, o.URL)
	if err != nil {
		return nil, fmt.Errorf("url %q: %w", o.URL, err)
	}
	if start.Path == "" {
		start.Path = "/"
	}
	if o.Pages <= 0 {
		o.Pages = DefaultPages
	}
	domains := domainsOf(start)
	s, err := newSampler(start, o.Pages)
	if err != nil {
		return nil, err
	}
	co := o.Crawl
	co.StartURLs = []string{start.String()}
	co.AllowedDomains = domains
	co.ArticleURL, co.ListingURL = nil, nil
	co.MaxPages = 0
	co.Incremental = false
	co.Logger = o.Logger
	cr, err := crawler.New(co, s, s.handle)
	if err != nil {
		return nil, err
	}
	if _, err := cr.Run(ctx); err != nil {
		return nil, fmt.Errorf("fetching %s: %w", start, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.conclude(ctx, o, domains)
}

// domainsOf is the host with and without "www.".
func domainsOf(u *url.URL) []string {
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if net := strings.Trim(h, "0123456789."); net == "" || strings.Contains(h, ":") {
		return []string{h} // an IP address has no www.
	}
	return []string{h, "www." + h}
}

// conclude infers the entry from what the sampler fetched.
func (s *sampler) conclude(ctx context.Context, o Options, domains []string) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	home := s.pages[s.start.String()]
	if home == nil || !home.ok {
		return nil, fmt.Errorf("%s: %w (the home page answered no HTML page)", s.start, ErrUnreachable)
	}
	inf := s.infer()
	res := &Result{
		Name: Name(s.start), StartURL: s.start.String(), AllowedDomains: domains,
		Fetched: s.fetched, Clusters: inf.reports,
	}
	if len(inf.article) == 0 {
		return res, fmt.Errorf("%s: %w among the links of %d pages fetched", s.start, ErrNoArticles, s.fetched)
	}
	origin := s.start.Scheme + "://" + s.start.Host
	res.Article = Pattern{Regexp: Regexp(origin, inf.article), Matched: inf.articleURLs}
	res.Listing = Pattern{Regexp: Regexp(origin, inf.listing), Matched: inf.listingURLs}
	pages := s.articlePages(inf)
	res.ArticlePages = len(pages)
	res.Timezone, res.TimezoneWhy = s.timezone(inf, o.DefaultTimezone)
	loc, err := time.LoadLocation(res.Timezone)
	if err != nil {
		return res, fmt.Errorf("time zone %s: %w", res.Timezone, err)
	}
	learned, err := learn.Learn(ctx, pages, learn.Options{Location: loc})
	if err != nil {
		return res, fmt.Errorf("learning selectors: %w", err)
	}
	res.Learned = learned
	return res, nil
}

// Name is the portal's name from its URL: the host without "www.", and
// ":port" as "-port" when the port is not the scheme's default; any
// character but a letter, digit, '-', '_' or '.' (an IPv6 address's
// colons) becomes '-'.
func Name(u *url.URL) string {
	n := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && !(p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https") {
		n += "-" + p
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, n)
}
