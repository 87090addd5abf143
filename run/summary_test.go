package run

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/crawler"
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
