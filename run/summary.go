package run

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/runrecord"
)

// Summary is what one crawl did, printed at its end: one portal's run,
// or the runs of several added up, each in Portals.
type Summary struct {
	// Portal is the portal's name (empty in a total of several).
	Portal string
	// Portals holds each portal's summary when the crawl ran several.
	Portals                                        []Summary
	Crawl                                          crawler.Stats
	New, Revised, Unchanged, Duplicates, Fallbacks int
	StoreErrors                                    int
	// Ran is false when the run never started (the archive did not open).
	Ran bool
	// Extraction counts every article stored (any outcome), for the drift alarm.
	Extraction runrecord.Counts
	Drift      monitor.Verdict
	// Template is what the run did with its portal's template model.
	Template TemplateUse
	// WebhooksDelivered counts the webhook messages delivered during the
	// run; WebhooksLeft, those its last pass left for a later run.
	WebhooksDelivered, WebhooksLeft int
}

// add counts o's run into s.
func (s *Summary) add(o Summary) {
	s.Crawl.Add(o.Crawl)
	s.New += o.New
	s.Revised += o.Revised
	s.Unchanged += o.Unchanged
	s.Duplicates += o.Duplicates
	s.Fallbacks += o.Fallbacks
	s.StoreErrors += o.StoreErrors
	s.Ran = s.Ran || o.Ran
	s.Extraction.Add(o.Extraction)
	s.WebhooksDelivered += o.WebhooksDelivered
	s.WebhooksLeft += o.WebhooksLeft
}

// NoArticleMatched is true for a run that walked listing pages but met no
// article: none fetched, revisited or gone, and no link on its pages
// matched portal.article_url (known articles' links count, so a quiet
// incremental run is not one). The run warns and counts it as drift.
func (s Summary) NoArticleMatched() bool {
	st := s.Crawl
	return st.Listings > 0 && st.Articles+st.NotModified+st.Gone+st.ArticleLinks == 0
}

// Print writes the summary lines of a run that ran: with several
// portals, each portal's lines ("crawl: NAME: …") and then the total's.
func (s Summary) Print(w io.Writer) {
	if !s.Ran {
		return
	}
	if len(s.Portals) == 0 {
		s.print(w, "crawl: ")
	}
	for _, p := range s.Portals {
		if p.Ran {
			p.print(w, "crawl: "+p.Portal+": ")
		}
	}
	if len(s.Portals) > 0 {
		s.counts(w, fmt.Sprintf("crawl: all %d portals: ", len(s.Portals)))
	}
	if s.WebhooksDelivered+s.WebhooksLeft > 0 {
		fmt.Fprintf(w, "webhooks: %d delivered, %d left for a later run\n", s.WebhooksDelivered, s.WebhooksLeft)
	}
}

// counts writes the summary's first line: pages and outcomes.
func (s Summary) counts(w io.Writer, prefix string) {
	fmt.Fprintf(w, prefix+"%d pages fetched, %d new, %d updated, %d unchanged, %d duplicates, %d failed, %d fallback extractions (%.1fs)\n",
		s.Crawl.Pages, s.New, s.Revised, s.Unchanged+s.Crawl.NotModified, s.Duplicates, s.Crawl.Failed+s.StoreErrors, s.Fallbacks, s.Crawl.Duration.Seconds())
}

// print writes the summary lines of one run, or of a total, each
// beginning with prefix.
func (s Summary) print(w io.Writer, prefix string) {
	s.counts(w, prefix)
	if f := s.failures(); len(f) > 0 {
		fmt.Fprintf(w, prefix+"failures by kind (kept for the next run): %s\n", ByKind(f))
	}
	s.printFailedURLs(w, prefix)
	s.printTemplate(w, prefix)
	if len(s.Crawl.Recovered) > 0 {
		fmt.Fprintf(w, prefix+"recovered by retrying, by kind: %s\n", ByKind(s.Crawl.Recovered))
	}
	if s.Crawl.Gone > 0 {
		fmt.Fprintf(w, prefix+"%d archived articles gone (404/410 or redirected home), marked gone_since\n", s.Crawl.Gone)
	}
	if s.Crawl.Robots+s.Crawl.OffScope > 0 {
		fmt.Fprintf(w, prefix+"not fetched: %d disallowed by robots.txt, %d off scope\n", s.Crawl.Robots, s.Crawl.OffScope)
	}
	if s.Crawl.LongURLs > 0 {
		fmt.Fprintf(w, prefix+"not queued: %d links longer than %d KB\n", s.Crawl.LongURLs, crawler.MaxURLBytes>>10)
	}
	if s.Crawl.LinksOverPageLimit > 0 {
		fmt.Fprintf(w, prefix+"not queued: %d links beyond crawl.max_links_per_page on their pages\n", s.Crawl.LinksOverPageLimit)
	}
	if s.Crawl.PagesCut > 0 {
		fmt.Fprintf(w, prefix+"%d pages read only up to their first %d tags (the rest would need an unbounded tree)\n", s.Crawl.PagesCut, htmldoc.MaxTags)
	}
	if s.Crawl.URLsOverRunLimit > 0 {
		fmt.Fprintf(w, prefix+"not queued: %d links to new URLs beyond crawl.max_new_urls_per_run\n", s.Crawl.URLsOverRunLimit)
	}
}

