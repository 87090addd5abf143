package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/notify"
	"github.com/parc-archiver/parc/serve"
)

// CrawlOptions is what one crawl run does besides what the config says.
type CrawlOptions struct {
	// Full walks every listing page, ignoring the incremental early stop.
	Full bool
	// Refresh revisits archived articles with conditional requests.
	Refresh bool
	// PrintNew, when set, receives each new article as a JSON line, at
	// least once: the run queues each new record in the archive's print
	// queue when storing it and marks it printed once its line was
	// written, and first prints what earlier runs queued and did not print
	// (killed, or their writer failed). Flushed after each line when it
	// has a Flush() error method.
	PrintNew io.Writer
	// MetricsFile receives the run's metrics in Prometheus text format.
	MetricsFile string
	// Monitor accumulates metrics across runs (parc watch); nil: one per run.
	Monitor *monitor.Monitor
	// Feed is refreshed from the archive before it is closed (parc watch).
	Feed *Feed
	// Lender, when set, lends the run's archive to the pages served
	// meanwhile (parc watch), after the requests that opened the file
	// themselves ended.
	Lender *serve.Lender
	// Progress receives the run's progress: a redrawn status line when it
	// is a StatusLine on a terminal, else a timestamped stats line every
	// 30 seconds and one at the end; nil: none.
	Progress io.Writer
	// Clock times the progress lines; nil: the real clock.
	Clock Clock
	// Logger receives the run's diagnostics; nil discards them.
	Logger *slog.Logger
}

// ErrUnreachable fails a run in which not one page could be fetched.
var ErrUnreachable = errors.New("portal unreachable")

// metaListingsWalked is the archive meta key set once a crawl has walked
// every listing to its end (the incremental early stop applies after).
const metaListingsWalked = "listings_walked"

