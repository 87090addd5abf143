package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
)

// Options configures a Crawler. Zero values take the defaults noted.
type Options struct {
	StartURLs      []string
	AllowedDomains []string       // host names; empty means the start URLs' hosts
	ArticleURL     *regexp.Regexp // absolute URLs of article pages; nil: none (every page is a listing)
	ListingURL     *regexp.Regexp // absolute URLs followed for links; nil: every in-scope page that is not an article
	UserAgent      string
	Delay          time.Duration // between requests to one host
	Parallelism    int           // requests in flight per host (default 2)
	Timeout        time.Duration // per request (default 30s)
	Retries        int           // after the first attempt
	MaxRedirects   int           // default 10; negative means none
	RespectRobots  bool
	MaxPages       int   // 0: no limit
	MaxBodyBytes   int64 // default 10 MiB
	// Incremental follows a listing page's pagination links only when the
	// page showed an article not archived yet (SPEC.md, Archive behaviour).
	Incremental bool
	// BackoffBase is the first retry's delay (default 1s), doubled per
	// attempt with jitter, capped at BackoffMax (default 1m).
	BackoffBase, BackoffMax time.Duration
	// MaxCrawlDelay caps robots.txt's Crawl-delay (default 30s); negative
	// ignores Crawl-delay. The gap between requests to a host is the
	// longer of Delay and the (capped) Crawl-delay, plus the slow-down.
	MaxCrawlDelay time.Duration
	// SlowdownStep and SlowdownMax drive the per-host adaptive slow-down:
	// each 5xx, 429, timeout, truncated body or network error doubles the
	// host's extra gap, starting at SlowdownStep (default BackoffBase/4)
	// and capped at SlowdownMax (default BackoffMax; negative disables
	// the slow-down); each success halves it.
	SlowdownStep, SlowdownMax time.Duration
	Logger                    *slog.Logger
	// Clock drives backoff and Retry-After; nil means the real clock.
	Clock Clock
	// Transport replaces the HTTP transport (tests); nil builds one that
	// keeps Parallelism connections per host alive.
	Transport http.RoundTripper
}

// Page is one fetched page handed to the Handler.
type Page struct {
	Item      frontier.Item
	URL       *url.URL // after redirects
	Status    int
	Header    http.Header
	Body      []byte            // as received (transfer and content encoding removed, charset untouched)
	Doc       *goquery.Document // parsed once, UTF-8; nil for non-HTML, 304 and error pages
	Charset   string
	Request   http.Header
	FetchedAt time.Time
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
	opts    Options
	fr      Frontier
	handle  Handler
	log     *slog.Logger
	clock   Clock
	client  *http.Client
	coll    *colly.Collector // the run's HTTP engine (fetch.go)
	stats   *statsRecorder
	links   linkCache
	queued  listingSet
	robots  *robots
	pace    *pacer
	homes   map[string]bool // identity keys of the start URLs
	ports   map[string]bool // ports in scope: 80, 443 and the start URLs'
	hostsMu sync.Mutex
	holds   map[string]time.Time // host → not before (Retry-After, Crawl-delay)

	// discoveries keeps the memory of page walks for reuse (*discovery).
	discoveries sync.Pool
}

