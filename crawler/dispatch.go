package crawler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

// job is one attempt at an item, handed to a worker.
type job struct {
	it      frontier.Item
	attempt int
	// retried holds the kinds of the item's earlier attempts that failed
	// and were retried; counted as recovered if this attempt succeeds.
	retried []failure.Kind
}

// pending is an attempt waiting for its time: a retry after its backoff,
// or an item whose host is held.
type pending struct {
	job
	due time.Time
}

// schedule is dispatch's book of the attempts in flight and waiting.
type schedule struct {
	jobs    chan job
	results chan outcome
	wg      sync.WaitGroup

	workers  int
	maxPages int       // first attempts to start at most; 0: no limit
	active   int       // attempts handed to workers, their outcome not read yet
	waiting  []pending // retries and held hosts; small: bounded by failing URLs in flight
	started  int       // first attempts started
	// drained says the frontier had nothing to give while attempts were
	// in flight or waiting: it is asked again once an outcome arrives.
	drained bool
}

// move is what dispatch does after picking.
type move uint8

const (
	moveWait  move = iota // nothing to start now: wait for an outcome or the next due time
	moveStart             // start the job picked
	moveAgain             // the frontier's item went to wait for its host: pick again
	moveEnd               // nothing queued, in flight or waiting: the crawl is over
)

// dispatch hands frontier items to Parallelism workers, schedules retries
// and ends when nothing is queued, in flight or waiting for a retry.
func (c *Crawler) dispatch(ctx context.Context) error {
	s := c.startWorkers(ctx)
	defer s.stop()
	for {
		if err := ctx.Err(); err != nil {
			return s.abort(err)
		}
		now := c.clock.Now()
		j, mv, err := c.pick(ctx, s, now)
		switch {
		case err != nil:
			return s.abort(err)
		case mv == moveEnd:
			return nil
		case mv == moveAgain:
			continue
		case mv == moveStart:
			s.start(j)
			continue
		}
		if s.active == 0 && (s.limitReached() || s.drained && len(s.waiting) == 0) {
			// Scheduled retries beyond the page limit are abandoned; they
			// stay queued in the frontier.
			return nil
		}
		if err := c.await(ctx, s, now); err != nil {
			return s.abort(err)
		}
	}
}

// startWorkers starts Parallelism workers that process the jobs of s.
func (c *Crawler) startWorkers(ctx context.Context) *schedule {
	s := &schedule{
		jobs:     make(chan job),
		results:  make(chan outcome, c.opts.Parallelism),
		workers:  c.opts.Parallelism,
		maxPages: c.opts.MaxPages,
	}
	for range s.workers {
		s.wg.Go(func() {
			for j := range s.jobs {
				out := c.process(ctx, j.it, j.attempt)
				out.retried = append(j.retried, out.retried...)
				s.results <- out
			}
		})
	}
	return s
}

// stop ends the workers once they finished their jobs.
func (s *schedule) stop() {
	close(s.jobs)
	s.wg.Wait()
}

// abort waits for the attempts in flight, leaving their outcomes unread,
// and returns err.
func (s *schedule) abort(err error) error {
	for ; s.active > 0; s.active-- {
		<-s.results
	}
	return err
}

func (s *schedule) limitReached() bool { return s.maxPages > 0 && s.started >= s.maxPages }

// start hands j to a free worker. A worker is free whenever active <
// workers: results has room for every worker's outcome, so this send
// cannot block for long.
func (s *schedule) start(j job) {
	s.jobs <- j
	s.active++
	if j.attempt == 0 {
		s.started++
	}
}

// pick chooses the attempt to start at now while a worker is free and
// the page limit is not reached: a due retry first, then the frontier's
// next item.
func (c *Crawler) pick(ctx context.Context, s *schedule, now time.Time) (job, move, error) {
	if s.active >= s.workers || s.limitReached() {
		return job{}, moveWait, nil
	}
	for i, p := range s.waiting {
		if !p.due.After(now) && !c.held(p.it.URL, now) {
			s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
			return p.job, moveStart, nil
		}
	}
	if s.drained {
		return job{}, moveWait, nil
	}
	it, ok, err := c.fr.Next(ctx)
	switch {
	case err != nil:
		return job{}, moveWait, fmt.Errorf("frontier: %w", err)
	case ok && c.held(it.URL, now):
		s.waiting = append(s.waiting, pending{job: job{it: it}, due: c.holdUntil(it.URL)})
		return job{}, moveAgain, nil
	case ok:
		return job{it: it}, moveStart, nil
	}
	s.drained = s.active > 0 || len(s.waiting) > 0 // ask again after an outcome arrives
	if !s.drained {
		return job{}, moveEnd, nil
	}
	return job{}, moveWait, nil
}

// await waits for an outcome, the due time of the soonest waiting
// attempt (when a worker is free to start it) or the end of ctx. An
// outcome is settled; the error is a frontier error.
func (c *Crawler) await(ctx context.Context, s *schedule, now time.Time) error {
	var timer <-chan time.Time
	if len(s.waiting) > 0 && s.active < s.workers {
		timer = c.clock.After(c.soonest(s.waiting).Sub(now))
	}
	select {
	case r := <-s.results:
		s.active--
		s.drained = false
		return c.settle(r, s)
	case <-timer:
	case <-ctx.Done():
	}
	return nil
}

// soonest is when the first of the waiting attempts may start: its due
// time, or its host's hold when later.
func (c *Crawler) soonest(waiting []pending) time.Time {
	var first time.Time
	for i, p := range waiting {
		at := p.due
		if h := c.holdUntil(p.it.URL); h.After(at) {
			at = h
		}
		if i == 0 || at.Before(first) {
			first = at
		}
	}
	return first
}

// settle books one finished attempt: a retry is scheduled, anything else is
// already reported to the frontier by process.
func (c *Crawler) settle(r outcome, s *schedule) error {
	if r.err != nil {
		return r.err
	}
	now := c.clock.Now()
	if r.hostHold > 0 {
		c.hold(r.it.URL, now.Add(r.hostHold))
	}
	switch {
	case r.retry:
		s.waiting = append(s.waiting, pending{job: job{it: r.it, attempt: r.attempt + 1, retried: r.retried}, due: now.Add(r.retryIn)})
	case !r.failed && len(r.retried) > 0:
		c.stats.add(func(st *Stats) {
			for _, k := range r.retried {
				st.Recovered[k]++
			}
		})
	}
	return nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return ""
}

// hold keeps every request to the host of raw from starting before until
// (Retry-After).
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

// backoff returns the delay before retry number attempt+1: BackoffBase
// doubled per attempt, capped at BackoffMax, with full jitter in [d/2, d].
func (c *Crawler) backoff(attempt int) time.Duration {
	d := min(c.opts.BackoffBase, c.opts.BackoffMax)
	for range attempt {
		if d > c.opts.BackoffMax/2 {
			d = c.opts.BackoffMax
			break
		}
		d *= 2
	}
	if d <= 0 {
		return 0
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}