// printTemplate says what the run did with the template model.
func (s Summary) printTemplate(w io.Writer, prefix string) {
	m := s.Template.Model
	switch {
	case m == nil:
	case s.Template.Dropped:
		fmt.Fprintf(w, prefix+"template model %d dropped: the run drifted, the next run learns the layout again\n", m.Version)
	case s.Template.First:
		fmt.Fprintf(w, prefix+"template model %d learned from the run's first %d article pages (%d template blocks) before it extracted any\n", m.Version, m.Pages, len(m.Blocks))
	case s.Template.Learned:
		fmt.Fprintf(w, prefix+"template model %d learned from %d article pages (%d template blocks); this run extracted with it, parc reextract applies it to the pages stored before\n", m.Version, m.Pages, len(m.Blocks))
	}
}

// summaryFailedURLs is how many failed URLs the summary lists.
const summaryFailedURLs = 10

// printFailedURLs lists the run's first failed URLs, whole, with kind,
// status and attempts (parc stats --failed lists them all).
func (s Summary) printFailedURLs(w io.Writer, prefix string) {
	for i, f := range s.Crawl.FailedURLs {
		if i == summaryFailedURLs {
			fmt.Fprintf(w, prefix+"failed: %d more (parc stats --failed lists them all)\n", s.Crawl.Failed-i)
			return
		}
		status := ""
		if f.Status != 0 {
			status = fmt.Sprintf(" %d", f.Status)
		}
		fmt.Fprintf(w, prefix+"failed: %s%s after %d attempts: %s\n", f.Kind, status, f.Attempts, f.URL)
	}
}

// Report prints the summary and, for a run that err says was
// interrupted, that the next crawl goes on from where it stopped.
func (s Summary) Report(w io.Writer, err error) {
	s.Print(w)
	if errors.Is(err, ErrYielded) {
		fmt.Fprintln(w, "crawl: paused for a reader waiting for the archive; the next run continues where this one stopped")
		return
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "crawl: interrupted; the next crawl continues where this one stopped")
	}
}

// Record is the run record of s, finished at t, failed with err (nil: it
// completed).
func (s Summary) Record(t time.Time, err error) runrecord.Run {
	r := runrecord.Run{
		Portal:   s.Portal,
		Finished: runrecord.Time{Time: t}, Pages: s.Crawl.Pages, New: s.New, Updated: s.Revised,
		Unchanged: s.Unchanged + s.Crawl.NotModified, Duplicates: s.Duplicates, Failed: s.Crawl.Failed + s.StoreErrors,
		Failures: s.failures(), Retried: s.Crawl.Retried, Recovered: s.Crawl.Recovered, Robots: s.Crawl.Robots, LongURLs: s.Crawl.LongURLs, Fallbacks: s.Fallbacks,
		Gone: s.Crawl.Gone, Seconds: s.Crawl.Duration.Seconds(), Extraction: s.Extraction,
		LinksOverPageLimit: s.Crawl.LinksOverPageLimit, URLsOverRunLimit: s.Crawl.URLsOverRunLimit, PagesCut: s.Crawl.PagesCut,
	}
	if s.Drift.Drifted {
		r.Drift = s.Drift.Reason
	}
	if m := s.Template.Model; m != nil {
		r.TemplateModel = m.Version
	}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// failures counts the run's failures by kind, pages the archive could not
// store (failure.Store) included: "failed" is their sum.
func (s Summary) failures() map[failure.Kind]int {
	if s.StoreErrors == 0 {
		return s.Crawl.Failures
	}
	m := maps.Clone(s.Crawl.Failures)
	if m == nil {
		m = map[failure.Kind]int{}
	}
	m[failure.Store] += s.StoreErrors
	return m
}

// ByKind formats counts by kind as "kind n, kind n", most frequent
// first; "none" when there are none.
func ByKind[K ~string](m map[K]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b K) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return cmp.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
