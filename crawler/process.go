package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// outcome is how one attempt at an item ended, for dispatch: reported to
// the frontier already, or to be retried.
type outcome struct {
	it       frontier.Item
	attempt  int
	retry    bool // retry after retryIn
	retryIn  time.Duration
	hostHold time.Duration // > 0: hold the whole host this long
	err      error         // fatal (frontier) error
	status   int           // the last answer's HTTP status; 0: none
	cause    error         // why the last attempt failed, when known
	failed   bool          // the item failed (counted in Stats.Failures)
	// retried: the kinds of this item's attempts that failed and were
	// retried, this one's included when retry is set.
	retried []failure.Kind
}

// process fetches one item once and decides: done, failed, or retry.
// Each step either settles the attempt or hands on to the next: the URL
// and scope, robots.txt, the host's pace, the fetch, the answer's status,
// the body's size, parsing and link discovery, the Handler.
func (c *Crawler) process(ctx context.Context, it frontier.Item, attempt int) (out outcome) {
	out = outcome{it: it, attempt: attempt}
	defer func() {
		if p := recover(); p != nil {
			out = c.panicked(ctx, it, attempt, p)
		}
	}()
	u, ok := fetchable(it.URL)
	switch {
	case !ok:
		return c.fail(ctx, out, failure.BadURL, frontier.StatusSkip)
	case !c.inScope(u):
		c.stats.add(func(s *Stats) { s.OffScope++ })
		return c.finish(ctx, out, frontier.StatusSkip)
	}
	if c.opts.RespectRobots {
		if out, proceed := c.obeyRobots(ctx, out, u); !proceed {
			return out
		}
	}
	origin := originOf(u)
	release, ok := c.pace.acquire(ctx, origin)
	if !ok {
		return out // leave it queued: the run is being stopped
	}
	if !c.awaitTurn(ctx, origin) {
		release()
		return out
	}
	fetchedAt := c.clock.Now()
	resp, err := c.fetch(ctx, u, requestHeader(it, c.opts.UserAgent))
	release()
	if attempt > 0 {
		c.stats.add(func(s *Stats) { s.Retries++ })
	}
	if err != nil {
		return c.fetchFailed(ctx, out, origin, err)
	}
	return c.answered(ctx, out, origin, resp, fetchedAt)
}

// panicked books an attempt whose processing panicked (a bug): logged
// with its stack, counted as failure.Panic, kept for the next run.
func (c *Crawler) panicked(ctx context.Context, it frontier.Item, attempt int, p any) outcome {
	c.log.Error("panic while processing a page", "url", it.URL, "panic", p, "stack", string(debug.Stack()))
	c.stats.fail(FailedURL{URL: it.URL, Kind: failure.Panic, Attempts: attempt + 1})
	return outcome{it: it, attempt: attempt, failed: true, err: c.done(ctx, it, frontier.StatusFailed)}
}

// fetchable parses a queued URL; ok is false unless it is an absolute
// http(s) URL.
func fetchable(raw string) (u *url.URL, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, false
	}
	return u, true
}

// obeyRobots applies the robots.txt of u's host: its Crawl-delay to the
// host's pace, its rules to u. proceed is false when the attempt ends
// here: u is disallowed (a skip), robots.txt cannot be read (the page
// fails or is retried), or the run is being stopped.
func (c *Crawler) obeyRobots(ctx context.Context, out outcome, u *url.URL) (_ outcome, proceed bool) {
	rb, err := c.robots.get(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return out, false // leave it queued: the run is being stopped
		}
		var wait time.Duration
		if rb != nil {
			wait = rb.wait
		}
		c.pace.trouble(originOf(u))
		fe := &FetchError{URL: out.it.URL, Kind: failure.RobotsTxt, Err: err}
		return c.failOrRetry(ctx, out, fe.Kind, wait, fe), false
	}
	if applied := c.pace.setCrawlDelay(originOf(u), rb.delay); applied < rb.delay {
		c.log.Debug("crawl-delay capped", "host", u.Host, "crawl_delay", rb.delay, "applied", applied)
	}
	if !rb.allows(u) {
		c.stats.add(func(s *Stats) { s.Robots++ })
		return c.finish(ctx, out, frontier.StatusSkip), false
	}
	return out, true
}

