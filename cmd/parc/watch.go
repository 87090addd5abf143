package main

import (
	"context"
	"fmt"
	"net"

	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/run"
)

func cmdWatch(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "watch", "watch [--every D] [--listen ADDR] [--print-new] [--refresh] [--portal NAME]...")
	every := c.fs.Duration("every", 0, "time between the starts of two crawls (default crawl.every)")
	listen := c.fs.String("listen", "", "serve /feed.atom, /metrics and /healthz on `ADDR` (default watch.listen, 127.0.0.1:8080)")
	printNew := c.fs.Bool("print-new", false, "write each new article to standard output as a JSON line")
	refresh := c.fs.Bool("refresh", false, "revisit archived articles with conditional requests on every run")
	c.portalFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) > 0 {
		return usagef("watch takes no arguments, got %q", c.args)
	}
	if *every < 0 {
		return usagef("--every must be positive")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if *every > 0 {
		cfg.Crawl.Every = config.Duration(*every) // a portal's own crawl.every still wins for it
	}
	if _, err := c.selectPortals(cfg); err != nil {
		return err
	}
	if *listen != "" {
		if _, port, err := net.SplitHostPort(*listen); err != nil || port == "" {
			return usagef("--listen %q: not a host:port address", *listen)
		}
		cfg.Watch.Listen = *listen
	}
	ln, err := net.Listen("tcp", cfg.Watch.Listen)
	if err != nil {
		return fmt.Errorf("watch: listen: %w", err)
	}
	o := run.WatchOptions{Listener: ln, Clock: e.clock, Stderr: e.stderr,
		Crawl: run.CrawlOptions{Portals: c.portals, Refresh: *refresh, Progress: e.stderr, Logger: c.logger()}}
	if *printNew {
		o.Crawl.PrintNew = e.stdout
	}
	return run.Watch(ctx, cfg, o)
}
