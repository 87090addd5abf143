package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// BenchmarkCrawl crawls a fresh 3 000-article simulated portal into a new
// archive per iteration (parallelism 8, delay 0, raw captures kept), in
// process, for profiling the crawl path:
//
//	go test -run '^$' -bench Crawl -benchtime 2x -cpuprofile cpu.out ./cmd/parc
//	go tool pprof -top cpu.out
//
// The simulated portal's CPU is in the profile too (package sim).
// bench/run measures parc as a separate process.
func BenchmarkCrawl(b *testing.B) {
	p := newPortal(b, sim.Options{Articles: 3000, Seed: 1}, func(cfg string) string {
		return strings.Replace(cfg, "parallelism: 4", "parallelism: 8", 1)
	})
	pages := 0
	for i := 0; b.Loop(); i++ {
		db := filepath.Join(b.TempDir(), "parc.db")
		before := p.sim.Requests().Total
		p.db = db
		p.crawl(b)
		pages += int(p.sim.Requests().Total - before)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
