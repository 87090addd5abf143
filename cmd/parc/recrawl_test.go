//go:build !race

// The race detector makes the 5 000-article first crawl take minutes on a
// 2-core machine, so this test runs only in builds without -race
// (`go test ./cmd/parc`); TestCrawlSimulatedPortalMatchesTruth measures a
// 300-article recrawl under -race as well.

package main

import (
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// Issue 5: re-crawling an unchanged portal of 5 000 articles costs a
// handful of requests (listing pages), not one per article.
func TestRecrawlUnchangedPortalIsCheap(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls 5 000 simulated articles; skipped with -short")
	}
	const articles = 5000
	p := newPortal(t, sim.Options{Articles: articles, Seed: 42}, func(cfg string) string {
		return strings.Replace(cfg, "keep_raw: true", "keep_raw: false", 1) // faster; captures are not what this measures
	})
	p.crawl(t, "--full")
	first := p.sim.Requests()
	if first.Article < articles {
		t.Fatalf("first crawl fetched %d article pages for %d articles", first.Article, articles)
	}
	summary := p.crawl(t)
	second := p.sim.Requests()
	total := second.Total - first.Total
	t.Logf("second crawl of an unchanged %d-article portal: %d requests (%d listing, %d home, %d article, %d robots)\n%s",
		articles, total, second.Listing-first.Listing, second.Home-first.Home, second.Article-first.Article, second.Robots-first.Robots, summary)
	if total >= 30 {
		t.Errorf("second crawl made %d requests, want fewer than 30", total)
	}
	if n := second.Article - first.Article; n != 0 {
		t.Errorf("second crawl refetched %d archived articles", n)
	}
}
