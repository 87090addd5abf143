package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
)

func cmdCrawl(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "crawl", "crawl [--max-pages N] [--full] [--refresh]")
	maxPages := c.fs.Int("max-pages", -1, "stop after N pages (default: crawl.max_pages)")
	full := c.fs.Bool("full", false, "walk every listing page, ignoring the incremental early stop")
	refresh := c.fs.Bool("refresh", false, "revisit archived articles with conditional requests")
	printNew := c.fs.Bool("print-new", false, "write each new article to standard output as a JSON line")
	metricsFile := c.fs.String("metrics-file", "", "after the run, write its metrics in Prometheus text format to `PATH` (atomically; for node_exporter's textfile collector)")
	if err := c.parse(args); err != nil {
		return err
	}
	if c.fs.NArg() > 0 {
		return usagef("crawl takes no arguments, got %q", c.fs.Args())
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if *maxPages >= 0 {
		cfg.Crawl.MaxPages = *maxPages
	}
	sum, err := crawlOnce(ctx, cfg, crawlFlags{full: *full, refresh: *refresh, printNew: *printNew, metricsFile: *metricsFile}, c, e)
	sum.print(e.stderr)
	return err
}

type crawlFlags struct {
	full, refresh, printNew bool
	// metricsFile receives the run's metrics (--metrics-file).
	metricsFile string
	// mon accumulates metrics across runs (parc watch); nil: one per run.
	mon *monitor.Monitor
	// feed is refreshed from the archive before it is closed (parc watch).
	feed *feedCache
}

// summary is what one crawl did, printed at its end.
type summary struct {
	crawl                                          crawler.Stats
	new, revised, unchanged, duplicates, fallbacks int
	storeErrors                                    int
	ran                                            bool
	// extraction counts every article stored (any outcome), for the drift alarm.
	extraction monitor.Counts
	drift      monitor.Verdict
}

func (s summary) print(w io.Writer) {
	if !s.ran {
		return
	}
	fmt.Fprintf(w, "crawl: %d pages fetched, %d new, %d updated, %d unchanged, %d duplicates, %d failed, %d fallback extractions (%.1fs)\n",
		s.crawl.Pages, s.new, s.revised, s.unchanged+s.crawl.NotModified, s.duplicates, s.crawl.Failed+s.storeErrors, s.fallbacks, s.crawl.Duration.Seconds())
	if len(s.crawl.Failures) > 0 {
		fmt.Fprintf(w, "crawl: failures by kind (kept for the next run): %s\n", byKind(s.crawl.Failures))
	}
	if len(s.crawl.Retried) > 0 {
		fmt.Fprintf(w, "crawl: recovered by retrying, by kind: %s\n", byKind(s.crawl.Retried))
	}
	if s.crawl.Gone > 0 {
		fmt.Fprintf(w, "crawl: %d archived articles gone (404/410 or redirected home), marked gone_since\n", s.crawl.Gone)
	}
	if s.crawl.Robots+s.crawl.OffScope > 0 {
		fmt.Fprintf(w, "crawl: not fetched: %d disallowed by robots.txt, %d off scope\n", s.crawl.Robots, s.crawl.OffScope)
	}
}

// errUnreachable fails a run in which not one page could be fetched.
var errUnreachable = errors.New("portal unreachable")

