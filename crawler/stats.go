package crawler

import (
	"maps"
	"sync"
	"time"

	"github.com/parc-archiver/parc/failure"
)

// Stats counts what a run did. Failures are pages that failed after their
// retries, by kind (package failure; every kind but failure.Store, which
// only the archive's caller counts).
type Stats struct {
	Pages       int // responses received (every attempt)
	Listings    int // listing pages handled
	Articles    int // article pages handed to the Handler
	NotModified int // 304 answers to conditional requests
	Gone        int // archived articles that answered 404/410
	Retries     int // attempts after the first
	// Retried counts the attempts that failed and were retried, by the
	// same kinds as Failures: the faults the crawl recovered from.
	Retried map[failure.Kind]int
	// Recovered counts, by the same kinds, the failed attempts of pages
	// that a later attempt fetched: what retrying recovered from.
	Recovered     map[failure.Kind]int
	Failed        int                  // pages that failed after their retries
	Failures      map[failure.Kind]int // Failed by kind
	Robots        int                  // URLs not fetched because robots.txt disallows them
	OffScope      int                  // URLs not fetched because they leave the allowed domains
	OffScopeLinks int                  // links to other sites seen (never queued)
	LongURLs      int                  // links longer than MaxURLBytes, dropped
	// LinksOverPageLimit counts the links of pages beyond MaxLinksPerPage,
	// neither resolved nor queued.
	LinksOverPageLimit int
	// PagesCut counts pages read only up to htmldoc.MaxTags tags.
	PagesCut int
	// URLsOverRunLimit counts links to URLs not queued because the run had
	// queued MaxNewURLsPerRun (once per page that links one).
	URLsOverRunLimit int
	Discovered       int           // article links not in the archive yet
	ArticleLinks     int           // article links seen on fetched pages, archived or not
	EarlyStops       int           // listing pages whose pagination was not followed
	FailedURLs       []FailedURL   // the first 100 failed pages
	Duration         time.Duration // of the run, on the Clock
}

const maxFailedURLs = 100

type statsRecorder struct {
	mu sync.Mutex
	s  Stats
}

func newStatsRecorder() *statsRecorder {
	return &statsRecorder{s: Stats{Failures: map[failure.Kind]int{}, Retried: map[failure.Kind]int{}, Recovered: map[failure.Kind]int{}}}
}

func (r *statsRecorder) add(f func(*Stats)) {
	r.mu.Lock()
	f(&r.s)
	r.mu.Unlock()
}

// FailedURL is a page that failed in the run: how, after how many
// attempts, with the last answer's status (0: none answered).
type FailedURL struct {
	URL      string
	Kind     failure.Kind
	Status   int
	Attempts int
}

func (r *statsRecorder) fail(f FailedURL) {
	r.add(func(s *Stats) {
		s.Failed++
		s.Failures[f.Kind]++
		if len(s.FailedURLs) < maxFailedURLs {
			s.FailedURLs = append(s.FailedURLs, f)
		}
	})
}

func (r *statsRecorder) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.s
	s.Failures = maps.Clone(r.s.Failures)
	s.Retried = maps.Clone(r.s.Retried)
	s.FailedURLs = append([]FailedURL(nil), r.s.FailedURLs...)
	return s
}

// Stats returns the run's counts so far (for progress while Run runs).
func (c *Crawler) Stats() Stats { return c.stats.snapshot() }

// Add counts o into s: what several crawls (one per portal) did together.
// Duration is the longest of theirs (they ran at once); FailedURLs keeps
// the first 100.
func (s *Stats) Add(o Stats) {
	s.Pages += o.Pages
	s.Listings += o.Listings
	s.Articles += o.Articles
	s.NotModified += o.NotModified
	s.Gone += o.Gone
	s.Retries += o.Retries
	s.Retried = addKinds(s.Retried, o.Retried)
	s.Recovered = addKinds(s.Recovered, o.Recovered)
	s.Failed += o.Failed
	s.Failures = addKinds(s.Failures, o.Failures)
	s.Robots += o.Robots
	s.OffScope += o.OffScope
	s.OffScopeLinks += o.OffScopeLinks
	s.LongURLs += o.LongURLs
	s.LinksOverPageLimit += o.LinksOverPageLimit
	s.PagesCut += o.PagesCut
	s.URLsOverRunLimit += o.URLsOverRunLimit
	s.Discovered += o.Discovered
	s.ArticleLinks += o.ArticleLinks
	s.EarlyStops += o.EarlyStops
	s.FailedURLs = append(s.FailedURLs, o.FailedURLs[:min(len(o.FailedURLs), max(maxFailedURLs-len(s.FailedURLs), 0))]...)
	s.Duration = max(s.Duration, o.Duration)
}

func addKinds(into, from map[failure.Kind]int) map[failure.Kind]int {
	if len(from) == 0 {
		return into
	}
	if into == nil {
		into = map[failure.Kind]int{}
	}
	for k, n := range from {
		into[k] += n
	}
	return into
}
