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
	pages, err := Pages(cfg, src, log)
	if err != nil {
		return err
	}
	warnExposed(o.Stderr, o.Listener.Addr())
	fmt.Fprintf(o.Stderr, "serve: %s at http://%s/\n", cfg.Archive.Path, o.Listener.Addr())
	return serveUntil(ctx, o.Listener, pages, log)
}

// Pages is the archive's web pages over src, as cfg describes them.
func Pages(cfg *config.Config, src serve.Source, log *slog.Logger) (*serve.Server, error) {
	return serve.New(serve.Options{Source: src, Portal: cfg.Portal.Name, Version: config.Version,
		FeedEntries: cfg.Watch.FeedEntries, Logger: log.With("component", "serve")})
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
