package run

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/sim"
)

// An archive hit by the store-failure defect of parc before 0.5: a first
// crawl stored the newest articles and marked the older ones done without
// storing them, and the run counted as having walked the listings.
// Incremental crawls stop at the first listing page (it shows nothing
// missing), so they never find the rest; the next crawl must walk every
// listing once, store every article and leave nothing for verify.
func TestCrawlRepairsPagesMarkedDoneButNotStored(t *testing.T) {
	ctx := context.Background()
	sp, cfg := testPortal(t, sim.Options{Articles: 120, Seed: 9, PageSize: 6}, nil)
	base := strings.TrimSuffix(cfg.Portal.StartURLs[0], "/")
	lost := storeNewestLoseTheRest(t, cfg.Archive.Path, base, sp.Truth())
	articles, err := ArticleKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := unrecorded(t, cfg.Archive.Path, articles); n != lost {
		t.Errorf("%d article pages found done without a record, %d lost", n, lost)
	}
	if _, err := Crawl(ctx, cfg, CrawlOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, want := countRecords(t, cfg), len(sp.Truth()); got != want {
		t.Fatalf("after the repairing crawl: %d records for %d articles", got, want)
	}
	if n := unrecorded(t, cfg.Archive.Path, articles); n != 0 {
		t.Errorf("after the repair %d article pages done without a record", n)
	}
	arc, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	if again, err := needsRepair(ctx, arc, articles); err != nil || again {
		t.Errorf("repair asked for again: %v %v", again, err)
	}
}

// storeNewestLoseTheRest does to a new archive at path what parc before
// 0.5 did on a full disk: the newest 60 % of the articles are stored (under
// every path that serves them), the pages of the others marked done
// without being stored, the run finished, the listings count as walked and
// the run record counts the store failures in "failed" only. It returns
// how many article pages it lost.
func storeNewestLoseTheRest(t *testing.T, path, base string, truth []sim.Article) (lost int) {
	t.Helper()
	ctx := context.Background()
	arc, err := archive.Open(path, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := arc.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	slices.SortFunc(truth, func(a, b sim.Article) int { return b.Published.Compare(a.Published) })
	keep := len(truth) * 6 / 10
	for _, a := range truth[:keep] {
		for _, p := range a.Paths {
			art := &archive.Article{Title: a.Title, Body: a.Body, Published: a.Published, Byline: a.Byline, Category: a.Category}
			if _, err := arc.Put(ctx, archive.Page{URL: base + p, Article: art, FetchedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
	}
	fr, err := arc.Frontier(ctx, archive.FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var items []frontier.Item
	for _, a := range truth[keep:] {
		for _, p := range a.Paths {
			if !strings.Contains(p, "print=") {
				items = append(items, frontier.Item{URL: base + p, Kind: frontier.KindArticle})
			}
		}
	}
	if _, err := fr.Add(ctx, items, math.MaxInt); err != nil {
		t.Fatal(err)
	}
	for {
		it, ok, err := fr.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if err := fr.Done(ctx, it, frontier.StatusDone); err != nil {
			t.Fatal(err)
		}
		lost++
	}
	if err := fr.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if err := arc.SetMeta(metaListingsWalked, []byte("2026-01-01T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if err := arc.RecordRun(ctx, []byte(`{"failed":7,"failures":{"http_5xx":2}}`)); err != nil {
		t.Fatal(err)
	}
	return lost
}

// unrecorded counts the article pages of the archive at path marked done
// without a record or failure.
func unrecorded(t *testing.T, path string, articles func(string) bool) int {
	t.Helper()
	arc, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	n, _, err := arc.Unrecorded(context.Background(), articles, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
