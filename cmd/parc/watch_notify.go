package main

// Glue between a crawl run and package monitor (metrics, drift) and
// package notify (webhooks through the archive's outbox), shared by
// `parc crawl` and `parc watch`.

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/notify"
)

func newNotifier(cfg *config.Config, log *slog.Logger) *notify.Notifier {
	hooks := make([]notify.Webhook, len(cfg.Notify.Webhooks))
	for i, w := range cfg.Notify.Webhooks {
		hooks[i] = notify.Webhook{URL: w.URL, Secret: w.Secret}
	}
	return notify.New(notify.Options{Webhooks: hooks, UserAgent: cfg.Crawl.UserAgent, Logger: log})
}

func newMonitor(cfg *config.Config, log *slog.Logger) *monitor.Monitor {
	return monitor.New(monitor.Options{HealthMaxAge: cfg.HealthMaxAge(), Logger: log})
}

// extractionCounts is one stored article's contribution to the drift counts.
func extractionCounts(a *archive.Article) monitor.Counts {
	if a == nil {
		return monitor.Counts{}
	}
	c := monitor.Counts{Articles: 1}
	if a.Extraction == extract.MethodFallback {
		c.Fallback = 1
	}
	if a.Published.IsZero() {
		c.MissingDate = 1
	}
	if a.Byline == "" {
		c.MissingByline = 1
	}
	return c
}

// articleEvent is the event a stored page raises, if any.
func articleEvent(cfg *config.Config, r archive.Result) string {
	switch {
	case r.Record == nil:
		return ""
	case r.Outcome == archive.OutcomeNew:
		return notify.EventArticleNew
	case r.Outcome == archive.OutcomeRevised && cfg.Notify.Revisions:
		return notify.EventArticleRevised
	}
	return ""
}

func announced(cfg *config.Config, r archive.Result) bool { return articleEvent(cfg, r) != "" }

// articleEntries are the outbox entries of a stored page; it runs inside
// the archive's transaction.
func articleEntries(cfg *config.Config, nt *notify.Notifier, log *slog.Logger, r archive.Result) []archive.OutboxItem {
	ev := articleEvent(cfg, r)
	if ev == "" {
		return nil
	}
	entries, err := nt.Build(notify.ArticleEvent(ev, r.Record, cfg.Portal.Name, time.Now()))
	if err != nil {
		log.Error("webhook event not queued", "id", r.ID, "err", err)
		return nil
	}
	return outboxItems(entries)
}

// outboxItems are webhook deliveries as the archive's outbox queues them.
func outboxItems(entries []notify.Entry) []archive.OutboxItem {
	items := make([]archive.OutboxItem, len(entries))
	for i, e := range entries {
		items[i] = archive.OutboxItem{Encode: e.Encode}
	}
	return items
}

func runKey(started time.Time) string { return strconv.FormatInt(started.UnixNano(), 10) }

func runFailedEvent(cfg *config.Config, started time.Time, sum summary, err error) notify.Event {
	ev := notify.RunEvent(notify.EventCrawlFailed, runKey(started), runRecord(sum, err), cfg.Portal.Name, time.Now())
	ev.Error = err.Error()
	return ev
}

// judgeDrift applies the drift rule to the run, sets the alarm gauge when
// the run could be judged, and warns on drift.
func judgeDrift(cfg *config.Config, mon *monitor.Monitor, sum summary, log *slog.Logger) monitor.Verdict {
	v := monitor.Drift{Threshold: cfg.Notify.DriftThreshold, MinArticles: cfg.Notify.DriftMinArticles}.Check(sum.extraction)
	if v.Judged {
		mon.SetDrift(v.Drifted)
	}
	if v.Drifted {
		log.Warn("extraction drift: the portal's layout has probably changed; check the profile with `parc extract --explain`",
			"reason", v.Reason, "articles", v.Counts.Articles)
	}
	return v
}

// runEvents queues the run's profile_drift and crawl.failed events (an
// interrupted run is not a failure).
func runEvents(ctx context.Context, cfg *config.Config, nt *notify.Notifier, arc *archive.Archive, started time.Time, sum summary, runErr error, log *slog.Logger) {
	if !nt.Enabled() {
		return
	}
	var evs []notify.Event
	if sum.drift.Drifted {
		ev := notify.RunEvent(notify.EventProfileDrift, runKey(started), runRecord(sum, runErr), cfg.Portal.Name, time.Now())
		ev.Drift = sum.drift
		evs = append(evs, ev)
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		evs = append(evs, runFailedEvent(cfg, started, sum, runErr))
	}
	for _, ev := range evs {
		entries, err := nt.Build(ev)
		if err == nil {
			err = arc.Enqueue(context.WithoutCancel(ctx), outboxItems(entries))
		}
		if err != nil {
			log.Error("webhook event not queued", "event", ev.ID, "err", err)
		}
	}
}

