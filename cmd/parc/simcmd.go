package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/run"
	"github.com/parc-archiver/parc/sim"
)

func parseLayout(s string) (sim.Layout, error) {
	switch strings.ToLower(s) {
	case "", "mixed":
		return sim.LayoutMixed, nil
	case "vieportal", "old":
		return sim.LayoutVIEPortal, nil
	case "vieapps", "ngx", "new":
		return sim.LayoutVIEApps, nil
	case "generated":
		return sim.LayoutGenerated, nil
	}
	return 0, fmt.Errorf("layout %q: want mixed, vieportal, vieapps or generated", s)
}

// serveSim starts the simulated portal on addr; stop shuts it down.
func serveSim(addr string, p *sim.Portal) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("sim: listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "sim:", err)
		}
	}()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}
	return "http://" + ln.Addr().String(), stop, nil
}

func cmdSim(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "sim", "sim [--listen ADDR] [--articles N] [--seed S] [--layout L] [--faults] [--hostile [--hostile-links N]] [--print-config | --write-config FILE]")
	listen := c.fs.String("listen", "127.0.0.1:8081", "listen `ADDR` (loopback)")
	articles := c.fs.Int("articles", 200, "number of articles")
	seed := c.fs.Int64("seed", 1, "generation seed")
	layout := c.fs.String("layout", "mixed", "mixed (older VIEPortal, newer VIEApps), vieportal, vieapps, or generated (a site theme derived from --seed; its config has no selectors)")
	faults := c.fs.Bool("faults", false, "faults mode, a flaky portal: 503s, 429s, slow and truncated responses, legacy charsets, redirect loops, …")
	hostile := c.fs.Bool("hostile", false, "hostile mode, attacks on parc's limits: gzip bombs, Retry-After: 999999999, a page of many links, a link over 8 KB (under /nd/hostile…, linked from the home page)")
	hostileLinks := c.fs.Int("hostile-links", 100_000, "links on the hostile links page (?n=N overrides it per request)")
	printConfig := c.fs.Bool("print-config", false, "print a parc config.yaml for this portal and exit")
	writeConfig := c.fs.String("write-config", "", "write a parc config.yaml for this portal to `FILE`, then serve")
	if err := c.parse(args); err != nil {
		return err
	}
	l, err := parseLayout(*layout)
	if err != nil {
		return usagef("--layout: %v", err)
	}
	if *articles < 1 || *hostileLinks < 1 {
		return usagef("--articles and --hostile-links must be at least 1")
	}
	p := sim.New(sim.Options{Articles: *articles, Seed: *seed, Layout: l, Faults: *faults, Hostile: *hostile, HostileLinks: *hostileLinks, Logger: c.logger()})
	if *printConfig {
		fmt.Fprint(e.stdout, p.Config("http://"+*listen))
		return nil
	}
	base, stop, err := serveSim(*listen, p)
	if err != nil {
		return err
	}
	defer stop()
	if *writeConfig != "" {
		if err := os.WriteFile(*writeConfig, []byte(p.Config(base)), 0o644); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	}
	fmt.Fprintf(e.stderr, "sim: serving %d articles at %s (Ctrl-C stops)\n", *articles, base)
	<-ctx.Done()
	return nil
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "demo", "demo [--keep] [--articles N]")
	keep := c.fs.Bool("keep", false, "leave the portal and the archive until interrupted")
	articles := c.fs.Int("articles", 60, "articles on the simulated portal")
	if err := c.parse(args); err != nil {
		return err
	}
	p := sim.New(sim.Options{Articles: *articles, Seed: 1})
	base, stop, err := serveSim("127.0.0.1:0", p)
	if err != nil {
		return err
	}
	defer stop()
	dir, err := os.MkdirTemp("", "parc-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	dbPath := filepath.Join(dir, "parc.db")
	if err := os.WriteFile(cfgPath, []byte(p.Config(base)), 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(e.stderr, "demo: simulated portal at %s\ndemo: config %s\ndemo: archive %s\n", base, cfgPath, dbPath)
	cc := newFlags(e, "crawl", "")
	cc.config, cc.archive = cfgPath, dbPath
	cfg, err := cc.load()
	if err != nil {
		return err
	}
	sum, err := run.Crawl(ctx, cfg, run.CrawlOptions{Progress: e.stderr, Logger: cc.logger()})
	sum.Report(e.stderr, err)
	if err != nil {
		return fmt.Errorf("demo crawl: %w", err)
	}
	if err := demoExport(ctx, cfg, e.stdout); err != nil {
		return err
	}
	if !*keep {
		fmt.Fprintln(e.stderr, "demo: done; the temporary archive is removed (--keep leaves the portal and archive running to explore)")
		return nil
	}
	fmt.Fprintf(e.stderr, "demo: portal and archive stay until Ctrl-C; try\n  go run ./cmd/parc export --config %s --format csv\n", cfgPath)
	<-ctx.Done()
	return nil
}

// demoExport prints the first three records as JSON lines.
func demoExport(ctx context.Context, cfg *config.Config, w io.Writer) error {
	arc, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer arc.Close()
	// Skip past the third record rather than stop with an error: the
	// writer flushes only a stream that ends cleanly.
	n := 0
	_, err = export.Records(ctx, w, func(ctx context.Context, fn func([]byte) error) error {
		return arc.Records(ctx, archive.Filter{}, func(raw []byte) error {
			if n == 3 {
				return nil
			}
			n++
			return fn(raw)
		})
	}, export.Options{Format: export.FormatJSONL})
	if err != nil {
		return fmt.Errorf("demo export: %w", err)
	}
	return nil
}
