package crawler

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/parc-archiver/parc/internal/canon"
)

// Pace is the politeness of one process toward the origins it crawls:
// for each origin (scheme, host and port), when the next request may
// start and how many may be in flight. The crawlers of several portals
// given one Pace (Options.Pace) share it for the origins they have in
// common, so portals on one origin are paced as one crawl would be: the
// longest Delay and Crawl-delay of theirs, one adaptive slow-down, and
// the Parallelism of the first crawler to reach the origin. Origins
// apart never wait for each other. It is safe for concurrent use.
type Pace struct {
	mu      sync.Mutex
	origins map[string]*originPace
}

// NewPace returns a Pace that knows no origin yet.
func NewPace() *Pace { return &Pace{origins: map[string]*originPace{}} }

type originPace struct {
	next    time.Time     // earliest start of the next request
	delay   time.Duration // the longest Delay of the crawlers using it
	crawl   time.Duration // Crawl-delay (capped)
	penalty time.Duration
	slots   chan struct{} // requests in flight
}

// origin is the pace of o, made with parallelism slots when new; under
// p.mu.
func (p *Pace) origin(o string, parallelism int) *originPace {
	op := p.origins[o]
	if op == nil {
		op = &originPace{slots: make(chan struct{}, max(parallelism, 1))}
		p.origins[o] = op
	}
	return op
}

// originOf is u's origin: scheme and host in lower case, with the port
// the scheme implies when none is given.
func originOf(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + canon.EffectivePort(u)
}

// pacer is one crawler's view of a Pace: its own settings over the
// shared per-origin state. The gap between two request starts to an
// origin is the configured delay or robots.txt's Crawl-delay (capped),
// whichever is longer, plus an adaptive penalty: every 5xx, 429, timeout,
// truncated body or network error doubles the origin's penalty (from
// slowStep, up to slowMax); every success halves it, and below slowStep
// it is dropped.
type pacer struct {
	delay       time.Duration // configured delay between requests
	maxCrawl    time.Duration // cap on Crawl-delay; 0 ignores Crawl-delay
	slowStep    time.Duration
	slowMax     time.Duration
	parallelism int
	shared      *Pace
}

func newPacer(delay, maxCrawl, slowStep, slowMax time.Duration) *pacer {
	return &pacer{delay: delay, maxCrawl: maxCrawl, slowStep: slowStep, slowMax: slowMax, parallelism: 1, shared: NewPace()}
}

// at is origin o's pace with this crawler's delay counted in; under
// p.shared.mu.
func (p *pacer) at(o string) *originPace {
	op := p.shared.origin(o, p.parallelism)
	op.delay = max(op.delay, p.delay)
	return op
}

// setCrawlDelay records robots.txt's Crawl-delay for origin o; it
// returns the delay applied (capped).
func (p *pacer) setCrawlDelay(o string, d time.Duration) time.Duration {
	d = min(max(d, 0), p.maxCrawl) // a cap of 0 ignores Crawl-delay
	p.shared.mu.Lock()
	op := p.at(o)
	op.crawl = max(op.crawl, d)
	p.shared.mu.Unlock()
	return d
}

// gap is the current spacing of requests to origin o.
func (p *pacer) gap(o string) time.Duration {
	p.shared.mu.Lock()
	defer p.shared.mu.Unlock()
	return gapOf(p.at(o))
}

func gapOf(op *originPace) time.Duration {
	return max(op.delay, op.crawl) + op.penalty
}

// reserve books the next start for origin o and returns how long the
// caller must wait for it.
func (p *pacer) reserve(o string, now time.Time) time.Duration {
	p.shared.mu.Lock()
	defer p.shared.mu.Unlock()
	op := p.at(o)
	start := now
	if op.next.After(start) {
		start = op.next
	}
	op.next = start.Add(gapOf(op))
	return start.Sub(now)
}

// acquire takes one of origin o's slots for a request in flight, waiting
// for one while ctx lasts; release gives it back.
func (p *pacer) acquire(ctx context.Context, o string) (release func(), ok bool) {
	p.shared.mu.Lock()
	slots := p.at(o).slots
	p.shared.mu.Unlock()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, true
	case <-ctx.Done():
		return nil, false
	}
}

// trouble doubles origin o's penalty after a sign of overload.
func (p *pacer) trouble(o string) {
	if p.slowMax <= 0 {
		return
	}
	p.shared.mu.Lock()
	defer p.shared.mu.Unlock()
	op := p.at(o)
	op.penalty = min(max(2*op.penalty, p.slowStep), p.slowMax)
}

// ok halves origin o's penalty after a success.
func (p *pacer) ok(o string) {
	p.shared.mu.Lock()
	defer p.shared.mu.Unlock()
	op := p.at(o)
	if op.penalty /= 2; op.penalty < p.slowStep {
		op.penalty = 0
	}
}
