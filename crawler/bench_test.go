package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// BenchmarkDiscover measures link discovery (walk, resolution,
// classification, pagination detection, frontier calls) on simulated
// portal pages, listings and articles, parsed once up front:
//
//	go test -run '^$' -bench Discover -benchmem ./crawler
func BenchmarkDiscover(b *testing.B) {
	const base = "http://127.0.0.1:8080"
	portal := sim.New(sim.Options{Articles: 200, Seed: 1})
	cfg := portal.Config(base)
	pattern := func(key string) *regexp.Regexp {
		m := regexp.MustCompile(`(?m)^  ` + key + `: '(.*)'$`).FindStringSubmatch(cfg)
		if m == nil {
			b.Fatalf("sim config has no %s", key)
		}
		return regexp.MustCompile(m[1])
	}
	type sample struct {
		u    *url.URL
		body []byte
		kind frontier.Kind
	}
	var pages []sample
	get := func(path string, kind frontier.Kind) {
		rec := httptest.NewRecorder()
		portal.ServeHTTP(rec, httptest.NewRequest("GET", base+path, nil))
		u, _ := url.Parse(base + path)
		pages = append(pages, sample{u, rec.Body.Bytes(), kind})
	}
	get("/", frontier.KindListing)
	for _, a := range portal.Truth()[:50] {
		get(a.URL, frontier.KindArticle)
	}
	opts := DefaultOptions()
	opts.StartURLs = []string{base + "/"}
	opts.ArticleURL, opts.ListingURL = pattern("article_url"), pattern("listing_url")
	c, err := New(opts, newMemFrontier(), nil)
	if err != nil {
		b.Fatal(err)
	}
	var docs []*Page
	for _, s := range pages {
		doc, _, err := htmldoc.Parse(s.body, "text/html; charset=utf-8")
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, &Page{Item: frontier.Item{URL: s.u.String(), Kind: s.kind}, URL: s.u, Doc: doc})
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := c.discover(ctx, docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetch measures one page fetch through the run's client and
// collector (transport wrappers, redirect policy, body read) from a
// local server, a 40 KB page per request:
//
//	go test -run '^$' -bench Fetch -benchmem ./crawler
func BenchmarkFetch(b *testing.B) {
	page := []byte("<!doctype html><html><body>" + strings.Repeat("<p>Tin tức trong ngày</p>", 1400) + "</body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	b.Cleanup(srv.Close)
	c, err := New(Options{StartURLs: []string{srv.URL + "/"}, UserAgent: "parc-bench", Parallelism: 2,
		Timeout: 10 * time.Second, MaxBodyBytes: 1 << 20, MaxRedirects: 10, MaxLinksPerPage: 10_000, MaxNewURLsPerRun: 1 << 20}, newMemFrontier(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if c.client, err = c.newClient(); err != nil {
		b.Fatal(err)
	}
	c.coll = c.newCollector(context.Background(), c.client)
	u, _ := url.Parse(srv.URL + "/a/1.html")
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		resp, err := c.fetch(context.Background(), u, http.Header{"User-Agent": {"parc-bench"}})
		if err != nil || len(resp.body) != len(page) {
			b.Fatalf("%v, %d bytes", err, len(resp.body))
		}
	}
}
