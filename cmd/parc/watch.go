package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
)

func cmdWatch(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "watch", "watch [--every D] [--listen ADDR] [--print-new] [--refresh]")
	every := c.fs.Duration("every", 0, "time between the starts of two crawls (default crawl.every)")
	listen := c.fs.String("listen", "", "serve /feed.atom, /metrics and /healthz on `ADDR` (default watch.listen, 127.0.0.1:8080)")
	printNew := c.fs.Bool("print-new", false, "write each new article to standard output as a JSON line")
	refresh := c.fs.Bool("refresh", false, "revisit archived articles with conditional requests on every run")
	if err := c.parse(args); err != nil {
		return err
	}
	if c.fs.NArg() > 0 {
		return usagef("watch takes no arguments, got %q", c.fs.Args())
	}
	if *every < 0 {
		return usagef("--every must be positive")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if *every > 0 {
		cfg.Crawl.Every = config.Duration(*every)
	}
	if *listen != "" {
		cfg.Watch.Listen = *listen
	}
	log := c.logger().With("component", "watch")
	mon := newMonitor(cfg, c.logger())

	ln, err := net.Listen("tcp", cfg.Watch.Listen)
	if err != nil {
		return fmt.Errorf("watch: listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	feed := newFeedCache(cfg, base+"/feed.atom")
	prime(ctx, cfg, c, mon, feed, log)

	mux := http.NewServeMux()
	mux.Handle("GET /feed.atom", feed)
	mux.Handle("GET /metrics", mon.Handler())
	mux.Handle("GET /healthz", mon.Health())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	sched := newSchedule(cfg)
	fmt.Fprintf(e.stderr, "watch: serving %s/feed.atom, %s/metrics, %s/healthz; crawling every %s\n", base, base, base, sched.tick)

	fl := crawlFlags{printNew: *printNew, refresh: *refresh, mon: mon, feed: feed}
	runErr := watchLoop(ctx, cfg, sched, fl, c, e, log)

	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		log.Warn("http server shutdown", "err", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) && runErr == nil {
		runErr = fmt.Errorf("watch: serve: %w", err)
	}
	fmt.Fprintln(e.stderr, "watch: stopped")
	return runErr
}

// watchLoop runs a crawl every sched.tick (plus jitter), one at a time,
// from the start URLs that are due, until ctx ends. A failed run is logged
// (and announced by crawlOnce); the loop goes on, and its start URLs stay
// due. A run that finds the archive locked by another parc is skipped.
func watchLoop(ctx context.Context, cfg *config.Config, sched *schedule, fl crawlFlags, c *common, e *env, log *slog.Logger) error {
	every := sched.tick
	for {
		start := e.clock.Now()
		if due := sched.due(start); len(due) > 0 {
			run := *cfg
			run.Portal.StartURLs = due
			sum, err := crawlOnce(ctx, &run, fl, c, e)
			sum.print(e.stderr)
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
		wait := every - e.clock.Now().Sub(start)
		if j := cfg.Watch.Jitter; j > 0 {
			wait += time.Duration(rand.Float64() * j * float64(every))
		}
		if wait < 0 {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-e.clock.After(wait):
		}
	}
}

// prime fills the feed and the last-success time from the archive, if one
// exists and no crawl holds it, so that /feed.atom and /healthz are right
// before the first run ends.
func prime(ctx context.Context, cfg *config.Config, c *common, mon *monitor.Monitor, feed *feedCache, log *slog.Logger) {
	arc, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true, Portal: cfg.Portal.Name, Logger: c.logger()})
	if err != nil {
		log.Debug("no archive to read before the first run", "err", err)
		return
	}
	defer arc.Close()
	if err := feed.refresh(ctx, arc); err != nil {
		log.Warn("feed not read from the archive", "err", err)
	}
	st, err := arc.Stats(ctx)
	if err != nil {
		return
	}
	for _, raw := range st.LastRuns {
		var r struct {
			Finished string `json:"finished"`
			Error    string `json:"error"`
		}
		if json.Unmarshal(raw, &r) != nil || r.Error != "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, r.Finished); err == nil {
			mon.SetLastSuccess(t)
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
