package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/serve"
)

// ServeOptions configures Serve.
type ServeOptions struct {
	// Listener is where the pages are served.
	Listener net.Listener
	// Wait is how long a page waits for a crawl to release the archive
	// before it answers 503 (archive busy).
	Wait time.Duration
	// Portals are the portals shown (--portal); empty: every one.
	Portals []string
	// NoConfig: cfg is the default config, read from no file, so the
	// archive's portal names are not known (any is taken).
	NoConfig bool
	// Stderr receives the status lines.
	Stderr io.Writer
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Serve serves the archive's pages (package serve) on o.Listener until ctx
// ends, opening the archive read-only for each request only.
func Serve(ctx context.Context, cfg *config.Config, o ServeOptions) error {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if _, err := os.Stat(cfg.Archive.Path); err != nil {
		return fmt.Errorf("serve: archive %s: %w", cfg.Archive.Path, err)
	}
	src := &serve.Opener{Path: cfg.Archive.Path, Portal: cfg.Portal.Name, Wait: o.Wait, Logger: log}
	known := cfg.PortalNames()
	if o.NoConfig {
		known = nil
	}
	pages, closeIndex, err := pages(ctx, cfg, serve.Options{Source: src, Portals: o.Portals, Known: known}, o.Stderr, log)
	if err != nil {
		return err
	}
	defer closeIndex()
	warnExposed(o.Stderr, o.Listener.Addr())
	fmt.Fprintf(o.Stderr, "serve: %s at http://%s/\n", cfg.Archive.Path, o.Listener.Addr())
	return serveUntil(ctx, o.Listener, pages, log)
}

// Pages is the archive's web pages over src, as cfg describes them, of
// the portals named (none: every one), with the search index beside the
// archive, brought up to date in the background until ctx ends. Call
// closeIndex once the pages are no longer served.
func Pages(ctx context.Context, cfg *config.Config, src serve.Source, portals []string, stderr io.Writer, log *slog.Logger) (*serve.Server, func(), error) {
	return pages(ctx, cfg, serve.Options{Source: src, Portals: portals, Known: cfg.PortalNames()}, stderr, log)
}

// pages is Pages with o's Source, Portals and Known.
func pages(ctx context.Context, cfg *config.Config, o serve.Options, stderr io.Writer, log *slog.Logger) (pages *serve.Server, closeIndex func(), err error) {
	log = log.With("component", "serve")
	ix, err := serve.OpenIndex(cfg.Archive.Path, log)
	if err != nil {
		return nil, nil, err
	}
	where := serve.IndexPath(cfg.Archive.Path)
	if ix.InMemory() {
		where = "memory (" + where + " could not be written)"
	}
	fmt.Fprintf(stderr, "serve: search index in %s\n", where)
	o.Index, o.Portal, o.Version, o.Location, o.FeedEntries, o.Logger = ix, cfg.Portal.Name, config.Version, cfg.Portal.Location(), cfg.Watch.FeedEntries, log
	pages, err = serve.New(o)
	if err != nil {
		ix.Close()
		return nil, nil, err
	}
	bg, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		pages.KeepIndexed(bg)
	}()
	return pages, func() {
		stop()
		<-done
		if err := ix.Close(); err != nil {
			log.Warn("closing the search index", "err", err)
		}
	}, nil
}

// serveUntil serves h on ln until ctx ends, then shuts the server down.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		log.Warn("http server shutdown", "err", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// warnExposed says so when addr is not a loopback address: the pages have
// no authentication.
func warnExposed(w io.Writer, addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(w, "parc: warning: serving on %s, which is not a loopback address: anyone who can reach it reads the whole archive (there is no authentication)\n", addr)
}
