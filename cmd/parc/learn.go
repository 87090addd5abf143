package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/learn"
	"github.com/parc-archiver/parc/run"
)

// defaultLearnPages is how many article captures parc learn reads by
// default: a few dozen pages show every template a portal serves often.
const defaultLearnPages = 60

func cmdLearn(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "learn", `learn [--pages N] [--no-fetch] [--reset] [--portal NAME]

Proposes the portal's selectors from its archived article captures (the
newest capture of up to N records). With fewer than N stored, it first
crawls the portal as parc crawl does (in scope, politely, at most
`+fmt.Sprint(fetchPagesPerCapture)+`×N pages; what it fetches is archived), unless --no-fetch. Standard
output: only a YAML document whose top-level key is selectors:, to paste
under the portal entry of config.yaml. Standard error: what it fetched,
per-field coverage and the pages no selector explains.

--reset resets the portal's template model (what most of its pages
print alike, which crawls learn and apply by themselves) and proposes
nothing: the next crawl learns it again from the newest pages. It takes
the write lock (exit 3 at once when a crawl holds it).`)
	pages := c.fs.Int("pages", defaultLearnPages, "learn from up to `N` article captures")
	noFetch := c.fs.Bool("no-fetch", false, "learn from the stored captures only, fetching nothing")
	reset := c.fs.Bool("reset", false, "reset the portal's template model, for the next crawl to learn it again")
	c.waitFlag()
	c.portalFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 0 {
		return usagef("learn takes no arguments, got %q", c.args)
	}
	if *pages < 1 {
		return usagef("--pages %d: at least 1", *pages)
	}
	cfg, err := c.learnPortal()
	if err != nil {
		return err
	}
	if *reset {
		return c.resetTemplate(ctx, cfg)
	}
	in, err := c.learnInput(ctx, cfg, *pages, !*noFetch)
	if err != nil {
		return err
	}
	res, err := learn.Learn(ctx, in, learn.Options{Location: cfg.Portal.Location()})
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	res.WriteReport(e.stderr)
	return res.WriteYAML(e.stdout)
}

// resetTemplate resets the template model of cfg's portal (parc learn
// --reset).
func (c *common) resetTemplate(ctx context.Context, cfg *config.Config) error {
	arc, err := c.openExisting(cfg)
	if err != nil {
		return err
	}
	v, err := run.ResetTemplate(ctx, arc, cfg.Portal.Name, 0)
	if cerr := arc.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return fmt.Errorf("learn: --reset: %w", err)
	case v == 0:
		fmt.Fprintf(c.e.stderr, "learn: --reset: portal %s has no template model; nothing to reset\n", cfg.Portal.Name)
	default:
		fmt.Fprintf(c.e.stderr, "learn: --reset: template model %d of portal %s reset; the next crawl learns it again (parc reextract then applies it to stored pages)\n", v, cfg.Portal.Name)
	}
	return nil
}

// learnPortal loads the config and returns the view of the one portal
// parc learn works on: the config's only one, or --portal's.
func (c *common) learnPortal() (*config.Config, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, err
	}
	views, err := c.selectPortals(cfg)
	if err != nil {
		return nil, err
	}
	if len(views) > 1 {
		return nil, usagef("learn proposes one portal's selectors: give --portal NAME (one of %s)", strings.Join(cfg.PortalNames(), ", "))
	}
	return views[0], nil
}

// fetchPagesPerCapture bounds the crawl parc learn runs when the archive
// holds too few captures: listing pages count too.
const fetchPagesPerCapture = 4

// learnInput reads up to n article captures; with fewer stored and fetch
// set, it first crawls the portal (at most fetchPagesPerCapture×n pages,
// captures kept) and reads again.
func (c *common) learnInput(ctx context.Context, cfg *config.Config, n int, fetch bool) ([]learn.Page, error) {
	in, err := c.storedLearnPages(ctx, cfg, n)
	if err != nil || len(in) >= n {
		return in, err
	}
	if fetch && cfg.Archive.KeepRaw.Articles() {
		fmt.Fprintf(c.e.stderr, "learn: %d article captures stored (--pages %d): crawling the portal first (at most %d pages)\n", len(in), n, fetchPagesPerCapture*n)
		fcfg := *cfg
		fcfg.Crawl.MaxPages = fetchPagesPerCapture * n
		sum, err := run.CrawlPortals(ctx, cfg, []*config.Config{&fcfg}, run.CrawlOptions{Progress: c.e.stderr, Logger: c.logger()})
		sum.Report(c.e.stderr, err)
		if err != nil {
			return nil, fmt.Errorf("learn: fetching pages to learn from: %w", err)
		}
		if in, err = c.storedLearnPages(ctx, cfg, n); err != nil {
			return nil, err
		}
	}
	switch {
	case len(in) == 0 && !cfg.Archive.KeepRaw.Articles():
		return nil, fmt.Errorf("learn: %s keeps no captures to learn from (archive.keep_raw: false): set it to true and crawl", cfg.Archive.Path)
	case len(in) == 0:
		return nil, fmt.Errorf("learn: %s holds no article capture to learn from (crawl first)", cfg.Archive.Path)
	case len(in) < n:
		fmt.Fprintf(c.e.stderr, "learn: only %d article captures stored (--pages %d); learning from those\n", len(in), n)
	}
	return in, nil
}

// storedLearnPages reads up to n article captures from the archive; none
// when there is no archive yet.
func (c *common) storedLearnPages(ctx context.Context, cfg *config.Config, n int) ([]learn.Page, error) {
	if _, err := os.Stat(cfg.Archive.Path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	arc, err := c.openRead(cfg)
	if err != nil {
		return nil, err
	}
	defer arc.Close()
	in, err := learnPages(ctx, arc, cfg.Portal.Name, n)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	return in, nil
}

// learnPages reads the capture of up to n of portal's newest records
// (successful responses only; run.ArticlePages, as the template model is
// learned).
func learnPages(ctx context.Context, arc *archive.Archive, portal string, n int) ([]learn.Page, error) {
	caps, err := run.ArticlePages(ctx, arc, portal, n, 0)
	if err != nil {
		return nil, err
	}
	out := make([]learn.Page, 0, len(caps))
	for _, c := range caps {
		out = append(out, learn.Page{URL: c.URL, Body: c.Body, ContentType: c.Header.Get("Content-Type"), FetchedAt: c.FetchedAt})
	}
	return out, nil
}
