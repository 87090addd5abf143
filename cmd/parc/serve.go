package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/parc-archiver/parc/run"
)

// defaultServeListen is where parc serve listens without --listen.
const defaultServeListen = "127.0.0.1:8090"

func cmdServe(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "serve", "serve [--listen ADDR] [--wait D] [--portal NAME]...")
	listen := c.fs.String("listen", defaultServeListen, "serve the archive's pages on `ADDR`; an address other than loopback is warned about (no authentication)")
	c.fs.DurationVar(&c.wait, "wait", 2*time.Second, "how long a page waits for a running crawl to release the archive before answering 503 (archive busy)")
	c.portalFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) > 0 {
		return usagef("serve takes no arguments, got %q", c.args)
	}
	if _, port, err := net.SplitHostPort(*listen); err != nil || port == "" {
		return usagef("--listen %q: not a host:port address", *listen)
	}
	cfg, err := c.loadOrDefault()
	if err != nil {
		return err
	}
	noConfig := !c.configRead()
	if _, err := c.selectPortals(cfg); err != nil && !noConfig {
		return err // without a config, the names are the archive's, not checked
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	return run.Serve(ctx, cfg, run.ServeOptions{Listener: ln, Wait: c.wait, Portals: c.portals, NoConfig: noConfig, Stderr: e.stderr, Logger: c.logger()})
}

// configRead reports whether loadOrDefault reads a config file (else it
// takes the default config, which names no portal of the archive).
func (c *common) configRead() bool {
	explicit := false
	c.fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	_, err := os.Stat(c.config)
	return explicit || !errors.Is(err, os.ErrNotExist)
}
