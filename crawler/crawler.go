package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
)

// Page is one fetched page handed to the Handler.
type Page struct {
	Item      frontier.Item     // as queued
	URL       *url.URL          // after redirects
	Status    int               // the answer's HTTP status
	Header    http.Header       // the answer's header (Content-Type as the server sent it)
	Body      []byte            // as received (transfer and content encoding removed, charset untouched)
	Doc       *goquery.Document // parsed once, UTF-8; nil for non-HTML, 304 and error pages
	Charset   string            // the charset Body was decoded from for Doc
	Request   http.Header       // the request's header as sent on the last hop
	FetchedAt time.Time         // when the request started (the Clock's time)
	// Exchanges are the request's hops as they went over the wire,
	// oldest first; the last is this answer (for raw captures).
	Exchanges []*Exchange
	// Gone is set for an article page that answered 404 or 410, or was
	// redirected to the home page (a start URL or the site root): the
	// article was removed.
	Gone bool
}

// Handler receives every fetched article page: 2xx, 304 (not modified)
// and gone pages (Page.Gone: 404, 410 or a redirect to the home page). It
// may modify p.Doc: links were collected before. An error counts the page
// as failed (failure.Handler); for a gone page, an error wrapping
// ErrUnknownPage says the article was never archived, and the page is
// counted as a failure of its kind (failure.HTTP4xx or failure.Redirect)
// instead.
type Handler func(ctx context.Context, p *Page) error

// Crawler crawls one portal. Create one per run with New.
type Crawler struct {
	opts   Options
	fr     Frontier
	handle Handler
	log    *slog.Logger
	clock  Clock
	client *http.Client
	coll   *colly.Collector // the run's HTTP engine (fetch.go)
	tap    *wireTap         // records the page requests' exchanges (wiretap.go)
	stats  *statsRecorder
	links  linkCache
	queued listingSet
	// addMu serialises frontier adds, so that the run's new entries
	// (newURLs) never pass MaxNewURLsPerRun.
	addMu   sync.Mutex
	newURLs int
	robots  *robots
	pace    *pacer
	homes   map[string]bool // identity keys of the start URLs
	ports   map[string]bool // ports in scope: 80, 443 and the start URLs'
	hostsMu sync.Mutex
	holds   map[string]time.Time // host → not before (Retry-After, Crawl-delay)

	// discoveries keeps the memory of page walks for reuse (*discovery).
	discoveries sync.Pool
}

// New checks opts and builds a crawler over fr that hands article pages
// to h. Its error names the first option that means nothing.
func New(opts Options, fr Frontier, h Handler) (*Crawler, error) {
	if err := opts.check(); err != nil {
		return nil, fmt.Errorf("crawler options: %w", err)
	}
	opts.AllowedDomains = allowedDomains(opts)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := opts.Clock
	if clock == nil {
		clock = realClock{}
	}
	if opts.Pace == nil {
		opts.Pace = NewPace()
	}
	c := &Crawler{
		opts: opts, fr: fr, handle: h, clock: clock,
		log:   log.With("component", "crawler"),
		stats: newStatsRecorder(),
		holds: map[string]time.Time{},
		pace:  &pacer{delay: opts.Delay, maxCrawl: opts.MaxCrawlDelay, slowStep: opts.SlowdownStep, slowMax: opts.SlowdownMax, parallelism: opts.Parallelism, shared: opts.Pace},
		homes: map[string]bool{},
		ports: map[string]bool{"80": true, "443": true},
	}
	for _, s := range opts.StartURLs {
		if k, err := canon.Key(s); err == nil {
			c.homes[k] = true
		}
		if u, err := url.Parse(s); err == nil {
			c.ports[canon.EffectivePort(u)] = true
		}
	}
	return c, nil
}

// allowedDomains returns the host names in scope, lower-cased: those of
// opts, or the start URLs' hosts when it names none.
func allowedDomains(opts Options) []string {
	domains := opts.AllowedDomains
	if len(domains) == 0 {
		for _, s := range opts.StartURLs {
			if u, err := url.Parse(s); err == nil {
				domains = append(domains, u.Hostname())
			}
		}
	}
	for i, d := range domains {
		domains[i] = strings.ToLower(d)
	}
	return domains
}

// Run crawls until the frontier is drained, MaxPages is reached or ctx
// ends. It returns the run's statistics; the error is non-nil only when the
// crawl could not run (frontier failure) or ctx ended.
func (c *Crawler) Run(ctx context.Context) (Stats, error) {
	start := c.clock.Now()
	client, err := c.newClient()
	if err != nil {
		return Stats{}, err
	}
	c.client = client
	c.coll = c.newCollector(ctx, client)
	var seeds []frontier.Item
	for _, s := range c.opts.StartURLs {
		u, err := canon.Clean(nil, s)
		if err != nil {
			return Stats{}, fmt.Errorf("start url %q: %w", s, err)
		}
		seeds = append(seeds, frontier.Item{URL: u, Kind: c.classify(u, frontier.KindListing)})
	}
	if _, err := c.add(ctx, seeds); err != nil {
		return Stats{}, fmt.Errorf("queue start urls: %w", err)
	}
	err = c.dispatch(ctx)
	st := c.stats.snapshot()
	st.Duration = c.clock.Now().Sub(start)
	return st, err
}

// classify says what a cleaned in-scope URL is; def applies when neither
// pattern is configured to decide.
func (c *Crawler) classify(u string, def frontier.Kind) frontier.Kind {
	if c.opts.ArticleURL != nil && c.opts.ArticleURL.MatchString(u) {
		return frontier.KindArticle
	}
	if c.opts.ListingURL != nil && c.opts.ListingURL.MatchString(u) {
		return frontier.KindListing
	}
	if c.opts.ListingURL == nil && c.opts.ArticleURL != nil {
		return frontier.KindListing
	}
	return def
}

// inScope reports whether u may be fetched: an allowed host (docs/CONTRACT.md:
// "www." and a port do not make another site) on a port of the start URLs
// or a default one. Another port on an allowed host is another server
// (a second listener on loopback): off scope. So is a URL that another
// portal claims (Options.Claimed).
func (c *Crawler) inScope(u *url.URL) bool {
	return canon.SameSite(u.Host, c.opts.AllowedDomains) && c.ports[canon.EffectivePort(u)] &&
		(c.opts.Claimed == nil || !c.opts.Claimed(u))
}

// isHome reports whether u is a start URL or the root of its site: where
// portals redirect requests for removed articles.
func (c *Crawler) isHome(u *url.URL) bool {
	if (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
		return true
	}
	k, err := canon.Key(u.String())
	return err == nil && c.homes[k]
}
