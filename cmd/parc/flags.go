package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
)

// common holds the flags every command takes.
type common struct {
	// args are the positional arguments parse found.
	args     []string
	synopsis string
	config   string
	archive  string
	wait     time.Duration
	verbose  bool
	// recheck opens the archive with archive.Options.Recheck (verify).
	recheck bool
	// logLevel and logFormat are --log-level and --log-format, checked by
	// parse.
	logLevel, logFormat string
	// portals is --portal (portalFlag): the portals a command works on.
	portals portalNames
	fs      *flag.FlagSet
	e       *env
}

func newFlags(e *env, name, synopsis string) *common {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse prints: help to stdout, errors to stderr
	c := &common{fs: fs, e: e, synopsis: synopsis}
	fs.StringVar(&c.config, "config", "config.yaml", "config `FILE`")
	fs.StringVar(&c.archive, "archive", "", "archive `PATH` (overrides archive.path)")
	fs.BoolVar(&c.verbose, "v", false, "verbose logging (--log-level debug)")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `LEVEL`: debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", logText, "standard error as text, or json: one JSON object a line (log records, summaries and errors alike)")
	return c
}

// usage writes the command's usage and flags to w.
func (c *common) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: parc %s\n\nFlags:\n", c.synopsis)
	c.fs.SetOutput(w)
	c.fs.PrintDefaults()
	c.fs.SetOutput(io.Discard)
}

// waitFlag adds --wait, for commands that read an archive a crawl may hold.
func (c *common) waitFlag() {
	c.fs.DurationVar(&c.wait, "wait", 60*time.Second, "how long to wait for a running crawl to release the archive")
}

// parse parses args; "--help" returns errHelp, bad flags a usage error,
// and so does a negative number or duration given to any flag: no flag
// of parc's means anything below zero.
func (c *common) parse(args []string) error {
	pos, err := parseInterspersed(c.fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.usage(c.e.stdout)
		return errHelp
	}
	if err != nil {
		c.usage(c.e.stderr)
		return &usageError{err.Error()}
	}
	c.args = pos
	if err := c.checkLogFlags(); err != nil {
		return err
	}
	var bad error
	c.fs.Visit(func(f *flag.Flag) {
		if g, ok := f.Value.(flag.Getter); ok && bad == nil && negative(g.Get()) {
			bad = usagef("--%s %s: must not be negative", f.Name, f.Value)
		}
	})
	return bad
}

// parseInterspersed parses args with fs, flags before and after the
// positional arguments alike (as "parc extract page.html --url U"), and
// returns the positional ones in order; after "--" every argument is
// positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func negative(v any) bool {
	switch n := v.(type) {
	case int:
		return n < 0
	case int64:
		return n < 0
	case float64:
		return n < 0
	case time.Duration:
		return n < 0
	}
	return false
}

// loadOrDefault is load for commands that work without a config file
// (parc extract): an explicit --config must exist, the default
// ./config.yaml is read when present, and otherwise the built-in defaults
// apply.
func (c *common) loadOrDefault() (*config.Config, error) {
	explicit := false
	c.fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	if !explicit {
		if _, err := os.Stat(c.config); errors.Is(err, os.ErrNotExist) {
			cfg := config.Default()
			if c.archive != "" {
				cfg.Archive.Path = c.archive
			}
			return &cfg, nil
		}
	}
	return c.load()
}

// load reads the config file and applies --archive.
func (c *common) load() (*config.Config, error) {
	if fi, err := os.Stat(c.config); err == nil && fi.IsDir() {
		return nil, &config.Error{File: c.config, Msg: "is a directory, not a config file (use --config FILE)"}
	}
	f, err := os.Open(c.config)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &config.Error{File: c.config, Msg: "no such file (use --config FILE; `parc sim --print-config` writes one for the simulated portal)"}
		}
		return nil, &config.Error{File: c.config, Msg: err.Error()}
	}
	defer f.Close()
	cfg, err := config.Parse(f, c.config)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings() {
		c.logger().Warn("config: " + w)
	}
	if c.archive != "" {
		cfg.Archive.Path = c.archive
	}
	return cfg, nil
}