// awaitTurn waits until the pacer lets the next request to origin start;
// false when ctx ended first.
func (c *Crawler) awaitTurn(ctx context.Context, origin string) bool {
	wait := c.pace.reserve(origin, c.clock.Now())
	if wait <= 0 {
		return true
	}
	select {
	case <-c.clock.After(wait):
		return true
	case <-ctx.Done():
		return false
	}
}

// requestHeader is the header of a request for it: conditional when the
// frontier gave validators.
func requestHeader(it frontier.Item, userAgent string) http.Header {
	hdr := http.Header{}
	if it.ETag != "" {
		hdr.Set("If-None-Match", it.ETag)
	}
	if it.LastModified != "" {
		hdr.Set("If-Modified-Since", it.LastModified)
	}
	hdr.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	hdr.Set("User-Agent", userAgent)
	return hdr
}

// fetchFailed books an attempt whose fetch failed with err: a redirect
// the crawler does not follow (robots.txt, another domain) skips the page;
// a failure is retried or not by its kind (a *FetchError's, set where it
// happened); the run being stopped leaves the item queued.
func (c *Crawler) fetchFailed(ctx context.Context, out outcome, origin string, err error) outcome {
	switch {
	case errors.Is(err, errRobotsBlocked):
		c.stats.add(func(s *Stats) { s.Robots++ })
		return c.finish(ctx, out, frontier.StatusSkip)
	case errors.Is(err, errForbiddenDomain):
		c.stats.add(func(s *Stats) { s.OffScope++ })
		return c.finish(ctx, out, frontier.StatusSkip)
	case ctx.Err() != nil:
		return out // leave it queued: the run is being stopped
	}
	kind := failure.Network
	if fe := (*FetchError)(nil); errors.As(err, &fe) {
		kind = fe.Kind
	}
	if kind.Retryable() {
		c.pace.trouble(origin)
	}
	return c.failOrRetry(ctx, out, kind, 0, err)
}

// answered books a response. A failure status fails or retries the page;
// an oversized body fails it; anything else becomes a Page, parsed and
// searched for links when it is HTML, and handed over.
func (c *Crawler) answered(ctx context.Context, out outcome, origin string, resp *response, fetchedAt time.Time) outcome {
	c.stats.add(func(s *Stats) { s.Pages++ })
	out.status = resp.status
	if c.opts.Answered != nil && len(resp.hops) > 0 {
		c.opts.Answered(ctx, out.it, resp.hops, resp.body, fetchedAt)
	}
	c.paceAnswer(origin, resp.status)
	if kind := statusFailure(resp.status, out.it.Kind); kind != "" {
		return c.statusFailed(ctx, out, resp, kind)
	}
	if resp.status == http.StatusNotModified {
		c.stats.add(func(s *Stats) { s.NotModified++ })
	}
	if int64(len(resp.body)) > c.opts.MaxBodyBytes {
		return c.fail(ctx, out, failure.TooLarge, frontier.StatusFailed)
	}
	final, _ := canon.Clean(nil, resp.url.String())
	page := c.newPage(out.it, resp, final, fetchedAt)
	if is2xx(page.Status) && !page.Gone && isHTML(page.Header.Get("Content-Type"), page.Body) {
		if out, proceed := c.readPage(ctx, out, page); !proceed {
			return out
		}
	}
	return c.handOver(ctx, out, page, final)
}

// paceAnswer tells the origin's pacer what an answer says of its load: a
// 5xx or 429 is trouble; a success, 304, 404 or 410 an answer in good
// order; other statuses say nothing.
func (c *Crawler) paceAnswer(origin string, status int) {
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		c.pace.trouble(origin)
	case status < 300, status == http.StatusNotModified, status == http.StatusNotFound, status == http.StatusGone:
		c.pace.ok(origin)
	}
}