// Crawl runs one crawl of cfg's portal into cfg's archive and returns what
// it did. The error is the run's: the archive in use (archive.ErrLocked),
// the portal unreachable, a storage failure, or ctx's error when
// interrupted (what was stored stays stored).
func Crawl(ctx context.Context, cfg *config.Config, o CrawlOptions) (Summary, error) {
	ex, err := Extractor(cfg, false)
	if err != nil {
		return Summary{}, err
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &crawlRun{cfg: cfg, o: o, log: log, started: time.Now(), ex: ex, nt: Notifier(cfg, log), mon: o.Monitor}
	if c.mon == nil {
		c.mon = Monitor(cfg, log)
	}
	if o.PrintNew != nil {
		c.out = &lineWriter{w: o.PrintNew}
	}
	return c.run(ctx)
}

// crawlRun is one Crawl in progress.
type crawlRun struct {
	cfg     *config.Config
	o       CrawlOptions
	log     *slog.Logger
	started time.Time
	ex      *extract.Extractor
	nt      *notify.Notifier
	mon     *monitor.Monitor
	out     *lineWriter
	arc     *archive.Archive
	dl      *delivery
	pr      *printer // nil without PrintNew

	mu    sync.Mutex // guards sum and guard while the writer reports results
	sum   Summary
	guard storeGuard
}

func (c *crawlRun) run(ctx context.Context) (sum Summary, err error) {
	arc, err := c.o.Lender.Open(func() (*archive.Archive, error) { return archive.Open(c.cfg.Archive.Path, OpenOptions(c.cfg, c.log)) })
	if err != nil {
		if !errors.Is(err, archive.ErrLocked) {
			// No archive, no outbox: announce the failure once, best effort.
			if _, derr := c.nt.SendNow(ctx, runFailedEvent(c.cfg, c.started, Summary{}, err)); derr != nil {
				c.log.Error("webhook delivery", "err", derr)
			}
			observeRun(c.mon, Summary{}, err, c.o.MetricsFile, c.log)
		}
		return Summary{}, err
	}
	c.arc = arc
	defer func() {
		c.o.Lender.Withdraw()
		if cerr := arc.Close(); cerr != nil && err == nil {
			err = cerr
		}
		observeRun(c.mon, sum, err, c.o.MetricsFile, c.log)
	}()
	c.dl = startDelivery(ctx, c.nt, notify.StoredOutbox(arc), c.log)
	defer c.dl.stop()
	if c.out != nil {
		c.pr = startPrinter(ctx, arc, c.out, c.log)
		defer c.pr.stop()
	}
	walked, err := arc.GetMeta(metaListingsWalked)
	if err != nil {
		return Summary{}, err
	}
	fr, err := arc.Frontier(ctx, archive.FrontierOptions{Refresh: c.o.Refresh, RevisitAfter: c.cfg.Crawl.RevisitAfter.D()})
	if err != nil {
		return Summary{}, fmt.Errorf("open frontier: %w", err)
	}
	c.sum = Summary{Ran: true}
	if c.cfg.Portal.ArticleURL == "" {
		c.log.Warn("portal.article_url is not set: pages are followed as listings and none is archived as an article; set it to a regexp of the portal's article URLs")
	}
	repair, err := c.repairDue(ctx, len(walked) > 0)
	if err != nil {
		return Summary{}, err
	}
	crawlErr, err := c.crawl(ctx, fr, len(walked) > 0 && !repair)
	if err != nil {
		return Summary{}, err
	}
	if c.sum.NoArticleMatched() {
		c.log.Warn("the run fetched pages but none matched portal.article_url: check the pattern against the portal's article URLs",
			"pages", c.sum.Crawl.Pages, "article_url", c.cfg.Portal.ArticleURL)
	}
	if crawlErr == nil && c.cfg.Crawl.MaxPages == 0 {
		// Only a run that drained counts as having walked the listings;
		// one stopped early leaves its queue to the next run.
		crawlErr = c.finishWalk(ctx, fr, len(walked) > 0)
		if crawlErr == nil && repair {
			var n int
			n, crawlErr = finishRepair(ctx, arc, fr.Run())
			c.log.Info("repair done: pages the portal no longer links forgotten", "forgotten", n)
		}
	}
	c.mu.Lock()
	runErr := c.guard.runError(crawlErr)
	c.mu.Unlock()
	err = c.conclude(ctx, runErr)
	return c.sum, err
}

// clock is the run's clock (CrawlOptions.Clock, else the real one).
func (c *crawlRun) clock() Clock {
	if c.o.Clock != nil {
		return c.o.Clock
	}
	return realClock{}
}

// progressLine is the crawl's progress: pages fetched and their rate,
// what is queued, failures, stored outcomes, time elapsed and, while the
// queue holds something, the time left at the rate so far.
func progressLine(st crawler.Stats, queued int, sum Summary, elapsed time.Duration) string {
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(st.Pages) / s
	}
	line := fmt.Sprintf("crawl: %d pages fetched (%.1f/s), %d queued, %d failed, %d new, %d updated, %s elapsed",
		st.Pages, rate, queued, st.Failed+sum.StoreErrors, sum.New, sum.Revised, elapsed.Round(time.Second))
	if rate > 0 && queued > 0 {
		line += fmt.Sprintf(", about %s left", (time.Duration(float64(queued)/rate) * time.Second).Round(time.Second))
	}
	return line
}

// repairDue reports whether this run must walk every listing to fetch
// again what earlier runs marked done but could not store (needsRepair);
// only a run after a complete walk can need it.
func (c *crawlRun) repairDue(ctx context.Context, walked bool) (bool, error) {
	if !walked {
		return false, nil
	}
	articles, err := ArticleKeys(c.cfg)
	if err != nil {
		return false, err
	}
	repair, err := needsRepair(ctx, c.arc, articles)
	if repair {
		c.log.Warn("an earlier crawl marked pages done that it could not store: this one walks every listing to fetch them again")
	}
	return repair, err
}

// crawl runs the crawler over fr, storing what it hands over; runErr is
// the run's failure, err a failure to start it.
func (c *crawlRun) crawl(ctx context.Context, fr *archive.Frontier, walked bool) (runErr, err error) {
	w := c.arc.NewWriter(c.writerOptions())
	h := &pageHandler{portal: c.cfg.Portal.Name, keepRaw: c.cfg.Archive.KeepRaw.Articles(), ex: c.ex, w: w, started: c.started}
	opts := crawlerOptions(c.cfg, c.log)
	opts.Incremental = !c.o.Full && walked
	if c.cfg.Archive.KeepRaw.All() {
		opts.Answered = (&responseCaptures{w: w, log: c.log}).answered
	}
	cr, err := crawler.New(opts, fr, h.handle)
	if err != nil {
		return nil, err
	}
	started := c.clock().Now()
	stopProgress := progress(c.o.Progress, c.clock(), func(now time.Time) string {
		c.mu.Lock()
		sum := c.sum
		c.mu.Unlock()
		return progressLine(cr.Stats(), fr.Pending(), sum, now.Sub(started))
	})
	crawlCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	c.mu.Lock()
	c.guard.stop = stop
	c.mu.Unlock()
	st, runErr := cr.Run(crawlCtx)
	if err := w.Close(); err != nil && runErr == nil && c.storeFailures() == 0 {
		runErr = fmt.Errorf("store: %w", err)
	}
	stopProgress() // after the last commit: its line counts every page stored
	c.mu.Lock()
	c.sum.Crawl = st
	c.mu.Unlock()
	if runErr == nil && st.Pages == 0 && st.Failed > 0 {
		runErr = fmt.Errorf("%w: %d requests failed, none answered", ErrUnreachable, st.Failed)
	}
	return runErr, nil
}

