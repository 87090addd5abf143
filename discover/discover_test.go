package discover

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/sim"
)

func fastCrawl() crawler.Options {
	o := crawler.DefaultOptions()
	o.Delay, o.BackoffBase, o.SlowdownStep = 0, 0, 0
	return o
}

// On a generated theme: the article pattern matches every article's
// canonical URL and no listing; the listing pattern the home page and
// the categories; learn reads the article pages it fetched (at most
// --pages of them); the zone is the pages' +07:00 as Vietnam's.
func TestDiscoverGeneratedTheme(t *testing.T) {
	p := sim.New(sim.Options{Articles: 40, Seed: 5, Layout: sim.LayoutGenerated})
	srv := httptest.NewServer(p)
	defer srv.Close()
	res, err := Discover(context.Background(), Options{URL: srv.URL, Pages: 12, Crawl: fastCrawl()})
	if err != nil {
		t.Fatal(err)
	}
	article := regexp.MustCompile(res.Article.Regexp)
	listing := regexp.MustCompile(res.Listing.Regexp)
	for _, a := range p.Truth() {
		if !article.MatchString(srv.URL + a.URL) {
			t.Errorf("article_url %s misses %s", article, a.URL)
		}
		if listing.MatchString(srv.URL + a.URL) {
			t.Errorf("listing_url %s matches article %s", listing, a.URL)
		}
	}
	if !listing.MatchString(srv.URL+"/") || article.MatchString(srv.URL+"/") {
		t.Errorf("the home page: listing_url %s, article_url %s", listing, article)
	}
	if res.Learned == nil || res.ArticlePages == 0 || res.ArticlePages > 12 || res.Learned.Pages != res.ArticlePages {
		t.Errorf("learned from %d article pages (learn read %v), want 1 to 12", res.ArticlePages, res.Learned)
	}
	if res.Fetched > sampleBudget+2*12 || res.Fetched < res.ArticlePages {
		t.Errorf("%d pages fetched: more than inference needs", res.Fetched)
	}
	if res.Timezone != "Asia/Ho_Chi_Minh" || res.Name != Name(mustParse(t, srv.URL)) {
		t.Errorf("timezone %q (%s), name %q", res.Timezone, res.TimezoneWhy, res.Name)
	}
}

// A site that is not there is unreachable; one with no article pages has
// no article pattern.
func TestDiscoverFailures(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Options{Articles: 5, Seed: 1}))
	base := srv.URL
	srv.Close()
	if _, err := Discover(context.Background(), Options{URL: base, Crawl: fastCrawl()}); !errors.Is(err, ErrUnreachable) {
		t.Errorf("closed server: %v, want ErrUnreachable", err)
	}
	empty := httptest.NewServer(httpHandlerFunc(`<html><body><a href="/a">A</a> <a href="/b">B</a><p>Nothing here.</p></body></html>`))
	defer empty.Close()
	if _, err := Discover(context.Background(), Options{URL: empty.URL, Crawl: fastCrawl()}); !errors.Is(err, ErrNoArticles) {
		t.Errorf("a site of link pages: %v, want ErrNoArticles", err)
	}
}
