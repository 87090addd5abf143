package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/notify"
	"github.com/parc-archiver/parc/serve"
)

// CrawlOptions is what one crawl run does besides what the config says.
type CrawlOptions struct {
	// Portals names the portals crawled (--portal); empty: every one.
	Portals []string
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
	// YieldToReaders lets go of the archive when another process waits to
	// read it (parc watch): after at least YieldAfter of crawling, the
	// portals' runs stop as if interrupted (with ErrYielded), what they
	// stored stays stored, and the next run continues where they stopped.
	YieldToReaders bool
}

// YieldAfter is how long a run of parc watch crawls at least before it
// lets go of the archive for a reader waiting: a reader with the default
// --wait gets in within YieldAfter and a few seconds, and a reader that
// comes back and back (parc serve pages) cannot starve the crawl.
const YieldAfter = 20 * time.Second

// yieldPoll is how often a run that yields to readers looks for one.
const yieldPoll = time.Second

// ErrYielded ends a run that let go of the archive for a reader waiting
// for it; like an interruption it is no failure, and the next run
// continues where it stopped.
var ErrYielded = fmt.Errorf("paused for a reader waiting for the archive: %w", context.Canceled)

// ErrUnreachable fails a run in which not one page could be fetched.
var ErrUnreachable = errors.New("portal unreachable")

// ErrPortalsFailed is the error of a crawl of several portals of which
// some failed (PortalsError says which); the others' runs completed.
var ErrPortalsFailed = errors.New("portal runs failed")

// PortalsError names the portals whose runs failed, with their errors.
type PortalsError struct {
	Failed []PortalFailure
}

// PortalFailure is one portal's failed run.
type PortalFailure struct {
	Portal string
	Err    error
}

func (e *PortalsError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		parts[i] = f.Portal + ": " + f.Err.Error()
	}
	return fmt.Sprintf("%d of the portals failed: %s", len(e.Failed), strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrPortalsFailed) true, and true for an error
// every failed portal's run shares (each found the archive locked, each
// was interrupted).
func (e *PortalsError) Is(target error) bool {
	if target == ErrPortalsFailed {
		return true
	}
	for _, f := range e.Failed {
		if !errors.Is(f.Err, target) {
			return false
		}
	}
	return len(e.Failed) > 0
}

// Unwrap gives the failed portals' errors.
func (e *PortalsError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		errs[i] = f.Err
	}
	return errs
}

// metaListingsWalked is the archive meta key set once a crawl has walked
// every listing of a portal to its end (the incremental early stop
// applies after); the portal's name follows it (see walkedKey).
const metaListingsWalked = "listings_walked"

// Crawl runs one crawl of cfg's portals (CrawlOptions.Portals, else all)
// into cfg's archive and returns what it did. The error is the run's: the
// archive in use (archive.ErrLocked), the portal unreachable, a storage
// failure, or ctx's error when interrupted (what was stored stays
// stored). With several portals, each runs at once with its own frontier
// and politeness (origins they share are paced as one); a portal that
// fails never stops the others, and the error, a *PortalsError, names the
// portals that failed after every run ended.
func Crawl(ctx context.Context, cfg *config.Config, o CrawlOptions) (Summary, error) {
	views, err := cfg.SelectPortals(o.Portals)
	if err != nil {
		return Summary{}, err
	}
	return CrawlPortals(ctx, cfg, views, o)
}

// CrawlPortals is Crawl over the portal views given (from
// cfg.SelectPortals, possibly with fewer start URLs: parc watch's due
// ones); cfg gives the archive and the notifications.
func CrawlPortals(ctx context.Context, cfg *config.Config, views []*config.Config, o CrawlOptions) (Summary, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &crawlSession{cfg: cfg, o: o, log: log, nt: Notifier(cfg, log), mon: o.Monitor, pace: crawler.NewPace()}
	if s.mon == nil {
		s.mon = Monitor(cfg, log)
	}
	if o.PrintNew != nil {
		s.out = &lineWriter{w: o.PrintNew}
	}
	runs := make([]*crawlRun, len(views))
	for i, v := range views {
		ex, err := Extractor(v, false, nil) // the template model is read once the archive is open
		if err != nil {
			return Summary{}, fmt.Errorf("portal %s: %w", v.Portal.Name, err)
		}
		runs[i] = &crawlRun{s: s, cfg: v, log: log, ex: ex, started: time.Now()}
		if len(views) > 1 {
			runs[i].log = log.With("portal", v.Portal.Name)
		}
	}
	return s.run(ctx, runs)
}

