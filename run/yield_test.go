package run

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/sim"
)

// A run that yields to readers (parc watch) lets go of the archive for a
// reader waiting for it, once it crawled YieldAfter: the run ends with
// ErrYielded, the reader gets in, and the next run goes on where it
// stopped, losing nothing.
func TestRunYieldsTheArchiveToAWaitingReader(t *testing.T) {
	p := sim.New(sim.Options{Articles: 30, Seed: 4})
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/Tin-tuc/") || strings.HasPrefix(r.URL.Path, "/nd/") {
			once.Do(func() { close(started) })
			select { // hold the crawl until the test lets it go on
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		p.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg, err := config.Parse(strings.NewReader(p.Config(srv.URL)), "sim.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Archive.Path = t.TempDir() + "/parc.db"
	clk := &stepClock{now: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC), waits: make(chan time.Duration), fire: make(chan time.Time)}
	done := make(chan error, 1)
	go func() {
		_, err := Crawl(context.Background(), cfg, CrawlOptions{YieldToReaders: true, Clock: clk})
		done <- err
	}()
	if d := <-clk.waits; d != YieldAfter {
		t.Fatalf("the run first waits %v, want YieldAfter", d)
	}
	<-started // the run holds the archive
	waiting := make(chan struct{})
	opened := make(chan error, 1)
	go func() {
		a, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true, LockTimeout: 30 * time.Second, OnWait: func() { close(waiting) }})
		if err == nil {
			err = a.Close()
		}
		opened <- err
	}()
	<-waiting
	clk.fire <- clk.Now() // YieldAfter has passed
	if err := <-opened; err != nil {
		t.Fatalf("the waiting reader did not get in: %v", err) // the run never let go
	}
	if err := <-done; !errors.Is(err, ErrYielded) {
		t.Fatalf("run: %v, want ErrYielded", err)
	}
	close(release)
	if _, err := Crawl(context.Background(), cfg, CrawlOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, want := countRecords(t, cfg), len(p.Truth()); got != want {
		t.Errorf("after the yield and the next run: %d records for %d articles", got, want)
	}
}
