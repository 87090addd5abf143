package config

import (
	"math"
	"time"
)

// The ranges of the numeric keys (README's configuration table lists
// them). Bounds keep a value from exhausting memory (parallelism), from
// overflowing arithmetic (max_body_bytes) or from meaning nothing (a NaN
// share).
const (
	maxParallelism  = 256
	maxRetries      = 100
	maxRedirects    = 100
	maxPages        = 1_000_000_000
	minBodyBytes    = 1 << 10
	maxBodyBytes    = 1 << 30
	maxLinksPerPage = 10_000_000
	maxNewURLs      = 1_000_000_000
	maxDriftMin     = 1_000_000
	maxFeedEntries  = 10_000
	maxLongDuration = 366 * 24 * time.Hour
	maxShortWait    = 24 * time.Hour
)

// intRange is an integer key and its inclusive bounds.
type intRange struct {
	key    string
	v      int64
	lo, hi int64
}

// durRange is a duration key and its inclusive bounds; positive refuses 0.
type durRange struct {
	key      string
	v        Duration
	hi       time.Duration
	positive bool
}

func checkInts(p problems, rs []intRange) error {
	for _, r := range rs {
		if r.v < r.lo {
			return p.bad(r.key, "must be at least %d (range %d..%d), not %d", r.lo, r.lo, r.hi, r.v)
		}
		if r.v > r.hi {
			return p.bad(r.key, "must be at most %d (range %d..%d), not %d", r.hi, r.lo, r.hi, r.v)
		}
	}
	return nil
}

func checkDurations(p problems, rs []durRange) error {
	for _, r := range rs {
		d := r.v.D()
		if d < 0 || d > r.hi || (r.positive && d == 0) {
			if r.positive {
				return p.bad(r.key, "must be positive, at most %v, not %v", r.hi, d)
			}
			return p.bad(r.key, "must be from 0s to %v, not %v", r.hi, d)
		}
	}
	return nil
}

// checkShare refuses a share outside [lo, hi] (or (0, hi] when open), and
// NaN or an infinity whatever the bounds.
func checkShare(p problems, key string, v float64, open bool) error {
	ok := !math.IsNaN(v) && !math.IsInf(v, 0) && v <= 1 && (v > 0 || (!open && v == 0))
	if !ok {
		lo := "0"
		if open {
			lo = "above 0"
		}
		return p.bad(key, "must be a finite share from %s to 1, not %v", lo, v)
	}
	return nil
}

// ranges checks every numeric key against its range.
func (cr *Crawl) ranges(p problems, prefix string) error {
	err := checkInts(p, []intRange{
		{prefix + "parallelism", int64(cr.Parallelism), 1, maxParallelism},
		{prefix + "retries", int64(cr.Retries), 0, maxRetries},
		{prefix + "max_redirects", int64(cr.MaxRedirects), 0, maxRedirects},
		{prefix + "max_pages", int64(cr.MaxPages), 0, maxPages},
		{prefix + "max_body_bytes", cr.MaxBodyBytes, minBodyBytes, maxBodyBytes},
		{prefix + "max_links_per_page", int64(cr.MaxLinksPerPage), 1, maxLinksPerPage},
		{prefix + "max_new_urls_per_run", int64(cr.MaxNewURLsPerRun), 1, maxNewURLs},
	})
	if err != nil {
		return err
	}
	return checkDurations(p, []durRange{
		{prefix + "delay", cr.Delay, maxShortWait, false},
		{prefix + "timeout", cr.Timeout, maxShortWait, true},
		{prefix + "every", cr.Every, maxLongDuration, true},
		{prefix + "max_crawl_delay", cr.MaxCrawlDelay, maxShortWait, false},
		{prefix + "backoff", cr.Backoff, maxShortWait, false},
		{prefix + "revisit_after", cr.RevisitAfter, maxLongDuration * 10, false},
	})
}

// notifyRanges checks the drift rule's numbers.
func (n *Notify) ranges(p problems) error {
	if err := checkShare(p, "notify.drift_threshold", n.DriftThreshold, true); err != nil {
		return err
	}
	return checkInts(p, []intRange{{"notify.drift_min_articles", int64(n.DriftMinArticles), 1, maxDriftMin}})
}

// ranges checks the watch section's numbers.
func (wa *Watch) ranges(p problems) error {
	if err := checkShare(p, "watch.jitter", wa.Jitter, false); err != nil {
		return err
	}
	if err := checkInts(p, []intRange{{"watch.feed_entries", int64(wa.FeedEntries), 1, maxFeedEntries}}); err != nil {
		return err
	}
	return checkDurations(p, []durRange{{"watch.healthz_max_age", wa.HealthzMaxAge, maxLongDuration, false}})
}
