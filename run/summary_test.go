package run

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/sim"
)

// The links a crawl left out for its limits get a summary line each, and
// their counts in the run record; a line only when its count is not 0.
func TestSummaryCountsLinksOverLimits(t *testing.T) {
	s := Summary{Ran: true, Crawl: crawler.Stats{LinksOverPageLimit: 30, URLsOverRunLimit: 22}}
	var b bytes.Buffer
	s.Print(&b)
	for _, want := range []string{
		"crawl: not queued: 30 links beyond crawl.max_links_per_page on their pages\n",
		"crawl: not queued: 22 links to new URLs beyond crawl.max_new_urls_per_run\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
	if r := s.Record(time.Now(), nil); r.LinksOverPageLimit != 30 || r.URLsOverRunLimit != 22 {
		t.Errorf("run record: %d links over the page limit, %d URLs over the run limit; want 30 and 22", r.LinksOverPageLimit, r.URLsOverRunLimit)
	}
	b.Reset()
	Summary{Ran: true}.Print(&b)
	if strings.Contains(b.String(), "not queued") {
		t.Errorf("summary of a run that dropped nothing:\n%s", b.String())
	}
}

// A first crawl counts cross-posts (the same article under a second URL
// of the portal, the canonical one among them) as duplicates, never as
// unchanged: nothing was archived before it. A refresh counts the
// refetched articles unchanged.
func TestFirstCrawlCountsCrossPostsAsDuplicates(t *testing.T) {
	p, cfg := testPortal(t, sim.Options{Articles: 300, Seed: 11, PageSize: 10}, nil)
	sum, err := Crawl(context.Background(), cfg, CrawlOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != len(p.Truth()) || sum.Unchanged != 0 || sum.Duplicates == 0 {
		t.Errorf("first crawl: %d new (of %d), %d unchanged, %d duplicates; want every article new, 0 unchanged, the cross-posts duplicates",
			sum.New, len(p.Truth()), sum.Unchanged, sum.Duplicates)
	}
	sum, err = Crawl(context.Background(), cfg, CrawlOptions{Refresh: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 0 || sum.Unchanged+sum.Crawl.NotModified < len(p.Truth()) {
		t.Errorf("refresh: %d new, %d unchanged, %d not modified; want every article unchanged", sum.New, sum.Unchanged, sum.Crawl.NotModified)
	}
}