func (c *common) logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.logLevel)) // parse checked it
	if c.verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == logJSON {
		return slog.New(slog.NewJSONHandler(c.e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(c.e.stderr, opts))
}

// checkLogFlags refuses a --log-level or --log-format parc does not know.
func (c *common) checkLogFlags() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return usagef("--log-level %q: debug, info, warn or error", c.logLevel)
	}
	if c.logFormat != logText && c.logFormat != logJSON {
		return usagef("--log-format %q: text or json", c.logFormat)
	}
	return nil
}

// openRead opens the archive for reading, waiting up to --wait for a
// crawl that holds it.
func (c *common) openRead(cfg *config.Config) (*archive.Archive, error) {
	if _, err := os.Stat(cfg.Archive.Path); err != nil {
		return nil, fmt.Errorf("archive %s: %w", cfg.Archive.Path, err)
	}
	path := cfg.Archive.Path
	onWait := func() { fmt.Fprintln(c.e.stderr, "parc:", waitMessage(path, c.wait)) }
	return archive.Open(path, archive.Options{ReadOnly: true, Recheck: c.recheck, LockTimeout: c.wait, OnWait: onWait, Portal: cfg.Portal.Name, Logger: c.logger()})
}

// waitMessage says that a reader waits for the archive at path, and who
// holds it, when the writer said so (archive.Holder).
func waitMessage(path string, wait time.Duration) string {
	msg := fmt.Sprintf("waiting up to %s for %s, which another parc is writing", wait, path)
	if pid, since, ok := archive.Holder(path); ok {
		msg += fmt.Sprintf(" (pid %d, since %s)", pid, since.Local().Format(time.DateTime))
	}
	return msg + " (--wait sets how long)"
}

// readArchive is the prelude of a read-only command: --wait, the flags
// (exactly nargs arguments), the config and the archive opened for reading.
func (c *common) readArchive(args []string, nargs int) (*config.Config, *archive.Archive, error) {
	c.waitFlag()
	if err := c.parse(args); err != nil {
		return nil, nil, err
	}
	if len(c.args) != nargs {
		return nil, nil, usagef("%s takes %d argument(s), got %d", c.fs.Name(), nargs, len(c.args))
	}
	cfg, err := c.load()
	if err != nil {
		return nil, nil, err
	}
	arc, err := c.openRead(cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, arc, nil
}

// openWrite opens the archive for writing; another writer makes it fail at
// once with archive.ErrLocked, readers make it wait up to
// archive.ReaderGrace.
func (c *common) openWrite(cfg *config.Config) (*archive.Archive, error) {
	path := cfg.Archive.Path
	onWait := func() {
		fmt.Fprintf(c.e.stderr, "parc: waiting up to %s for the readers of %s (parc serve, an export) to let it go\n", archive.ReaderGrace, path)
	}
	return archive.Open(path, archive.Options{KeepRaw: cfg.Archive.KeepRaw.Articles(), Portal: cfg.Portal.Name, Logger: c.logger(), OnWait: onWait})
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// portalNames is --portal, given once per portal.
type portalNames []string

func (p *portalNames) String() string { return strings.Join(*p, ",") }

func (p *portalNames) Set(v string) error {
	if v = strings.TrimSpace(v); v == "" {
		return errors.New("a portal name, as config.yaml names it")
	}
	*p = append(*p, v)
	return nil
}

// portalFlag adds --portal, for the commands that read or write portal
// data.
func (c *common) portalFlag() {
	c.fs.Var(&c.portals, "portal", "only the portal `NAME` (repeat for several; default: every portal)")
}

// selectPortals checks --portal against cfg's portals: an unknown name
// is a usage error naming the known ones.
func (c *common) selectPortals(cfg *config.Config) ([]*config.Config, error) {
	views, err := cfg.SelectPortals(c.portals)
	if err != nil {
		return nil, usagef("--portal: %v", err)
	}
	return views, nil
}
