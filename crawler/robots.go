package crawler

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/parc-archiver/parc/frontier"
)

// robots fetches and caches robots.txt per scheme and host. colly's own
// check is not used: it does not see redirect targets, gives no
// Crawl-delay, and caches a 5xx answer as "disallow everything" for the
// whole run.
type robots struct {
	client *http.Client
	ua     string
	clock  Clock

	mu sync.Mutex
	m  map[string]*robotsEntry // scheme://host → entry

	// tap and answered capture the robots.txt answers (wiretap.go).
	tap      *wireTap
	answered func(context.Context, frontier.Item, []*Exchange, []byte, time.Time)
}

// robotsEntry is one host's rules. ready is closed once the fetch ended;
// a transient failure (err) is not kept: the next caller fetches again.
type robotsEntry struct {
	ready  chan struct{}
	exact  *robotstxt.Group // rules as written
	folded *robotstxt.Group // rules and paths lower-cased (IIS portals ignore case)
	delay  time.Duration    // Crawl-delay for our user agent
	err    error
	wait   time.Duration // Retry-After of a 429/503 robots.txt
}

// errRobotsUnavailable is a transient robots.txt failure (network, 5xx,
// 429): the page waits, since its rules are unknown.
var errRobotsUnavailable = errors.New("robots.txt unavailable")

const maxRobotsBytes = 512 << 10

func newRobots(tr http.RoundTripper, timeout time.Duration, ua string, inScope func(*url.URL) bool, clock Clock) *robots {
	r := &robots{ua: ua, clock: clock, m: map[string]*robotsEntry{}}
	r.client = &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 || !inScope(req.URL) {
				return http.ErrUseLastResponse // a 3xx robots.txt: no rules
			}
			return nil
		},
	}
	return r
}

// get returns the rules of u's host, fetching them once per run.
func (r *robots) get(ctx context.Context, u *url.URL) (*robotsEntry, error) {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	r.mu.Lock()
	e, ok := r.m[key]
	if !ok {
		e = &robotsEntry{ready: make(chan struct{})}
		r.m[key] = e
	}
	r.mu.Unlock()
	if !ok {
		r.fetch(ctx, u, e)
		if e.err != nil {
			r.mu.Lock()
			delete(r.m, key)
			r.mu.Unlock()
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil {
		return e, e.err
	}
	return e, nil
}

func (r *robots) fetch(ctx context.Context, u *url.URL, e *robotsEntry) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+"/robots.txt", nil)
	if err != nil {
		e.err = fmt.Errorf("robots.txt of %s: %w", u.Host, err)
		return
	}
	req.Header.Set("User-Agent", r.ua)
	var body []byte
	captured := r.tapRequest(req)
	defer func() { captured(ctx, body) }()
	resp, err := r.client.Do(req)
	if err != nil {
		e.err = fmt.Errorf("robots.txt of %s: %w: %w", u.Host, errRobotsUnavailable, err)
		return
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		e.wait = retryAfter(resp.Header, r.clock.Now())
		e.err = fmt.Errorf("robots.txt of %s: %w: status %d", u.Host, errRobotsUnavailable, resp.StatusCode)
		return
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		return // 3xx, 4xx: no rules (RFC 9309 2.3.1.3)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil {
		e.err = fmt.Errorf("robots.txt of %s: %w: %w", u.Host, errRobotsUnavailable, err)
		return
	}
	rules := robotsLines(body)
	if d, err := robotstxt.FromBytes(rules); err == nil {
		e.exact = d.FindGroup(r.ua)
		e.delay = e.exact.CrawlDelay
	}
	if d, err := robotstxt.FromBytes(bytes.ToLower(rules)); err == nil {
		e.folded = d.FindGroup(strings.ToLower(r.ua))
	}
}

// robotsLines keeps the lines robots.txt parsers understand, so that one
// garbled line (or an HTML page served as robots.txt) does not void the
// rules around it.
func robotsLines(body []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), maxRobotsBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "user-agent", "allow", "disallow", "crawl-delay", "sitemap":
			out.WriteString(strings.TrimSpace(k) + ": " + strings.TrimSpace(v) + "\n")
		}
	}
	return out.Bytes()
}

// allows reports whether u may be fetched: neither the rules as written
// nor their lower-cased form disallow its path.
func (e *robotsEntry) allows(u *url.URL) bool {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if e.exact != nil && !e.exact.Test(p) {
		return false
	}
	if e.folded != nil && !e.folded.Test(strings.ToLower(p)) {
		return false
	}
	return true
}
