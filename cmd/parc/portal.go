package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/discover"
	"github.com/parc-archiver/parc/internal/atomicfile"
	"github.com/parc-archiver/parc/internal/config"
)

// portalSubcommands are parc portal's subcommands.
func portalSubcommands() map[string]func(ctx context.Context, e *env, args []string) error {
	return map[string]func(ctx context.Context, e *env, args []string) error{
		"add":    cmdPortalAdd,
		"rename": cmdPortalRename,
	}
}

// cmdPortal is `parc portal SUBCOMMAND`; its --help is add's.
func cmdPortal(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("portal: name a subcommand: add or rename")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		return cmdPortalAdd(ctx, e, args)
	}
	sub, ok := portalSubcommands()[args[0]]
	if !ok {
		return usagef("portal: unknown subcommand %q (add, rename)", args[0])
	}
	return sub(ctx, e, args[1:])
}

func cmdPortalAdd(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "portal add", `portal add URL [--pages N] [--dir DIR] [--force] [--config FILE]

Fetches the portal's home page and a few dozen of its pages (in scope,
politely: robots.txt and the crawl delay; nothing is archived), infers its
article_url and listing_url patterns, the selectors parc learn proposes and
its timezone, and writes DIR/NAME.yaml (NAME: the host without "www.", with
"-PORT" for a port that is not the default): one portal entry with the
keys of portal:. The crawl settings (user_agent, delay, respect_robots,
…) are those of --config, or of ./config.yaml when present, else the
defaults. Standard output: the path written. Standard error: the report
(pages fetched, patterns and the URLs they match, selector coverage, the
timezone and why). Exit 1: the site is unreachable or shows no article
pattern; 2: bad usage, or the file exists (--force overwrites it).`)
	pages := c.fs.Int("pages", discover.DefaultPages, "fetch up to `N` article pages")
	dir := c.fs.String("dir", "portals.d", "write the entry into `DIR`")
	force := c.fs.Bool("force", false, "overwrite an existing entry file")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 1 {
		return usagef("portal add takes one URL, got %d arguments", len(c.args))
	}
	if *pages < 1 {
		return usagef("--pages %d: at least 1", *pages)
	}
	cfg, err := c.loadOrDefault()
	if err != nil {
		return err
	}
	res, err := discover.Discover(ctx, discover.Options{
		URL: c.args[0], Pages: *pages, Crawl: discoverCrawl(cfg),
		DefaultTimezone: config.Default().Portal.Timezone, Logger: c.logger(),
	})
	if res != nil {
		res.WriteReport(e.stderr)
	}
	if err != nil {
		return fmt.Errorf("portal add: %w", err)
	}
	path := filepath.Join(*dir, res.Name+".yaml")
	if err := writePortalFile(path, res, *force); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "portal add: wrote %s (crawl it with parc crawl once it is in the config)\n", path)
	fmt.Fprintln(e.stdout, path)
	return nil
}

// discoverCrawl is the crawl settings of cfg for discover.
func discoverCrawl(cfg *config.Config) crawler.Options {
	o := crawler.DefaultOptions()
	cr := cfg.Crawl
	o.UserAgent, o.Delay, o.RespectRobots = cr.UserAgent, cr.Delay.D(), cr.RespectRobots
	o.Parallelism, o.Timeout, o.Retries, o.MaxRedirects = cr.Parallelism, cr.Timeout.D(), cr.Retries, cr.MaxRedirects
	o.MaxBodyBytes, o.MaxCrawlDelay, o.BackoffBase = cr.MaxBodyBytes, cr.MaxCrawlDelay.D(), cr.Backoff.D()
	return o
}

// writePortalFile writes res's entry to path atomically, refusing to
// replace a file unless force.
func writePortalFile(path string, res *discover.Result, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return usagef("portal add: %s exists (--force overwrites it)", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("portal add: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("portal add: %w", err)
	}
	_, err := atomicfile.Write(path, 0o644, func(f *os.File) error { return res.WriteYAML(f) })
	return err
}

func cmdPortalRename(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "portal rename", `portal rename OLD NEW [--config FILE] [--archive PATH]

Renames portal OLD of the archive to NEW: its entry in the archive's
portal registry, and the portal field of every record and revision it
stored (rewritten in chunks; its frontier, run records and ids stay).
Interrupted, it is finished by the next parc that opens the archive for
writing, or by running it again. Then name the portal NEW in the config.
Takes the write lock (exit 3 when a crawl holds the archive). Exit 2: OLD
is not a portal of the archive, NEW is one already, or NEW is not a
portal name (letters, digits, '-', '_', '.').`)
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 2 {
		return usagef("portal rename takes OLD and NEW, got %d arguments", len(c.args))
	}
	old, name := c.args[0], c.args[1]
	if !config.ValidPortalName(name) {
		return usagef("portal rename: %q: a portal name is letters, digits, '-', '_' and '.'", name)
	}
	cfg, err := c.loadOrDefault()
	if err != nil {
		return err
	}
	arc, err := c.openExisting(cfg)
	if err != nil {
		return err
	}
	defer arc.Close()
	err = arc.RenamePortal(ctx, old, name)
	if errors.Is(err, archive.ErrUnknownPortal) || errors.Is(err, archive.ErrPortalExists) || errors.Is(err, archive.ErrBadPortalName) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if err := arc.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "portal: %s renamed to %s in %s; name it %s in the config too\n", old, name, cfg.Archive.Path, name)
	return nil
}