// statusFailure is the failure an answer's status makes of a page of
// kind k, or "" when the page is handed over: a 2xx, a 304, and a 404 or
// 410 from an article (a gone article).
func statusFailure(status int, k frontier.Kind) failure.Kind {
	switch {
	case status == http.StatusTooManyRequests:
		return failure.HTTP429
	case status >= 500:
		return failure.HTTP5xx
	case status == http.StatusNotModified:
		return ""
	case status == http.StatusNotFound || status == http.StatusGone:
		if k == frontier.KindArticle {
			return ""
		}
		return failure.HTTP4xx
	case status >= 400:
		return failure.HTTP4xx
	case status >= 300:
		return failure.Redirect // a redirect the client did not follow (no Location)
	}
	return ""
}

// statusFailed books an answer whose status is a failure of kind: retried
// when the kind may pass (after Retry-After, if longer than the backoff),
// else reported done: a client error does not change by asking again.
func (c *Crawler) statusFailed(ctx context.Context, out outcome, resp *response, kind failure.Kind) outcome {
	if kind.Retryable() {
		fe := &FetchError{URL: out.it.URL, Status: resp.status, Kind: kind}
		return c.failOrRetry(ctx, out, kind, retryAfter(resp.header, c.clock.Now()), fe)
	}
	return c.fail(ctx, out, kind, frontier.StatusDone)
}

func is2xx(status int) bool { return status >= 200 && status < 300 }

// newPage builds the Page of an answer whose final URL, cleaned, is
// final. An article is gone when it answered 404 or 410, or when it was
// redirected to the home page.
func (c *Crawler) newPage(it frontier.Item, resp *response, final string, fetchedAt time.Time) *Page {
	p := &Page{
		Item: it, URL: resp.url, Status: resp.status, Header: resp.header, Body: resp.body,
		Request: resp.reqHeader, FetchedAt: fetchedAt, Exchanges: resp.hops,
	}
	if it.Kind == frontier.KindArticle {
		p.Gone = p.Status == http.StatusNotFound || p.Status == http.StatusGone ||
			is2xx(p.Status) && final != it.URL && c.isHome(p.URL)
	}
	return p
}

// goneKind is the failure a gone page counts as when its article was
// never archived: a redirect (to the home page) or a client error.
func goneKind(p *Page) failure.Kind {
	if is2xx(p.Status) {
		return failure.Redirect
	}
	return failure.HTTP4xx
}

// readPage parses an HTML page once and queues its links. proceed is
// false when the attempt ends here: the page cannot be parsed (it fails),
// or its links could not be queued (a frontier error).
func (c *Crawler) readPage(ctx context.Context, out outcome, page *Page) (_ outcome, proceed bool) {
	doc, cs, cut, err := htmldoc.ParseCut(page.Body, page.Header.Get("Content-Type"))
	if err != nil {
		return c.fail(ctx, out, failure.Parse, frontier.StatusFailed), false
	}
	page.Doc, page.Charset = doc, cs
	if cut {
		c.stats.add(func(s *Stats) { s.PagesCut++ })
	}
	if err := c.discover(ctx, page); err != nil {
		out.err = err
		return out, false
	}
	return out, true
}

// handOver ends the attempt at a fetched page whose final URL, cleaned,
// is final: a listing is done; an article (queued as one, or redirected
// to one) goes to the Handler, and is done when the Handler took it.
func (c *Crawler) handOver(ctx context.Context, out outcome, page *Page, final string) outcome {
	if page.Item.Kind != frontier.KindArticle && c.classify(final, frontier.KindListing) != frontier.KindArticle {
		c.stats.add(func(s *Stats) { s.Listings++ })
		return c.finish(ctx, out, frontier.StatusDone)
	}
	if !page.Gone {
		c.stats.add(func(s *Stats) { s.Articles++ })
	}
	if err := c.handle(ctx, page); err != nil {
		return c.handlerFailed(ctx, out, page, err)
	}
	if page.Gone {
		c.stats.add(func(s *Stats) { s.Gone++ })
	}
	return c.finish(ctx, out, frontier.StatusDone)
}

