package crawler

import (
	"sync"
	"time"
)

// pacer spaces the starts of requests to one host. The gap is the
// configured delay or robots.txt's Crawl-delay (capped), whichever is
// longer, plus an adaptive penalty: every 5xx, 429, timeout, truncated body
// or network error doubles the host's penalty (from slowStep, up to
// slowMax); every success halves it, and below slowStep it is dropped.
type pacer struct {
	delay    time.Duration // configured delay between requests
	maxCrawl time.Duration // cap on Crawl-delay; 0 ignores Crawl-delay
	slowStep time.Duration
	slowMax  time.Duration

	mu    sync.Mutex
	hosts map[string]*hostPace
}

type hostPace struct {
	next    time.Time     // earliest start of the next request
	crawl   time.Duration // Crawl-delay (capped)
	penalty time.Duration
}

func newPacer(delay, maxCrawl, slowStep, slowMax time.Duration) *pacer {
	return &pacer{delay: delay, maxCrawl: maxCrawl, slowStep: slowStep, slowMax: slowMax, hosts: map[string]*hostPace{}}
}

func (p *pacer) host(h string) *hostPace {
	hp := p.hosts[h]
	if hp == nil {
		hp = &hostPace{}
		p.hosts[h] = hp
	}
	return hp
}

// setCrawlDelay records robots.txt's Crawl-delay for host; it returns the
// delay applied (capped).
func (p *pacer) setCrawlDelay(host string, d time.Duration) time.Duration {
	d = min(max(d, 0), p.maxCrawl) // a cap of 0 ignores Crawl-delay
	p.mu.Lock()
	p.host(host).crawl = d
	p.mu.Unlock()
	return d
}

// gap is the current spacing of requests to host.
func (p *pacer) gap(host string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gapLocked(p.host(host))
}

func (p *pacer) gapLocked(hp *hostPace) time.Duration {
	return max(p.delay, hp.crawl) + hp.penalty
}

// reserve books the next start for host and returns how long the caller
// must wait for it.
func (p *pacer) reserve(host string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	hp := p.host(host)
	start := now
	if hp.next.After(start) {
		start = hp.next
	}
	hp.next = start.Add(p.gapLocked(hp))
	return start.Sub(now)
}

// trouble doubles host's penalty after a sign of overload.
func (p *pacer) trouble(host string) {
	if p.slowMax <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	hp := p.host(host)
	hp.penalty = min(max(2*hp.penalty, p.slowStep), p.slowMax)
}

// ok halves host's penalty after a success.
func (p *pacer) ok(host string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	hp := p.host(host)
	if hp.penalty /= 2; hp.penalty < p.slowStep {
		hp.penalty = 0
	}
}