// crawlSession is one Crawl in progress: the archive and what the portal
// runs share (the webhook deliveries, the --print-new printer, the
// monitor, the politeness per origin).
type crawlSession struct {
	cfg  *config.Config
	o    CrawlOptions
	log  *slog.Logger
	nt   *notify.Notifier
	mon  *monitor.Monitor
	out  *lineWriter
	pace *crawler.Pace
	arc  *archive.Archive
	// clock is the session's (CrawlOptions.Clock, else the real one),
	// once the archive is open.
	clock Clock
	dl    *delivery
	pr    *printer // nil without PrintNew
}

// crawlRun is one portal's run within a crawlSession.
type crawlRun struct {
	s       *crawlSession
	cfg     *config.Config // the portal's view (config.PortalConfigs)
	log     *slog.Logger
	started time.Time
	ex      *extract.Extractor
	tmpl    TemplateUse // the template model ex applies
	err     error       // the run's, once it ended

	mu    sync.Mutex // guards what follows while the writer reports results
	sum   Summary
	guard storeGuard
	cr    *crawler.Crawler // while it runs, for the progress line
	fr    *archive.Frontier
}

func (s *crawlSession) run(ctx context.Context, runs []*crawlRun) (sum Summary, err error) {
	arc, err := s.o.Lender.Open(func() (*archive.Archive, error) { return archive.Open(s.cfg.Archive.Path, OpenOptions(s.cfg, s.log)) })
	if err != nil {
		s.openFailed(ctx, runs, err)
		return Summary{}, err
	}
	s.arc = arc
	defer func() {
		s.o.Lender.Withdraw()
		if cerr := arc.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	infos, err := s.checkPortals(ctx, runs)
	if err != nil {
		return Summary{}, err
	}
	clock := s.o.Clock
	if clock == nil {
		clock = realClock{}
	}
	s.clock = clock
	if err := s.useTemplates(ctx, runs, infos, clock.Now()); err != nil {
		return Summary{}, err
	}
	s.dl = startDelivery(ctx, s.nt, notify.StoredOutbox(arc), s.log)
	defer s.dl.stop()
	if s.out != nil {
		s.pr = startPrinter(ctx, arc, s.out, s.log)
		defer s.pr.stop()
	}
	started := clock.Now()
	stopProgress := progress(s.o.Progress, clock, func(now time.Time) string { return s.progressLine(runs, now.Sub(started)) })
	runCtx, stopRuns := context.WithCancelCause(ctx)
	defer stopRuns(nil)
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Go(func() { r.err = r.run(runCtx) })
	}
	stopYield := s.yieldToReaders(clock, stopRuns)
	wg.Wait()
	stopYield()
	if context.Cause(runCtx) == ErrYielded && ctx.Err() == nil {
		for _, r := range runs {
			if errors.Is(r.err, context.Canceled) {
				r.err = ErrYielded
			}
		}
	}
	stopProgress() // after the last commit: its line counts every page stored
	s.conclude(ctx, runs)
	return s.total(runs)
}

// checkPortals compares the archive's portals with the config's: one
// the config no longer names is warned about (its records stay, nothing
// crawls it); a portal new to the archive on the hosts of such a one is
// most likely that portal renamed in the config alone, which would crawl
// and store everything again as new records, so the crawl is refused
// until `parc portal rename` has renamed it in the archive too. It
// returns the archive's portals.
func (s *crawlSession) checkPortals(ctx context.Context, runs []*crawlRun) ([]archive.PortalInfo, error) {
	infos, err := s.arc.Portals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the archive's portals: %w", err)
	}
	known, inArchive := s.cfg.PortalNames(), map[string]bool{}
	var orphans []archive.PortalInfo
	for _, p := range infos {
		inArchive[p.Name] = true
		// A portal with no name holds records of parc before 0.2, which
		// crawled one portal: the first one's.
		if p.Name != "" && !slices.Contains(known, p.Name) {
			s.log.Warn("a portal of the archive is not in the config: its records are kept and not crawled (parc portal rename OLD NEW if it was renamed)",
				"portal", p.Name, "records", p.Records)
			orphans = append(orphans, p)
		}
	}
	for _, r := range runs {
		if inArchive[r.cfg.Portal.Name] {
			continue
		}
		for _, o := range orphans {
			u, named, err := s.recordOf(ctx, o.Name)
			if err != nil {
				return nil, err
			}
			if u != nil && named != "" && named != o.Name {
				// Only damage makes the registry and a record disagree: a
				// rename rewrites both, finished by the writable open.
				return nil, fmt.Errorf("archive %s: its portal registry names %q a portal whose records say they are %q's: the registry is damaged (parc verify names the problem; restore a backup)",
					s.cfg.Archive.Path, o.Name, named)
			}
			if u != nil && inScopeOf(u, r.cfg) {
				return nil, &config.Error{Key: "portal.name", Msg: fmt.Sprintf(
					"portal %q is new to the archive %s, but its portal %q, which the config no longer names, has records on %s: if it was renamed, run `parc portal rename %s %s` first; otherwise name it %q again",
					r.cfg.Portal.Name, s.cfg.Archive.Path, o.Name, u.Host, o.Name, r.cfg.Portal.Name, o.Name)}
			}
		}
	}
	return infos, nil
}