// observeRun reports a finished run to mon and writes the metrics file.
func observeRun(mon *monitor.Monitor, sum summary, err error, metricsFile string, log *slog.Logger) {
	failures := maps.Clone(sum.crawl.Failures)
	if sum.storeErrors > 0 {
		if failures == nil {
			failures = map[failure.Kind]int{}
		}
		failures[failure.Store] += sum.storeErrors
	}
	mon.ObserveRun(monitor.Run{
		Duration: sum.crawl.Duration, Pages: sum.crawl.Pages,
		New: sum.new, Updated: sum.revised, Unchanged: sum.unchanged + sum.crawl.NotModified,
		Duplicates: sum.duplicates, Gone: sum.crawl.Gone, Failures: failures,
		Extraction: sum.extraction, Failed: err != nil,
	})
	if metricsFile != "" {
		if werr := mon.WriteFile(metricsFile); werr != nil {
			log.Error("metrics file not written", "err", werr)
		}
	}
}

// delivery sends queued webhook events while a run goes on (when pages
// are stored) and once more at its end.
type delivery struct {
	nt      *notify.Notifier
	ob      notify.Outbox
	log     *slog.Logger
	kickc   chan struct{}
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

func startDelivery(ctx context.Context, nt *notify.Notifier, ob notify.Outbox, log *slog.Logger) *delivery {
	d := &delivery{nt: nt, ob: ob, log: log, kickc: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	if !nt.Enabled() {
		close(d.stopped)
		return d
	}
	go func() {
		defer close(d.stopped)
		for {
			select {
			case <-d.kickc:
				d.deliver(ctx)
			case <-d.done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return d
}

// kick asks for a delivery pass soon; it never blocks.
func (d *delivery) kick() {
	select {
	case d.kickc <- struct{}{}:
	default:
	}
}

// stop ends the background passes and waits for the one in flight.
func (d *delivery) stop() {
	d.once.Do(func() { close(d.done) })
	<-d.stopped
}

// final is the end-of-run pass (skipped when the run was interrupted:
// what is queued goes out with the next run).
func (d *delivery) final(ctx context.Context) {
	if d.nt.Enabled() && ctx.Err() == nil {
		d.deliver(ctx)
	}
}

func (d *delivery) deliver(ctx context.Context) {
	rep, err := d.nt.Deliver(ctx, d.ob)
	if err != nil && ctx.Err() == nil {
		d.log.Error("webhook delivery", "err", err)
	}
	if rep.Failed+rep.Deferred > 0 {
		d.log.Warn("webhook deliveries left for a later run", "failed", rep.Failed, "deferred", rep.Deferred, "delivered", rep.Delivered)
	}
}

// feedCache holds the rendered /feed.atom between runs, while the archive
// is closed. It is rendered by the same code as `parc export --format atom`.
type feedCache struct {
	opts export.Options
	mu   sync.RWMutex
	body []byte
}

func newFeedCache(cfg *config.Config, selfURL string) *feedCache {
	f := &feedCache{opts: export.Options{
		Format: export.FormatAtom, Limit: cfg.Watch.FeedEntries, Version: config.Version,
		Portal: cfg.Portal.Name, FeedURL: selfURL,
	}}
	var buf bytes.Buffer
	if err := export.WriteAtom(&buf, nil, f.opts); err == nil {
		f.body = buf.Bytes()
	}
	return f
}

// refresh renders the newest records of arc.
func (f *feedCache) refresh(ctx context.Context, arc *archive.Archive) error {
	var buf bytes.Buffer
	_, err := export.Records(ctx, &buf, func(ctx context.Context, fn func([]byte) error) error {
		return arc.Records(ctx, archive.Filter{}, fn)
	}, f.opts)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.body = buf.Bytes()
	f.mu.Unlock()
	return nil
}

func (f *feedCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.RLock()
	body := f.body
	f.mu.RUnlock()
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write(body)
}
