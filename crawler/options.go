package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/parc-archiver/parc/frontier"
)

// Options configures a Crawler. Start from DefaultOptions: a zero value
// means what its field says (for most, "none"), never "the default".
// New rejects a value that means nothing: negative counts and durations,
// no start URL, an empty UserAgent, Parallelism, MaxLinksPerPage or
// MaxNewURLsPerRun below 1, a Timeout or MaxBodyBytes that is not
// positive.
type Options struct {
	// StartURLs are the pages the crawl starts from; at least one.
	StartURLs []string
	// AllowedDomains are the host names in scope; empty means the start
	// URLs' hosts.
	AllowedDomains []string
	// ArticleURL matches the absolute URLs of article pages; nil: none
	// (every page is a listing).
	ArticleURL *regexp.Regexp
	// ListingURL matches the absolute URLs followed for links; nil: every
	// in-scope page that is not an article.
	ListingURL *regexp.Regexp
	// UserAgent is sent with every request and picks the robots.txt
	// group; it must not be empty. Default "parc".
	UserAgent string
	// Delay is the least time between the starts of two requests to one
	// host; 0: none. Default 1s.
	Delay time.Duration
	// Parallelism is the number of requests in flight; at least 1.
	// Default 2.
	Parallelism int
	// Timeout bounds each request, its body read included; positive.
	// Default 30s.
	Timeout time.Duration
	// Retries is the number of attempts after the first for a failure that
	// may pass (failure.Kind.Retryable); 0: none. Default 3.
	Retries int
	// MaxRedirects is the number of redirects followed for one page; 0:
	// none (a redirect fails the page as failure.Redirect). Default 10.
	MaxRedirects int
	// RespectRobots obeys robots.txt (rules and Crawl-delay); false
	// ignores it. Default true.
	RespectRobots bool
	// MaxPages stops the crawl after this many pages; 0: no limit.
	MaxPages int
	// MaxBodyBytes is the largest body kept; a larger page fails as
	// failure.TooLarge. Positive. Default 10 MiB.
	MaxBodyBytes int64
	// MaxLinksPerPage is how many links (<a> and <area> elements with an
	// href, in document order) of one page are looked at; the rest are
	// counted (Stats.LinksOverPageLimit), neither resolved nor queued. At
	// least 1. Default 10 000.
	MaxLinksPerPage int
	// MaxNewURLsPerRun is how many entries the run may add to the
	// frontier, start URLs included; links to URLs it would queue after
	// that are counted (Stats.URLsOverRunLimit) and not queued. At least
	// 1. Default 1 000 000.
	MaxNewURLsPerRun int
	// Incremental follows a listing page's pagination links only when the
	// page showed an article not archived yet (docs/CONTRACT.md, Archive behaviour).
	Incremental bool
	// BackoffBase is the first retry's delay, doubled per attempt with
	// jitter and capped at BackoffMax; a Retry-After longer than the
	// backoff wins. 0 (either): retries do not wait. Defaults 1s and 1m.
	BackoffBase, BackoffMax time.Duration
	// MaxCrawlDelay caps robots.txt's Crawl-delay; 0 ignores Crawl-delay.
	// The gap between requests to a host is the longer of Delay and the
	// (capped) Crawl-delay, plus the slow-down. Default 30s.
	MaxCrawlDelay time.Duration
	// SlowdownStep and SlowdownMax drive the per-host adaptive slow-down:
	// each 5xx, 429, timeout, truncated body or network error doubles the
	// host's extra gap, starting at SlowdownStep and capped at
	// SlowdownMax; each success halves it. 0 (either): no slow-down.
	// Defaults 250ms (BackoffBase/4) and 1m (BackoffMax).
	SlowdownStep, SlowdownMax time.Duration
	// Logger receives the crawl's log; nil discards it.
	Logger *slog.Logger
	// Answered, when set, is called with every answer received (any
	// status, any kind of page, before it is judged) and its exchanges as
	// they went over the wire, oldest hop first; body is the last hop's
	// decoded body. For raw captures of every response
	// (archive.keep_raw: all). It must not keep hops or body.
	Answered func(ctx context.Context, it frontier.Item, hops []*Exchange, body []byte, at time.Time)
	// Clock drives pacing, backoff and Retry-After; nil means the real
	// clock.
	Clock Clock
	// Pace is the politeness shared with other crawlers of the process
	// (one per portal): crawlers with one Pace pace an origin they share
	// as one (see Pace); nil: this crawler's own.
	Pace *Pace
	// Claimed, when set, reports URLs in scope that another portal owns
	// (a URL in scope of several portals belongs to the first listed):
	// they are skipped as off scope, neither fetched nor queued.
	Claimed func(u *url.URL) bool
	// Transport replaces the HTTP transport (tests); nil builds one that
	// keeps Parallelism+1 connections per host alive.
	Transport http.RoundTripper
}

// DefaultOptions returns the documented defaults: those of the crawl
// section of config.yaml and the README (the user agent aside: parc's
// configuration names its version), and of the slow-down, which has no
// key of its own. Set StartURLs and the patterns, and change what else
// the crawl needs.
func DefaultOptions() Options {
	return Options{
		UserAgent:        "parc",
		Delay:            time.Second,
		Parallelism:      2,
		Timeout:          30 * time.Second,
		Retries:          3,
		MaxRedirects:     10,
		RespectRobots:    true,
		MaxBodyBytes:     10 << 20,
		MaxLinksPerPage:  10_000,
		MaxNewURLsPerRun: 1_000_000,
		BackoffBase:      time.Second,
		BackoffMax:       time.Minute,
		MaxCrawlDelay:    30 * time.Second,
		SlowdownStep:     250 * time.Millisecond,
		SlowdownMax:      time.Minute,
	}
}

// check reports the first value of o that means nothing.
func (o *Options) check() error {
	switch {
	case len(o.StartURLs) == 0:
		return errors.New("no start urls")
	case o.UserAgent == "":
		return errors.New("empty user agent")
	case o.Parallelism < 1:
		return fmt.Errorf("parallelism %d: must be at least 1", o.Parallelism)
	case o.Timeout <= 0:
		return fmt.Errorf("timeout %v: must be positive", o.Timeout)
	case o.MaxBodyBytes <= 0:
		return fmt.Errorf("max body bytes %d: must be positive", o.MaxBodyBytes)
	case o.Retries < 0:
		return fmt.Errorf("retries %d: must not be negative", o.Retries)
	case o.MaxRedirects < 0:
		return fmt.Errorf("max redirects %d: must not be negative", o.MaxRedirects)
	case o.MaxPages < 0:
		return fmt.Errorf("max pages %d: must not be negative", o.MaxPages)
	case o.MaxLinksPerPage < 1:
		return fmt.Errorf("max links per page %d: must be at least 1", o.MaxLinksPerPage)
	case o.MaxNewURLsPerRun < 1:
		return fmt.Errorf("max new urls per run %d: must be at least 1", o.MaxNewURLsPerRun)
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{
		{"delay", o.Delay}, {"backoff base", o.BackoffBase}, {"backoff max", o.BackoffMax},
		{"max crawl delay", o.MaxCrawlDelay}, {"slowdown step", o.SlowdownStep}, {"slowdown max", o.SlowdownMax},
	} {
		if d.d < 0 {
			return fmt.Errorf("%s %v: must not be negative", d.name, d.d)
		}
	}
	return nil
}