// recordOf is the URL of one record of portal and the portal its record
// names (nil and "" when it has none).
func (s *crawlSession) recordOf(ctx context.Context, portal string) (*url.URL, string, error) {
	errFound := errors.New("found")
	var r struct {
		URL    string `json:"url"`
		Portal string `json:"portal"`
	}
	var u *url.URL
	err := s.arc.Records(ctx, archive.Filter{Portals: []string{portal}}, func(raw []byte) error {
		if json.Unmarshal(raw, &r) == nil {
			u, _ = url.Parse(r.URL)
		}
		return errFound
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, "", fmt.Errorf("read a record of portal %s: %w", portal, err)
	}
	return u, r.Portal, nil
}

// inScopeOf reports whether u is on a host of v's portal and on the port
// of one of its start URLs.
func inScopeOf(u *url.URL, v *config.Config) bool {
	if !canon.SameSite(u.Host, v.Portal.AllowedDomains) {
		return false
	}
	for _, s := range v.Portal.StartURLs {
		if su, err := url.Parse(s); err == nil && canon.EffectivePort(su) == canon.EffectivePort(u) {
			return true
		}
	}
	return false
}

// yieldToReaders, with CrawlOptions.YieldToReaders, stops the runs
// (stop, with ErrYielded) once they crawled YieldAfter and a reader waits
// for the archive; the returned func ends the watch.
func (s *crawlSession) yieldToReaders(clock Clock, stop context.CancelCauseFunc) (end func()) {
	if !s.o.YieldToReaders {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case <-done:
			return
		case <-clock.After(YieldAfter):
		}
		for {
			if archive.ReaderWaiting(s.cfg.Archive.Path) {
				s.log.Info("a reader waits for the archive: letting go of it; the next run continues where this one stopped")
				stop(ErrYielded)
				return
			}
			select {
			case <-done:
				return
			case <-clock.After(yieldPoll):
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// openFailed announces, once per portal, a session whose archive did not
// open (no archive, no outbox: best effort), unless another parc holds it.
func (s *crawlSession) openFailed(ctx context.Context, runs []*crawlRun, err error) {
	if errors.Is(err, archive.ErrLocked) {
		return
	}
	for _, r := range runs {
		if _, derr := s.nt.SendNow(ctx, runFailedEvent(r.cfg, r.started, Summary{}, err)); derr != nil {
			s.log.Error("webhook delivery", "err", derr)
		}
		observeRun(s.mon, r.cfg.Portal.Name, Summary{}, err)
	}
	s.writeMetrics()
}

// total is the session's summary and error: the portals' summaries
// added up (each in Portals when there are several), and the one run's
// error or a *PortalsError naming those that failed.
func (s *crawlSession) total(runs []*crawlRun) (Summary, error) {
	if len(runs) == 1 {
		return runs[0].sum, runs[0].err
	}
	var sum Summary
	var failed []PortalFailure
	for _, r := range runs {
		sum.add(r.sum)
		sum.Portals = append(sum.Portals, r.sum)
		if r.err != nil {
			failed = append(failed, PortalFailure{Portal: r.cfg.Portal.Name, Err: r.err})
		}
	}
	if len(failed) > 0 {
		return sum, &PortalsError{Failed: failed}
	}
	return sum, nil
}

// run crawls one portal; what it stored stays stored whatever its error.
func (c *crawlRun) run(ctx context.Context) error {
	arc := c.s.arc
	walked, err := c.walked()
	if err != nil {
		return err
	}
	fr, err := arc.Frontier(ctx, archive.FrontierOptions{Portal: c.cfg.Portal.Name, Refresh: c.s.o.Refresh, RevisitAfter: c.cfg.Crawl.RevisitAfter.D()})
	if err != nil {
		return fmt.Errorf("open frontier: %w", err)
	}
	defer fr.Close() // a run that did not finish leaves its frontier to the next
	c.sum = Summary{Ran: true, Portal: c.cfg.Portal.Name, Template: c.tmpl}
	if c.cfg.Portal.ArticleURL == "" {
		c.log.Warn("portal.article_url is not set: pages are followed as listings and none is archived as an article; set it to a regexp of the portal's article URLs")
	}
	repair, err := c.repairDue(ctx, walked)
	if err != nil {
		return err
	}
	crawlErr, err := c.crawl(ctx, fr, walked && !repair)
	if err != nil {
		return err
	}
	if c.sum.NoArticleMatched() {
		c.log.Warn("the run fetched pages but none matched portal.article_url: check the pattern against the portal's article URLs",
			"pages", c.sum.Crawl.Pages, "article_url", c.cfg.Portal.ArticleURL)
	}
	if crawlErr == nil && c.cfg.Crawl.MaxPages == 0 {
		// Only a run that drained counts as having walked the listings;
		// one stopped early leaves its queue to the next run.
		crawlErr = c.finishWalk(ctx, fr, walked)
		if crawlErr == nil && repair {
			var n int
			n, crawlErr = finishRepair(ctx, arc, fr.Run())
			c.log.Info("repair done: pages the portal no longer links forgotten", "forgotten", n)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.guard.runError(crawlErr)
}

// walkedKey is the meta key that says portal's listings were walked.
func walkedKey(portal string) string { return metaListingsWalked + "/" + portal }

// walked reports whether a run walked every listing of the portal: its
// own key says so, or, for the config's first portal, the key of parc
// before 0.5, which crawled one portal.
func (c *crawlRun) walked() (bool, error) {
	v, err := c.s.arc.GetMeta(walkedKey(c.cfg.Portal.Name))
	if err != nil || len(v) > 0 || !c.first() {
		return len(v) > 0, err
	}
	v, err = c.s.arc.GetMeta(metaListingsWalked)
	return len(v) > 0, err
}

// first reports whether the run's portal is the config's first: the one
// an archive of parc before 0.5 was written for.
func (c *crawlRun) first() bool { return c.cfg.Portal.Name == c.s.cfg.PortalNames()[0] }

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
	if !walked || !c.first() { // only parc before 0.5 lost pages so, crawling one portal
		return false, nil
	}
	articles, err := ArticleKeys(c.cfg)
	if err != nil {
		return false, err
	}
	repair, err := needsRepair(ctx, c.s.arc, articles)
	if repair {
		c.log.Warn("an earlier crawl marked pages done that it could not store: this one walks every listing to fetch them again")
	}
	return repair, err
}

// crawl runs the crawler over fr, storing what it hands over; runErr is
// the run's failure, err a failure to start it.
func (c *crawlRun) crawl(ctx context.Context, fr *archive.Frontier, walked bool) (runErr, err error) {
	w := c.s.arc.NewWriter(c.writerOptions())
	h := &pageHandler{portal: c.cfg.Portal.Name, keepRaw: c.cfg.Archive.KeepRaw.Articles(), ex: c.ex, w: w, started: c.started}
	opts := crawlerOptions(c.cfg, c.log)
	opts.Incremental = !c.s.o.Full && walked
	opts.Pace = c.s.pace
	opts.Claimed = func(u *url.URL) bool { _, ok := c.cfg.ClaimedByEarlier(u.String()); return ok }
	if c.cfg.Archive.KeepRaw.All() {
		opts.Answered = (&responseCaptures{w: w, log: c.log}).answered
	}
	var (
		front   crawler.Frontier = fr
		handler                  = h.handle
		stg     *stager
	)
	if c.tmpl.Model == nil { // no model to start with: learn one from the first pages
		stg = newStager(c, h, fr)
		front, handler = stg, stg.handle
	}
	cr, err := crawler.New(opts, front, handler)
	if err != nil {
		return nil, err
	}
	crawlCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	c.mu.Lock()
	c.guard.stop = stop
	c.cr, c.fr = cr, fr
	c.mu.Unlock()
	st, runErr := cr.Run(crawlCtx)
	if stg != nil {
		if err := stg.finish(crawlCtx, &st); err != nil && runErr == nil {
			runErr = err
		}
	}
	if err := w.Close(); err != nil && runErr == nil && c.storeFailures() == 0 {
		runErr = fmt.Errorf("store: %w", err)
	}
	c.mu.Lock()
	c.sum.Crawl = st
	c.cr = nil
	c.mu.Unlock()
	if runErr == nil && st.Pages == 0 && st.Failed > 0 {
		runErr = fmt.Errorf("%w: %d requests failed, none answered", ErrUnreachable, st.Failed)
	}
	return runErr, nil
}

// progress is what the run did so far: its crawler's stats while it
// runs (its summary's once it ended), what is queued and the summary.
func (c *crawlRun) progress() (st crawler.Stats, queued int, sum Summary) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sum = c.sum
	st = sum.Crawl
	if c.cr != nil {
		st = c.cr.Stats()
	}
	if c.fr != nil {
		queued = c.fr.Pending()
	}
	return st, queued, sum
}

// progressLine is the line of the session's progress: every portal's
// runs added up.
func (s *crawlSession) progressLine(runs []*crawlRun, elapsed time.Duration) string {
	var st crawler.Stats
	var sum Summary
	queued := 0
	for _, r := range runs {
		rst, q, rsum := r.progress()
		st.Add(rst)
		sum.add(rsum)
		queued += q
	}
	line := progressLine(st, queued, sum, elapsed)
	if len(runs) > 1 {
		line += fmt.Sprintf(" (%d portals)", len(runs))
	}
	return line
}

// writerOptions counts each stored page into the summary, prints new
// articles and queues their webhook events in the page's transaction.
func (c *crawlRun) writerOptions() archive.WriterOptions {
	wopts := archive.WriterOptions{OnResult: c.stored, PrintQueue: c.s.pr != nil}
	if c.s.nt.Enabled() {
		wopts.Outbox = func(p archive.Page, r archive.Result) []archive.OutboxItem {
			return articleEntries(c.cfg, c.s.nt, c.log, r)
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
		c.s.dl.kick()
	}
	switch r.Outcome {
	case archive.OutcomeNew:
		c.sum.New++
		if c.s.pr != nil {
			c.s.pr.kick()
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
// walk, marks the portal's listings walked.
func (c *crawlRun) finishWalk(ctx context.Context, fr *archive.Frontier, walked bool) error {
	if err := fr.Finish(ctx); err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	if walked {
		return nil
	}
	return c.s.arc.SetMeta(walkedKey(c.cfg.Portal.Name), []byte(time.Now().UTC().Format(time.RFC3339)))
}

// conclude ends the session once every portal's run ended: it judges
// each run's drift and queues its events, delivers what is due, refreshes
// the feed and records each run, then reports them to the monitor.
func (s *crawlSession) conclude(ctx context.Context, runs []*crawlRun) {
	s.dl.stop()
	if s.pr != nil {
		s.pr.stop()
	}
	for _, r := range runs {
		r.sum.Drift = judgeDrift(r.cfg, s.mon, r.sum, r.log)
		s.dropDriftedTemplate(ctx, r)
		runEvents(ctx, r.cfg, s.nt, s.arc, r.started, r.sum, r.err, r.log)
	}
	s.dl.final(ctx)
	delivered, left := s.dl.counts()
	runs[0].sum.WebhooksDelivered, runs[0].sum.WebhooksLeft = delivered, left // the session's, counted once
	if n, err := s.arc.OutboxLen(context.WithoutCancel(ctx)); err == nil {
		s.mon.SetOutboxPending(n)
	}
	if s.o.Feed != nil {
		if err := s.o.Feed.Refresh(ctx, s.arc); err != nil {
			s.log.Warn("feed not refreshed", "err", err)
		}
	}
	for _, r := range runs {
		raw, err := json.Marshal(r.sum.Record(time.Now(), r.err))
		if err == nil {
			err = s.arc.RecordRun(context.WithoutCancel(ctx), raw)
		}
		if err != nil && r.err == nil {
			r.err = fmt.Errorf("record run: %w", err)
		}
		observeRun(s.mon, r.cfg.Portal.Name, r.sum, r.err)
	}
	s.writeMetrics()
}

// writeMetrics writes the metrics file (CrawlOptions.MetricsFile), if any.
func (s *crawlSession) writeMetrics() {
	if s.o.MetricsFile == "" {
		return
	}
	if err := s.mon.WriteFile(s.o.MetricsFile); err != nil {
		s.log.Error("metrics file not written", "err", err)
	}
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
