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
	views, err := cfg.SelectPortals(o.Crawl.Portals)
	if err != nil {
		return err
	}
	o.Crawl.Monitor = Monitor(cfg, log)
	base := "http://" + o.Listener.Addr().String()
	o.Crawl.Feed = NewFeed(cfg, base+"/feed.atom", o.Crawl.Portals)
	prime(ctx, cfg, o.Crawl.Monitor, o.Crawl.Feed, log.With("component", "watch"))
	o.Crawl.YieldToReaders = true
	o.Crawl.Lender = &serve.Lender{Fallback: &serve.Opener{Path: cfg.Archive.Path, Portal: cfg.Portal.Name, Wait: 2 * time.Second, Logger: log}}
	pages, closeIndex, err := Pages(ctx, cfg, o.Crawl.Lender, o.Crawl.Portals, o.Stderr, log)
	if err != nil {
		return err
	}
	defer closeIndex()
	warnExposed(o.Stderr, o.Listener.Addr())
	srv := &http.Server{Handler: watchMux(o.Crawl.Feed, o.Crawl.Monitor, pages), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(o.Listener) }()
	sched := newSchedule(views)
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
	mux.Handle("GET /feed.atom", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("portal") {
			pages.ServeHTTP(w, r) // one portal's: rendered from the archive (package serve)
			return
		}
		feed.ServeHTTP(w, r) // every portal's: rendered after each run
	}))
	mux.Handle("GET /metrics", mon.Handler())
	mux.Handle("GET /healthz", mon.Health())
	return mux
}

// watchLoop runs a crawl every sched.tick (plus jitter), one at a time,
// of the portals and start URLs that are due, until ctx ends; the
// archive is released between runs. A failed portal run is logged (and
// announced by Crawl); the loop goes on, and its start URLs stay due. A
// run that finds the archive locked by another parc is skipped.
func watchLoop(ctx context.Context, cfg *config.Config, sched *schedule, o WatchOptions, log *slog.Logger) error {
	every := sched.tick
	for {
		start := o.Clock.Now()
		yielded := false
		if views, due := sched.due(start); len(views) > 0 {
			sum, err := CrawlPortals(ctx, cfg, views, o.Crawl)
			yielded = errors.Is(err, ErrYielded)
			sum.Report(o.Stderr, err)
			switch {
			case ctx.Err() != nil:
				return nil
			case errors.Is(err, archive.ErrLocked):
				log.Warn("archive in use by another parc process; skipping this run", "err", err)
			default:
				if err != nil && !yielded {
					log.Error("crawl failed", "err", err)
				}
				for i, v := range views {
					if !failedPortal(err, v.Portal.Name, len(views)) {
						sched.ran(due[i], start)
					}
				}
			}
		}
		wait := every - o.Clock.Now().Sub(start)
		if yielded {
			wait = yieldPause // the reader gets in; then the runs go on
		}
		if j := cfg.Watch.Jitter; j > 0 && !yielded {
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

// yieldPause is how long parc watch leaves the archive to a reader it
// yielded to before its runs go on.
const yieldPause = 3 * time.Second

// failedPortal reports whether err, the error of a crawl of n portals,
// says that portal's run failed.
func failedPortal(err error, portal string, n int) bool {
	if err == nil {
		return false
	}
	var pe *PortalsError
	if n == 1 || !errors.As(err, &pe) {
		return true
	}
	for _, f := range pe.Failed {
		if f.Portal == portal {
			return true
		}
	}
	return false
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
			mon.SetLastSuccessFor(runPortal(r, cfg), r.Finished.Time)
		}
	}
}

// runPortal is the portal of run record r: the one it names, else (a
// record of parc before 0.5) the config's first portal.
func runPortal(r runrecord.Run, cfg *config.Config) string {
	if r.Portal != "" {
		return r.Portal
	}
	return cfg.PortalNames()[0]
}

// schedule decides which portals and start URLs a watch run crawls:
// each start URL of each portal has its own interval (the portal's
// cadence, else its crawl.every); runs happen every tick, the shortest
// interval of all.
type schedule struct {
	portals []*config.Config // the portals' views, in config order
	every   map[startURL]time.Duration
	last    map[startURL]time.Time
	tick    time.Duration
}

// startURL is one start URL of one portal.
type startURL struct {
	portal, url string
}

func newSchedule(views []*config.Config) *schedule {
	s := &schedule{portals: views, every: map[startURL]time.Duration{}, last: map[startURL]time.Time{}}
	for _, v := range views {
		every := v.Crawl.Every.D()
		for _, u := range v.Portal.StartURLs {
			s.every[startURL{v.Portal.Name, u}] = every
		}
		for _, cd := range v.Watch.Cadence {
			s.every[startURL{v.Portal.Name, cd.URL}] = cd.Every.D()
		}
	}
	for _, d := range s.every {
		if s.tick == 0 || d < s.tick {
			s.tick = d
		}
	}
	return s
}

// due returns the portals with start URLs whose interval has passed at
// now, in config order, each a view crawling only those, and the start
// URLs of each. Half a tick of slack keeps a URL on its rhythm despite
// jitter and run times.
func (s *schedule) due(now time.Time) (views []*config.Config, due [][]startURL) {
	for _, v := range s.portals {
		var urls []string
		var keys []startURL
		for _, u := range v.Portal.StartURLs {
			k := startURL{v.Portal.Name, u}
			last, ok := s.last[k]
			if !ok || now.Sub(last) >= s.every[k]-s.tick/2 {
				urls = append(urls, u)
				keys = append(keys, k)
			}
		}
		if len(urls) == 0 {
			continue
		}
		run := *v
		run.Portal.StartURLs = urls
		views = append(views, &run)
		due = append(due, keys)
	}
	return views, due
}

// ran records a completed run from the start URLs given that started at t.
func (s *schedule) ran(urls []startURL, t time.Time) {
	for _, u := range urls {
		s.last[u] = t
	}
}