// New checks opts and builds a crawler over fr that hands article pages to h.
func New(opts Options, fr Frontier, h Handler) (*Crawler, error) {
	if len(opts.StartURLs) == 0 {
		return nil, errors.New("no start urls")
	}
	if opts.Parallelism <= 0 {
		opts.Parallelism = 2
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = 10
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 10 << 20
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = time.Second
	}
	if opts.BackoffMax <= 0 {
		opts.BackoffMax = time.Minute
	}
	if opts.MaxCrawlDelay == 0 {
		opts.MaxCrawlDelay = 30 * time.Second
	}
	if opts.SlowdownStep <= 0 {
		opts.SlowdownStep = max(opts.BackoffBase/4, time.Millisecond)
	}
	if opts.SlowdownMax == 0 {
		opts.SlowdownMax = opts.BackoffMax
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "parc"
	}
	if len(opts.AllowedDomains) == 0 {
		for _, s := range opts.StartURLs {
			if u, err := url.Parse(s); err == nil {
				opts.AllowedDomains = append(opts.AllowedDomains, u.Hostname())
			}
		}
	}
	for i, d := range opts.AllowedDomains {
		opts.AllowedDomains[i] = strings.ToLower(d)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := opts.Clock
	if clock == nil {
		clock = realClock{}
	}
	c := &Crawler{
		opts: opts, fr: fr, handle: h, clock: clock,
		log:   log.With("component", "crawler"),
		stats: newStatsRecorder(),
		holds: map[string]time.Time{},
		pace:  newPacer(opts.Delay, opts.MaxCrawlDelay, opts.SlowdownStep, opts.SlowdownMax),
		homes: map[string]bool{},
		ports: map[string]bool{"80": true, "443": true},
	}
	for _, s := range opts.StartURLs {
		if k, err := canon.Key(s); err == nil {
			c.homes[k] = true
		}
		if u, err := url.Parse(s); err == nil {
			c.ports[effectivePort(u)] = true
		}
	}
	return c, nil
}

// newClient builds the HTTP client of a run: the transport (keeping
// Parallelism connections per host alive), a cookie jar (as colly kept),
// the request timeout, and the redirect policy (MaxRedirects, scope and
// robots.txt checked on every hop).
func (c *Crawler) newClient() (*http.Client, error) {
	tr := c.opts.Transport
	if tr == nil {
		tr = newTransport(c.opts.Parallelism, c.opts.Timeout)
	}
	c.robots = newRobots(tr, c.opts.Timeout, c.opts.UserAgent, c.inScope, c.clock)
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("cookie jar: %w", err)
	}
	return &http.Client{
		Transport: charsetShield{failureTags{tr}},
		Jar:       jar,
		Timeout:   c.opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return c.checkRedirect(req, len(via))
		},
	}, nil
}

// checkRedirect is the page client's redirect policy, asked before hop
// number hops: a target on another domain makes the page off scope; one
// past MaxRedirects or off scope (another port) is a redirect failure;
// one robots.txt disallows is a robots skip, and one whose robots.txt
// cannot be read a failure.RobotsTxt.
func (c *Crawler) checkRedirect(req *http.Request, hops int) error {
	target := req.URL
	if !canon.SameSite(target.Hostname(), c.opts.AllowedDomains) {
		return fmt.Errorf("not following redirect to %q: %w", target, errForbiddenDomain)
	}
	if c.opts.MaxRedirects < 0 || hops > c.opts.MaxRedirects {
		return &FetchError{URL: target.String(), Kind: failure.Redirect, Err: errTooManyRedirects}
	}
	if !c.inScope(target) {
		return &FetchError{URL: target.String(), Kind: failure.Redirect, Err: errOffsiteRedirect}
	}
	if !c.opts.RespectRobots {
		return nil
	}
	rb, err := c.robots.get(req.Context(), target)
	switch {
	case err != nil && req.Context().Err() != nil:
		return fmt.Errorf("redirect to %s: %w", target, err) // the run is being stopped
	case err != nil:
		return &FetchError{URL: target.String(), Kind: failure.RobotsTxt, Err: err}
	case !rb.allows(target):
		return fmt.Errorf("redirect to %s: %w", target, errRobotsBlocked)
	}
	return nil
}