// handlerFailed books an article the Handler refused with err: a gone
// page never archived (ErrUnknownPage) is a plain failure of its kind,
// anything else a failure.Handler; either is kept for the next run. An
// error because the run is ending leaves the item queued.
func (c *Crawler) handlerFailed(ctx context.Context, out outcome, page *Page, err error) outcome {
	if ctx.Err() != nil {
		return out
	}
	kind := failure.Handler
	if page.Gone && errors.Is(err, ErrUnknownPage) {
		kind = goneKind(page)
	}
	out.cause = err
	return c.fail(ctx, out, kind, frontier.StatusFailed)
}

// failOrRetry books a failure of kind, caused by err: retried after the
// backoff (or wait, the server's Retry-After, when longer; wait also holds
// the whole host) while the kind may pass and retries are left, else
// counted and reported failed, for the next run.
func (c *Crawler) failOrRetry(ctx context.Context, out outcome, kind failure.Kind, wait time.Duration, err error) outcome {
	if wait > c.opts.MaxCrawlDelay {
		// Not waited for: the page is deferred to the next run (a counted
		// failure) and the host's other pages go on, instead of one
		// answer holding the host, the run and the archive's lock.
		out.cause = fmt.Errorf("deferred to the next run: Retry-After %v is longer than crawl.max_crawl_delay %v: %w", wait, c.opts.MaxCrawlDelay, err)
		return c.fail(ctx, out, kind, frontier.StatusFailed)
	}
	if kind.Retryable() && out.attempt < c.opts.Retries {
		d := max(c.backoff(out.attempt), wait)
		if wait > 0 {
			out.hostHold = wait
		}
		out.retry, out.retryIn = true, d
		out.retried = append(out.retried, kind)
		c.stats.add(func(s *Stats) { s.Retried[kind]++ })
		c.log.Debug("retrying", "url", out.it.URL, "kind", kind, "attempt", out.attempt+1, "in", d, "err", err)
		return out
	}
	if ctx.Err() != nil {
		return out // leave it queued: the run is being stopped
	}
	out.cause = err
	return c.fail(ctx, out, kind, frontier.StatusFailed)
}

// fail counts the page as failed by kind, logs it and reports st to the
// frontier, with how it failed (parc stats --failed).
func (c *Crawler) fail(ctx context.Context, out outcome, kind failure.Kind, st frontier.Status) outcome {
	f := FailedURL{URL: out.it.URL, Kind: kind, Status: out.status, Attempts: out.attempt + 1}
	c.stats.fail(f)
	attrs := []any{"url", f.URL, "kind", kind, "status", f.Status, "attempts", f.Attempts}
	if out.cause != nil {
		attrs = append(attrs, "err", out.cause)
	}
	c.log.Warn("page failed", attrs...)
	out.failed = true
	out.it.Failed = &frontier.Failure{Kind: string(kind), Status: f.Status, Attempts: f.Attempts}
	return c.finish(ctx, out, st)
}

// finish reports st, the item's final state in this run, to the frontier.
func (c *Crawler) finish(ctx context.Context, out outcome, st frontier.Status) outcome {
	out.err = c.done(ctx, out.it, st)
	return out
}

func (c *Crawler) done(ctx context.Context, it frontier.Item, st frontier.Status) error {
	if err := c.fr.Done(ctx, it, st); err != nil {
		return fmt.Errorf("frontier done %s: %w", it.URL, err)
	}
	return nil
}

// maxRetryAfter bounds what retryAfter returns, so that no arithmetic on
// it overflows: far longer than any crawl.max_crawl_delay.
const maxRetryAfter = 100 * 365 * 24 * time.Hour

// retryAfter reads a Retry-After header (seconds or HTTP-date), at most
// maxRetryAfter.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || secs > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if t.After(now.Add(maxRetryAfter)) {
			return maxRetryAfter
		}
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
