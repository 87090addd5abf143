package main

import (
	"context"

	"github.com/parc-archiver/parc/run"
)

func cmdCrawl(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "crawl", "crawl [--max-pages N] [--full] [--refresh] [--portal NAME]...")
	maxPages := c.fs.Int("max-pages", -1, "stop after N pages (default: crawl.max_pages)")
	full := c.fs.Bool("full", false, "walk every listing page, ignoring the incremental early stop")
	refresh := c.fs.Bool("refresh", false, "revisit archived articles with conditional requests")
	printNew := c.fs.Bool("print-new", false, "write each new article to standard output as a JSON line")
	metricsFile := c.fs.String("metrics-file", "", "after the run, write its metrics in Prometheus text format to `PATH` (atomically; for node_exporter's textfile collector)")
	c.portalFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) > 0 {
		return usagef("crawl takes no arguments, got %q", c.args)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if err := checkOutput("--metrics-file", *metricsFile, cfg.Archive.Path); err != nil {
		return err
	}
	views, err := c.selectPortals(cfg)
	if err != nil {
		return err
	}
	for _, v := range views {
		if *maxPages >= 0 {
			v.Crawl.MaxPages = *maxPages
		}
	}
	o := run.CrawlOptions{Full: *full, Refresh: *refresh, MetricsFile: *metricsFile, Progress: e.stderr, Logger: c.logger()}
	if *printNew {
		o.PrintNew = e.stdout
	}
	sum, err := run.CrawlPortals(ctx, cfg, views, o)
	sum.Report(e.stderr, err)
	return err
}