// writerOptions counts each stored page into the summary, prints new
// articles and queues their webhook events in the page's transaction.
func (c *crawlRun) writerOptions() archive.WriterOptions {
	wopts := archive.WriterOptions{OnResult: c.stored, PrintQueue: c.pr != nil}
	if c.nt.Enabled() {
		wopts.Outbox = func(p archive.Page, r archive.Result) []archive.OutboxItem {
			return articleEntries(c.cfg, c.nt, c.log, r)
		}
	}
	return wopts
}

// stored is the writer's OnResult: it runs on the archive's committer.
func (c *crawlRun) stored(p archive.Page, r archive.Result, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.sum.StoreErrors++
		c.log.Error("store failed", "url", p.URL, "err", err)
		if !errors.Is(err, archive.ErrInvalidPage) { // the page's fault, not the archive's
			c.guard.failed(err)
		}
		return
	}
	c.guard.stored()
	c.sum.Extraction.Add(extractionCounts(p.Article))
	if articleEvent(c.cfg, r) != "" {
		c.dl.kick()
	}
	switch r.Outcome {
	case archive.OutcomeNew:
		c.sum.New++
		if c.pr != nil {
			c.pr.kick()
		}
	case archive.OutcomeRevised:
		c.sum.Revised++
	case archive.OutcomeUnchanged:
		c.sum.Unchanged++
	case archive.OutcomeAlias:
		c.sum.Duplicates++
	}
	if p.Article != nil && r.Outcome != archive.OutcomeUnchanged && p.Article.Extraction == extract.MethodFallback {
		c.sum.Fallbacks++
	}
}

// storeFailures is how many pages the run could not store so far.
func (c *crawlRun) storeFailures() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.guard.total
}

// finishWalk closes the frontier's run and, after the first complete
// walk, marks the listings walked.
func (c *crawlRun) finishWalk(ctx context.Context, fr *archive.Frontier, walked bool) error {
	if err := fr.Finish(ctx); err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	if walked {
		return nil
	}
	return c.arc.SetMeta(metaListingsWalked, []byte(time.Now().UTC().Format(time.RFC3339)))
}

// conclude judges drift, queues and delivers the run's events, refreshes
// the monitor and feed and records the run; it returns the run's error.
func (c *crawlRun) conclude(ctx context.Context, runErr error) error {
	c.dl.stop()
	if c.pr != nil {
		c.pr.stop()
	}
	c.sum.Drift = judgeDrift(c.cfg, c.mon, c.sum, c.log)
	runEvents(ctx, c.cfg, c.nt, c.arc, c.started, c.sum, runErr, c.log)
	c.dl.final(ctx)
	c.sum.WebhooksDelivered, c.sum.WebhooksLeft = c.dl.counts()
	if n, err := c.arc.OutboxLen(context.WithoutCancel(ctx)); err == nil {
		c.mon.SetOutboxPending(n)
	}
	if c.o.Feed != nil {
		if err := c.o.Feed.Refresh(ctx, c.arc); err != nil {
			c.log.Warn("feed not refreshed", "err", err)
		}
	}
	raw, err := json.Marshal(c.sum.Record(time.Now(), runErr))
	if err == nil {
		err = c.arc.RecordRun(context.WithoutCancel(ctx), raw)
	}
	if err != nil && runErr == nil {
		runErr = fmt.Errorf("record run: %w", err)
	}
	return runErr
}

// lineWriter writes whole lines, each in one Write, flushed after it when
// w can be flushed.
type lineWriter struct {
	w io.Writer
}

func (l *lineWriter) line(b []byte) error {
	if _, err := l.w.Write(append(b[:len(b):len(b)], '\n')); err != nil {
		return err
	}
	if f, ok := l.w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}
