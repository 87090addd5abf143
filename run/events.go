package run

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/notify"
)

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

// runKey identifies a run in its events' ids.
func runKey(started time.Time) string { return strconv.FormatInt(started.UnixNano(), 10) }

func runFailedEvent(cfg *config.Config, started time.Time, sum Summary, err error) notify.Event {
	ev := notify.RunEvent(notify.EventCrawlFailed, runKey(started), sum.Record(time.Now(), err), cfg.Portal.Name, time.Now())
	ev.Error = err.Error()
	return ev
}

// judgeDrift applies the drift rule to the run (the fallback share only
// when the profile has a body selector to fall back from), sets the alarm
// gauge when the run could be judged, and warns on drift.
func judgeDrift(cfg *config.Config, mon *monitor.Monitor, sum Summary, log *slog.Logger) monitor.Verdict {
	rule := monitor.Drift{Threshold: cfg.Notify.DriftThreshold, MinArticles: cfg.Notify.DriftMinArticles,
		IgnoreFallback: strings.TrimSpace(cfg.Portal.Selectors.Body) == ""}
	v := rule.Check(sum.Extraction)
	if sum.NoArticleMatched() {
		v = rule.Unmatched(sum.Extraction, sum.Crawl.Pages)
	}
	if v.Judged {
		mon.SetDriftFor(cfg.Portal.Name, v.Drifted)
	}
	if v.Drifted {
		log.Warn("extraction drift: the portal's layout has probably changed; check the profile with `parc extract --explain`",
			"reason", v.Reason, "articles", v.Counts.Articles)
	}
	return v
}

// runEvents queues the run's profile_drift and crawl.failed events (an
// interrupted run is not a failure).
func runEvents(ctx context.Context, cfg *config.Config, nt *notify.Notifier, arc *archive.Archive, started time.Time, sum Summary, runErr error, log *slog.Logger) {
	if !nt.Enabled() {
		return
	}
	var evs []notify.Event
	if sum.Drift.Drifted {
		ev := notify.RunEvent(notify.EventProfileDrift, runKey(started), sum.Record(time.Now(), runErr), cfg.Portal.Name, time.Now())
		ev.Drift = sum.Drift
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
			// The outbox cannot take it (a full disk fails the run and the
			// outbox alike): deliver it now, best effort.
			log.Error("webhook event not queued; delivering it now", "event", ev.ID, "err", err)
			if _, err := nt.SendNow(ctx, ev); err != nil {
				log.Error("webhook delivery", "event", ev.ID, "err", err)
			}
		}
	}
}

// observeRun reports portal's finished run to mon.
func observeRun(mon *monitor.Monitor, portal string, sum Summary, err error) {
	failures := sum.failures()
	mon.ObserveRun(monitor.Run{
		Portal:   portal,
		Duration: sum.Crawl.Duration, Pages: sum.Crawl.Pages,
		New: sum.New, Updated: sum.Revised, Unchanged: sum.Unchanged + sum.Crawl.NotModified,
		Duplicates: sum.Duplicates, Gone: sum.Crawl.Gone, Failures: failures,
		Extraction: sum.Extraction, Failed: err != nil && !errors.Is(err, ErrYielded),
	})
}