// crawlOnce runs one crawl into the configured archive.
func crawlOnce(ctx context.Context, cfg *config.Config, fl crawlFlags, c *common, e *env) (sum summary, err error) {
	log := c.logger()
	started := time.Now()
	ex, err := newExtractor(cfg, false)
	if err != nil {
		return summary{}, err
	}
	nt := newNotifier(cfg, log)
	mon := fl.mon
	if mon == nil {
		mon = newMonitor(cfg, log)
	}
	arc, err := c.openWrite(cfg)
	if err != nil {
		if !errors.Is(err, archive.ErrLocked) {
			// No archive, no outbox: announce the failure once, best effort.
			sendDirect(ctx, nt, log, runFailedEvent(cfg, started, summary{}, err))
			observeRun(mon, summary{}, err, fl.metricsFile, log)
		}
		return summary{}, err
	}
	defer func() {
		if cerr := arc.Close(); cerr != nil && err == nil {
			err = cerr
		}
		observeRun(mon, sum, err, fl.metricsFile, log)
	}()
	dl := startDelivery(ctx, nt, arc, log)
	defer dl.stop()
	fr, err := arc.Frontier(ctx, archive.FrontierOptions{Refresh: fl.refresh, RevisitAfter: cfg.Crawl.RevisitAfter.D()})
	if err != nil {
		return summary{}, fmt.Errorf("open frontier: %w", err)
	}
	walked, err := arc.GetMeta("listings_walked")
	if err != nil {
		return summary{}, err
	}
	var mu sync.Mutex
	sum = summary{ran: true}
	out := &lockedWriter{w: e.stdout}
	wopts := archive.WriterOptions{OnResult: func(p archive.Page, r archive.Result, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			sum.storeErrors++
			log.Error("store failed", "url", p.URL, "err", err)
			return
		}
		sum.extraction.Add(extractionCounts(p.Article))
		if announced(cfg, r) {
			dl.kick()
		}
		switch r.Outcome {
		case archive.OutcomeNew:
			sum.new++
			if fl.printNew && r.Record != nil {
				out.jsonLine(r.Record)
			}
		case archive.OutcomeRevised:
			sum.revised++
		case archive.OutcomeUnchanged:
			sum.unchanged++
		case archive.OutcomeAlias:
			sum.duplicates++
		}
		if p.Article != nil && r.Outcome != archive.OutcomeUnchanged && p.Article.Extraction == extract.MethodFallback {
			sum.fallbacks++
		}
	}}
	if nt.Enabled() {
		wopts.Outbox = func(p archive.Page, r archive.Result) []archive.OutboxEntry {
			return articleEntries(cfg, nt, log, r)
		}
	}
	w := arc.NewWriter(wopts)
	handler := func(ctx context.Context, p *crawler.Page) error {
		return handlePage(ctx, cfg, ex, w, p)
	}
	opts := crawlerOptions(cfg, log)
	opts.Incremental = !fl.full && len(walked) > 0
	cr, err := crawler.New(opts, fr, handler)
	if err != nil {
		return summary{}, err
	}
	stopProgress := progress(e.stderr, func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("new %d, updated %d, unchanged %d", sum.new, sum.revised, sum.unchanged)
	})
	st, runErr := cr.Run(ctx)
	stopProgress()
	if err := w.Close(); err != nil && runErr == nil {
		runErr = fmt.Errorf("store: %w", err)
	}
	mu.Lock()
	sum.crawl = st
	mu.Unlock()
	if runErr == nil && st.Pages == 0 && st.Failed > 0 {
		runErr = fmt.Errorf("%w: %d requests failed, none answered", errUnreachable, st.Failed)
	}
	if runErr == nil && cfg.Crawl.MaxPages == 0 {
		if err := fr.Finish(ctx); err != nil {
			runErr = fmt.Errorf("finish run: %w", err)
		} else if len(walked) == 0 {
			if err := arc.SetMeta("listings_walked", []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
				runErr = err
			}
		}
	}
	dl.stop()
	sum.drift = judgeDrift(cfg, mon, sum, log)
	runEvents(ctx, cfg, nt, arc, started, sum, runErr, log)
	dl.final(ctx)
	if n, err := arc.OutboxLen(ctx); err == nil {
		mon.SetOutboxPending(n)
	}
	if fl.feed != nil {
		if err := fl.feed.refresh(ctx, arc); err != nil {
			log.Warn("feed not refreshed", "err", err)
		}
	}
	if err := arc.RecordRun(runRecord(sum, runErr)); err != nil && runErr == nil {
		runErr = err
	}
	if errors.Is(runErr, context.Canceled) {
		fmt.Fprintln(e.stderr, "crawl: interrupted; the next crawl continues where this one stopped")
	}
	return sum, runErr
}

