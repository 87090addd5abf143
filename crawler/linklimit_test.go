package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// linkPages serves pages whose links pages(path) lists; any other path is
// an article without links. It records the articles the handler got.
func linkPages(t *testing.T, pages func(path string) []string) (*httptest.Server, *[]string, Handler) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		for _, l := range pages(r.URL.Path) {
			fmt.Fprintf(&b, "<a href=%q>x</a>\n", l)
		}
		fmt.Fprintf(w, "<html><body><h1>%s</h1>%s</body></html>", r.URL.Path, b.String())
	}))
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var got []string
	h := func(_ context.Context, p *Page) error {
		mu.Lock()
		got = append(got, p.URL.Path)
		mu.Unlock()
		return nil
	}
	return srv, &got, h
}

func articleLinks(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("/a/%s%d.html", prefix, i)
	}
	return out
}

// A page's links beyond MaxLinksPerPage are counted, not queued, and not
// even resolved: a page of a million links costs MaxLinksPerPage link
// resolutions.
func TestLinksBeyondThePageLimitAreCountedNotQueued(t *testing.T) {
	const limit, links = 20, 50
	srv, got, h := linkPages(t, func(path string) []string {
		if path == "/" {
			return append(articleLinks("", links-1), "mailto:x@example.com") // a link too, though no URL
		}
		return nil
	})
	opts := testOptions(srv.URL)
	opts.MaxBodyBytes = 1 << 20
	opts.MaxLinksPerPage = limit
	c, err := New(opts, newMemFrontier(), h)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(*got)
	want := articleLinks("", limit)
	slices.Sort(want)
	if !slices.Equal(*got, want) {
		t.Errorf("articles fetched %v, want the first %d linked: %v", *got, limit, want)
	}
	if st.LinksOverPageLimit != links-limit || st.URLsOverRunLimit != 0 {
		t.Errorf("LinksOverPageLimit %d, URLsOverRunLimit %d; want %d and 0", st.LinksOverPageLimit, st.URLsOverRunLimit, links-limit)
	}
	// Each resolved root-relative link leaves two cache entries (by
	// link string, by URL): only the first limit links were resolved.
	if c.links.n > 2*limit {
		t.Errorf("%d link cache entries: more than the %d links under the limit were resolved", c.links.n, limit)
	}
}

// Once the run queued MaxNewURLsPerRun entries, links to URLs it has not
// queued are counted and dropped, on every page; links to URLs queued
// already are no new entries and are not counted.
func TestNewURLsBeyondTheRunLimitAreCountedNotQueued(t *testing.T) {
	cats := []string{"/cat/1", "/cat/2", "/cat/3"}
	srv, got, h := linkPages(t, func(path string) []string {
		switch {
		case path == "/":
			return cats
		case strings.HasPrefix(path, "/cat/"):
			return append(append([]string{"/"}, cats...), articleLinks(path[len("/cat/"):]+"-", 10)...)
		}
		return nil
	})
	opts := testOptions(srv.URL)
	opts.MaxBodyBytes = 1 << 20
	opts.MaxNewURLsPerRun = 12 // the start URL, 3 listings, 8 of the 30 articles
	fr := newMemFrontier()
	c, err := New(opts, fr, h)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(*got) != 8 || len(fr.seen) != 12 {
		t.Errorf("%d articles fetched, %d URLs queued; want 8 and 12", len(*got), len(fr.seen))
	}
	if st.URLsOverRunLimit != 30-8 || st.LinksOverPageLimit != 0 {
		t.Errorf("URLsOverRunLimit %d, LinksOverPageLimit %d; want %d and 0", st.URLsOverRunLimit, st.LinksOverPageLimit, 30-8)
	}
}
