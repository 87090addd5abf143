package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/runrecord"
	"github.com/parc-archiver/parc/serve"
)

// Clock is the time source of Watch's schedule.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// WatchOptions configures Watch.
type WatchOptions struct {
	// Listener is where /feed.atom, /metrics, /healthz and the archive's
	// pages (package serve) are served.
	Listener net.Listener
	// Crawl is passed to every run (its Monitor and Feed are Watch's own).
	Crawl CrawlOptions
	// Clock drives the schedule; nil means the real clock.
	Clock Clock
	// Stderr receives the status lines and each run's summary.
	Stderr io.Writer
}

// Watch crawls cfg's portal on its schedule (crawl.every, watch.cadence,
// watch.jitter), one run at a time, holding the archive only while a run
// goes on, and serves the feed, metrics and health on o.Listener until
// ctx ends. A failed run is logged and announced; the loop goes on.
func Watch(ctx context.Context, cfg *config.Config, o WatchOptions) error {
	log := o.Crawl.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	o.Crawl.Monitor = Monitor(cfg, log)
	base := "http://" + o.Listener.Addr().String()
	o.Crawl.Feed = NewFeed(cfg, base+"/feed.atom")
	prime(ctx, cfg, o.Crawl.Monitor, o.Crawl.Feed, log.With("component", "watch"))
	o.Crawl.Lender = &serve.Lender{Fallback: &serve.Opener{Path: cfg.Archive.Path, Portal: cfg.Portal.Name, Wait: 2 * time.Second, Logger: log}}
	pages, closeIndex, err := Pages(ctx, cfg, o.Crawl.Lender, o.Stderr, log)
	if err != nil {
		return err
	}
	defer closeIndex()
	warnExposed(o.Stderr, o.Listener.Addr())
	srv := &http.Server{Handler: watchMux(o.Crawl.Feed, o.Crawl.Monitor, pages), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(o.Listener) }()
	sched := newSchedule(cfg)
	fmt.Fprintf(o.Stderr, "watch: serving %s/feed.atom, %s/metrics, %s/healthz and the archive's pages at %s/; crawling every %s\n", base, base, base, base, sched.tick)
	runErr := watchLoop(ctx, cfg, sched, o, log.With("component", "watch"))

	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		log.Warn("http server shutdown", "err", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) && runErr == nil {
		runErr = fmt.Errorf("watch: serve: %w", err)
	}
	fmt.Fprintln(o.Stderr, "watch: stopped")
	return runErr
}

func watchMux(feed *Feed, mon *monitor.Monitor, pages http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/", pages)
	mux.Handle("GET /feed.atom", feed)
	mux.Handle("GET /metrics", mon.Handler())
	mux.Handle("GET /healthz", mon.Health())
	return mux
}

// watchLoop runs a crawl every sched.tick (plus jitter), one at a time,
// from the start URLs that are due, until ctx ends. A failed run is logged
// (and announced by Crawl); the loop goes on, and its start URLs stay
// due. A run that finds the archive locked by another parc is skipped.
func watchLoop(ctx context.Context, cfg *config.Config, sched *schedule, o WatchOptions, log *slog.Logger) error {
	every := sched.tick
	for {
		start := o.Clock.Now()
		if due := sched.due(start); len(due) > 0 {
			run := *cfg
			run.Portal.StartURLs = due
			sum, err := Crawl(ctx, &run, o.Crawl)
			sum.Report(o.Stderr, err)
			switch {
			case ctx.Err() != nil:
				return nil
			case errors.Is(err, archive.ErrLocked):
				log.Warn("archive in use by another parc process; skipping this run", "err", err)
			case err != nil:
				log.Error("crawl failed", "err", err)
			default:
				sched.ran(due, start)
			}
		}
		wait := every - o.Clock.Now().Sub(start)
		if j := cfg.Watch.Jitter; j > 0 {
			wait += time.Duration(rand.Float64() * j * float64(every))
		}
		if wait < 0 {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-o.Clock.After(wait):
		}
	}
}

// prime fills the feed and the last-success time from the archive, if one
// exists and no crawl holds it, so that /feed.atom and /healthz are right
// before the first run ends.
func prime(ctx context.Context, cfg *config.Config, mon *monitor.Monitor, feed *Feed, log *slog.Logger) {
	arc, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true, Portal: cfg.Portal.Name, Logger: log})
	if err != nil {
		log.Debug("no archive to read before the first run", "err", err)
		return
	}
	defer arc.Close()
	if err := feed.Refresh(ctx, arc); err != nil {
		log.Warn("feed not read from the archive", "err", err)
	}
	st, err := arc.Stats(ctx)
	if err != nil {
		return
	}
	for _, raw := range st.LastRuns {
		if r, err := runrecord.Parse(raw); err == nil && r.OK() {
			mon.SetLastSuccess(r.Finished.Time)
		}
	}
}

// schedule decides which start URLs a watch run crawls: each has its own
// interval (watch.cadence, else crawl.every); runs happen every tick, the
// shortest interval.
type schedule struct {
	urls  []string
	every map[string]time.Duration
	last  map[string]time.Time
	tick  time.Duration
}

func newSchedule(cfg *config.Config) *schedule {
	s := &schedule{urls: cfg.Portal.StartURLs, every: map[string]time.Duration{}, last: map[string]time.Time{}, tick: cfg.Crawl.Every.D()}
	for _, u := range s.urls {
		s.every[u] = cfg.Crawl.Every.D()
	}
	for _, cd := range cfg.Watch.Cadence {
		s.every[cd.URL] = cd.Every.D()
		s.tick = min(s.tick, cd.Every.D())
	}
	return s
}

// due returns the start URLs whose interval has passed at now, in config
// order. Half a tick of slack keeps a URL on its rhythm despite jitter
// and run times.
func (s *schedule) due(now time.Time) []string {
	var out []string
	for _, u := range s.urls {
		last, ok := s.last[u]
		if !ok || now.Sub(last) >= s.every[u]-s.tick/2 {
			out = append(out, u)
		}
	}
	return out
}

// ran records a completed run from urls that started at t.
func (s *schedule) ran(urls []string, t time.Time) {
	for _, u := range urls {
		s.last[u] = t
	}
}