func newTransport(parallelism int, timeout time.Duration) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          4 * parallelism,
		MaxIdleConnsPerHost:   parallelism + 1,
		MaxConnsPerHost:       parallelism + 1,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ForceAttemptHTTP2:     true,
		// A news page is tens of KB: with the default 4 KB, reading one
		// took ~5 read system calls (colly's io.ReadAll asks for little
		// at a time, which the buffer refills 4 KB per call).
		ReadBufferSize: 64 << 10,
	}
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
	if _, err := c.fr.Add(ctx, seeds); err != nil {
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

type outcome struct {
	it       frontier.Item
	attempt  int
	retryIn  time.Duration // > 0: retry after this long
	hostHold time.Duration // > 0: hold the whole host this long
	err      error         // fatal (frontier) error
}

type pending struct {
	it      frontier.Item
	attempt int
	due     time.Time
}

// dispatch hands frontier items to Parallelism workers, schedules retries
// and ends when nothing is queued, in flight or waiting for a retry.
func (c *Crawler) dispatch(ctx context.Context) error {
	type job struct {
		it      frontier.Item
		attempt int
	}
	workers := c.opts.Parallelism
	jobs := make(chan job)
	results := make(chan outcome, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- c.process(ctx, j.it, j.attempt)
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()

	var (
		active   int
		waiting  []pending // retries and held hosts; small: bounded by failing URLs in flight
		started  int
		frontErr error
		drained  bool
	)
	for {
		if ctx.Err() != nil {
			for active > 0 {
				<-results
				active--
			}
			return ctx.Err()
		}
		limitReached := c.opts.MaxPages > 0 && started >= c.opts.MaxPages
		var next *job
		now := c.clock.Now()
		if active < workers && !limitReached {
			// Due retries first, then the frontier.
			for i, p := range waiting {
				if !p.due.After(now) && !c.held(p.it.URL, now) {
					next = &job{p.it, p.attempt}
					waiting = append(waiting[:i], waiting[i+1:]...)
					break
				}
			}
			if next == nil && !drained {
				it, ok, err := c.fr.Next(ctx)
				switch {
				case err != nil:
					frontErr = fmt.Errorf("frontier: %w", err)
				case ok && c.held(it.URL, now):
					waiting = append(waiting, pending{it: it, attempt: 0, due: c.holdUntil(it.URL)})
					continue
				case ok:
					next = &job{it, 0}
				default:
					drained = active > 0 || len(waiting) > 0 // re-ask after results arrive
					if !drained {
						return nil
					}
				}
			}
		}
		if frontErr != nil {
			for active > 0 {
				<-results
				active--
			}
			return frontErr
		}
		if next != nil {
			// A worker is free whenever active < workers: results has room
			// for every worker's outcome, so this send cannot block for long.
			jobs <- *next
			active++
			if next.attempt == 0 {
				started++
			}
			continue
		}
		if active == 0 && len(waiting) == 0 && (drained || limitReached) {
			return nil
		}
		if active == 0 && limitReached {
			// Abandon scheduled retries beyond the page limit; they stay queued in the frontier.
			return nil
		}
		var timer <-chan time.Time
		if len(waiting) > 0 && active < workers {
			var soonest time.Time
			for i, p := range waiting {
				at := p.due
				if h := c.holdUntil(p.it.URL); h.After(at) {
					at = h
				}
				if i == 0 || at.Before(soonest) {
					soonest = at
				}
			}
			timer = c.clock.After(soonest.Sub(now))
		}
		select {
		case r := <-results:
			active--
			drained = false
			if err := c.settle(ctx, r, &waiting); err != nil {
				frontErr = err
			}
		case <-timer:
		case <-ctx.Done():
		}
	}
}

// settle books one finished attempt: a retry is scheduled, anything else is
// already reported to the frontier by process.
func (c *Crawler) settle(ctx context.Context, r outcome, waiting *[]pending) error {
	if r.err != nil {
		return r.err
	}
	now := c.clock.Now()
	if r.hostHold > 0 {
		c.hold(r.it.URL, now.Add(r.hostHold))
	}
	if r.retryIn > 0 {
		*waiting = append(*waiting, pending{it: r.it, attempt: r.attempt + 1, due: now.Add(r.retryIn)})
	}
	return nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return ""
}

func (c *Crawler) hold(raw string, until time.Time) {
	c.hostsMu.Lock()
	defer c.hostsMu.Unlock()
	h := hostOf(raw)
	if until.After(c.holds[h]) {
		c.holds[h] = until
	}
}

func (c *Crawler) holdUntil(raw string) time.Time {
	c.hostsMu.Lock()
	defer c.hostsMu.Unlock()
	return c.holds[hostOf(raw)]
}

func (c *Crawler) held(raw string, now time.Time) bool { return c.holdUntil(raw).After(now) }

// backoff returns the delay before retry number attempt+1: exponential with
// full jitter in [d/2, d].
func (c *Crawler) backoff(attempt int) time.Duration {
	d := c.opts.BackoffBase << attempt
	if d <= 0 || d > c.opts.BackoffMax {
		d = c.opts.BackoffMax
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// process fetches one item once and decides: done, failed, or retry.
func (c *Crawler) process(ctx context.Context, it frontier.Item, attempt int) (out outcome) {
	out = outcome{it: it, attempt: attempt}
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("panic while processing a page", "url", it.URL, "panic", p, "stack", string(debug.Stack()))
			c.stats.fail(failure.Panic, it.URL)
			out = outcome{it: it, attempt: attempt, err: c.done(ctx, it, frontier.StatusFailed)}
		}
	}()
	u, err := url.Parse(it.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		c.stats.fail(failure.BadURL, it.URL)
		out.err = c.done(ctx, it, frontier.StatusSkip)
		return out
	}
	if !c.inScope(u) {
		c.stats.add(func(s *Stats) { s.OffScope++ })
		out.err = c.done(ctx, it, frontier.StatusSkip)
		return out
	}
	host := u.Host
	if c.opts.RespectRobots {
		rb, err := c.robots.get(ctx, u)
		if err != nil {
			if ctx.Err() != nil {
				return out // leave it queued: the run is being stopped
			}
			var wait time.Duration
			if rb != nil {
				wait = rb.wait
			}
			c.pace.trouble(host)
			return c.failOrRetry(ctx, out, failure.RobotsTxt, true, wait, &FetchError{URL: it.URL, Kind: failure.RobotsTxt, Err: err})
		}
		if applied := c.pace.setCrawlDelay(host, rb.delay); applied < rb.delay {
			c.log.Debug("crawl-delay capped", "host", host, "crawl_delay", rb.delay, "applied", applied)
		}
		if !rb.allows(u) {
			c.stats.add(func(s *Stats) { s.Robots++ })
			out.err = c.done(ctx, it, frontier.StatusSkip)
			return out
		}
	}
	if wait := c.pace.reserve(host, c.clock.Now()); wait > 0 {
		select {
		case <-c.clock.After(wait):
		case <-ctx.Done():
			return out
		}
	}
	hdr := http.Header{}
	if it.ETag != "" {
		hdr.Set("If-None-Match", it.ETag)
	}
	if it.LastModified != "" {
		hdr.Set("If-Modified-Since", it.LastModified)
	}
	hdr.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	hdr.Set("User-Agent", c.opts.UserAgent)
	fetchedAt := c.clock.Now()
	resp, err := c.fetch(ctx, u, hdr)
	if attempt > 0 {
		c.stats.add(func(s *Stats) { s.Retries++ })
	}
	if err != nil {
		return c.fetchFailed(ctx, out, host, err)
	}
	status, body := resp.status, resp.body
	c.stats.add(func(s *Stats) { s.Pages++ })
	gone := false
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		c.pace.trouble(host)
		wait := retryAfter(resp.header, c.clock.Now())
		kind := failure.HTTP5xx
		if status == http.StatusTooManyRequests {
			kind = failure.HTTP429
		}
		return c.failOrRetry(ctx, out, kind, true, wait, &FetchError{URL: it.URL, Status: status, Kind: kind})
	case status == http.StatusNotModified:
		c.pace.ok(host)
		c.stats.add(func(s *Stats) { s.NotModified++ })
	case status == http.StatusNotFound || status == http.StatusGone:
		c.pace.ok(host)
		if it.Kind != frontier.KindArticle {
			c.stats.fail(failure.HTTP4xx, it.URL)
			out.err = c.done(ctx, it, frontier.StatusDone)
			return out
		}
		gone = true
	case status >= 300 && status < 400:
		c.stats.fail(failure.Redirect, it.URL)
		out.err = c.done(ctx, it, frontier.StatusDone)
		return out
	case status >= 400:
		c.stats.fail(failure.HTTP4xx, it.URL)
		out.err = c.done(ctx, it, frontier.StatusDone)
		return out
	default:
		c.pace.ok(host)
	}
	if int64(len(body)) > c.opts.MaxBodyBytes {
		c.stats.fail(failure.TooLarge, it.URL)
		out.err = c.done(ctx, it, frontier.StatusFailed)
		return out
	}
	page := &Page{
		Item: it, URL: resp.url, Status: status, Header: resp.header, Body: body,
		Request: resp.reqHeader, FetchedAt: fetchedAt, Gone: gone,
	}
	final, _ := canon.Clean(nil, page.URL.String())
	goneKind := failure.HTTP4xx
	if it.Kind == frontier.KindArticle && status >= 200 && status < 300 && final != it.URL && c.isHome(page.URL) {
		page.Gone, goneKind = true, failure.Redirect
	}
	if status >= 200 && status < 300 && !page.Gone && isHTML(page.Header.Get("Content-Type"), body) {
		doc, cs, err := extract.Parse(body, page.Header.Get("Content-Type"))
		if err != nil {
			c.stats.fail(failure.Parse, it.URL)
			out.err = c.done(ctx, it, frontier.StatusFailed)
			return out
		}
		page.Doc, page.Charset = doc, cs
		if err := c.discover(ctx, page); err != nil {
			out.err = err
			return out
		}
	}
	isArticle := it.Kind == frontier.KindArticle || c.classify(final, frontier.KindListing) == frontier.KindArticle
	if !isArticle {
		c.stats.add(func(s *Stats) { s.Listings++ })
		out.err = c.done(ctx, it, frontier.StatusDone)
		return out
	}
	if !page.Gone {
		c.stats.add(func(s *Stats) { s.Articles++ })
	}
	if err := c.handle(ctx, page); err != nil {
		if ctx.Err() != nil {
			// The run is ending: leave the item queued for the next run.
			return out
		}
		kind := failure.Handler
		if page.Gone && errors.Is(err, ErrUnknownPage) {
			kind = goneKind // never archived: a plain failure, retried next run
		} else {
			c.log.Warn("page not stored", "url", it.URL, "err", err)
		}
		c.stats.fail(kind, it.URL)
		out.err = c.done(ctx, it, frontier.StatusFailed)
		return out
	}
	if page.Gone {
		c.stats.add(func(s *Stats) { s.Gone++ })
	}
	out.err = c.done(ctx, it, frontier.StatusDone)
	return out
}

// inScope reports whether u may be fetched: an allowed host (SPEC.md:
// "www." and a port do not make another site) on a port of the start URLs
// or a default one. Another port on an allowed host is another server
// (a second listener on loopback): off scope.
func (c *Crawler) inScope(u *url.URL) bool {
	return canon.SameSite(u.Host, c.opts.AllowedDomains) && c.ports[effectivePort(u)]
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
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

func (c *Crawler) failOrRetry(ctx context.Context, out outcome, kind failure.Kind, retry bool, wait time.Duration, err error) outcome {
	if retry && out.attempt < c.opts.Retries {
		d := c.backoff(out.attempt)
		if wait > d {
			d = wait
		}
		if wait > 0 {
			out.hostHold = wait
		}
		out.retryIn = d
		c.stats.add(func(s *Stats) { s.Retried[kind]++ })
		c.log.Debug("retrying", "url", out.it.URL, "kind", kind, "attempt", out.attempt+1, "in", d, "err", err)
		return out
	}
	if ctx.Err() != nil {
		return out // leave it queued: the run is being stopped
	}
	c.log.Warn("page failed", "url", out.it.URL, "kind", kind, "attempts", out.attempt+1, "err", err)
	c.stats.fail(kind, out.it.URL)
	out.err = c.done(ctx, out.it, frontier.StatusFailed)
	return out
}

func (c *Crawler) done(ctx context.Context, it frontier.Item, st frontier.Status) error {
	if err := c.fr.Done(ctx, it, st); err != nil {
		return fmt.Errorf("frontier done %s: %w", it.URL, err)
	}
	return nil
}

// fetchFailed books an attempt whose fetch failed with err: a redirect
// the crawler does not follow (robots.txt, another domain) skips the page;
// a failure is retried or not by its kind (a *FetchError's, set where it
// happened); the run being stopped leaves the item queued.
func (c *Crawler) fetchFailed(ctx context.Context, out outcome, host string, err error) outcome {
	switch {
	case errors.Is(err, errRobotsBlocked):
		c.stats.add(func(s *Stats) { s.Robots++ })
		out.err = c.done(ctx, out.it, frontier.StatusSkip)
		return out
	case errors.Is(err, errForbiddenDomain):
		c.stats.add(func(s *Stats) { s.OffScope++ })
		out.err = c.done(ctx, out.it, frontier.StatusSkip)
		return out
	case ctx.Err() != nil:
		return out
	}
	kind := failure.Network
	if fe := (*FetchError)(nil); errors.As(err, &fe) {
		kind = fe.Kind
	}
	if kind.Retryable() {
		c.pace.trouble(host)
	}
	return c.failOrRetry(ctx, out, kind, kind.Retryable(), 0, err)
}

// retryAfter reads a Retry-After header (seconds or HTTP-date).
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func isHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "html") || strings.Contains(ct, "xml") {
		return true
	}
	if ct == "" || strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "application/octet-stream") {
		return strings.Contains(strings.ToLower(http.DetectContentType(body)), "html")
	}
	return false
}