func runRecord(s summary, err error) map[string]any {
	r := map[string]any{
		"finished": time.Now().UTC().Format(time.RFC3339), "pages": s.crawl.Pages, "new": s.new, "updated": s.revised,
		"unchanged": s.unchanged + s.crawl.NotModified, "duplicates": s.duplicates, "failed": s.crawl.Failed + s.storeErrors,
		"failures": s.crawl.Failures, "retried": s.crawl.Retried, "robots": s.crawl.Robots, "fallbacks": s.fallbacks, "gone": s.crawl.Gone, "seconds": s.crawl.Duration.Seconds(),
		"extraction": s.extraction,
	}
	if s.drift.Drifted {
		r["drift"] = s.drift.Reason
	}
	if err != nil {
		r["error"] = err.Error()
	}
	return r
}

// handlePage extracts an article page and submits it to the archive.
func handlePage(ctx context.Context, cfg *config.Config, ex *extract.Extractor, w *archive.Writer, p *crawler.Page) error {
	final, err := canon.Clean(nil, p.URL.String())
	if err != nil {
		return err
	}
	switch {
	case p.Status == http.StatusNotModified:
		return nil
	case p.Gone || p.Status == http.StatusNotFound || p.Status == http.StatusGone:
		// Removed (404/410, or redirected home): mark the record, never delete it.
		if _, err := w.MarkGone(ctx, p.Item.URL, p.FetchedAt); err != nil {
			if errors.Is(err, archive.ErrNotFound) {
				return fmt.Errorf("%s: %w", final, crawler.ErrUnknownPage)
			}
			return err
		}
		return nil
	case p.Doc == nil:
		return fmt.Errorf("%s: not an HTML page", final)
	}
	art, err := ex.ExtractDocument(p.Doc, extract.Input{URL: p.URL, FetchedAt: p.FetchedAt, ContentType: p.Header.Get("Content-Type")})
	if err != nil {
		return fmt.Errorf("extract %s: %w", final, err)
	}
	page := archive.Page{URL: final, Requested: p.Item.URL, Portal: cfg.Portal.Name, Article: art, FetchedAt: p.FetchedAt}
	if cfg.Archive.KeepRaw {
		page.Capture = &archive.Capture{
			URL: p.URL.String(), Method: http.MethodGet, RequestHeader: p.Request,
			Status: p.Status, Header: p.Header, Body: p.Body, FetchedAt: p.FetchedAt,
		}
	}
	return w.Submit(ctx, page)
}

func newExtractor(cfg *config.Config, explain bool) (*extract.Extractor, error) {
	s := cfg.Portal.Selectors
	return extract.New(extract.Options{
		Profile: extract.Profile{
			Title: s.Title, Published: s.Published, Modified: s.Modified, Byline: s.Byline, Body: s.Body,
			Category: s.Category, Lead: s.Lead, Tags: s.Tags, Remove: s.Remove,
		},
		Location: cfg.Portal.Location(),
		Explain:  explain,
	})
}

func crawlerOptions(cfg *config.Config, log *slog.Logger) crawler.Options {
	cr := cfg.Crawl
	def := crawler.DefaultOptions() // for what has no key: BackoffMax and the slow-down
	return crawler.Options{
		StartURLs:      cfg.Portal.StartURLs,
		AllowedDomains: cfg.Portal.AllowedDomains,
		ArticleURL:     cfg.Portal.ArticleRE(),
		ListingURL:     cfg.Portal.ListingRE(),
		UserAgent:      cr.UserAgent,
		Delay:          cr.Delay.D(),
		Parallelism:    cr.Parallelism,
		Timeout:        cr.Timeout.D(),
		Retries:        cr.Retries,
		MaxRedirects:   cr.MaxRedirects,
		RespectRobots:  cr.RespectRobots,
		MaxPages:       cr.MaxPages,
		MaxBodyBytes:   cr.MaxBodyBytes,
		MaxCrawlDelay:  cr.MaxCrawlDelay.D(),
		BackoffBase:    cr.Backoff.D(),
		BackoffMax:     def.BackoffMax,
		SlowdownStep:   max(cr.Backoff.D()/4, time.Millisecond), // the slow-down follows crawl.backoff
		SlowdownMax:    def.SlowdownMax,
		Logger:         log,
	}
}

// progress prints a status line every second while stderr is a terminal.
func progress(w io.Writer, line func() string) (stop func()) {
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(f, "\r\033[Kcrawling: %s", line())
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
