package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Links longer than MaxURLBytes, written out or made long by <base href>,
// are dropped and counted before they reach the frontier; the page's other
// links are crawled.
func TestLongURLsAreDroppedAndCounted(t *testing.T) {
	long := strings.Repeat("x", 40<<10)
	var mu sync.Mutex
	var longest int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		longest = max(longest, len(r.URL.String()))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><body><a href="/a/1.html">1</a><a href="/a/%s.html">long</a><a href="/cat/base">listing</a><a href="/a/2.html">2</a></body></html>`, long)
		case "/cat/base":
			// Short hrefs that resolve against a base path of 9 KB.
			fmt.Fprintf(w, `<html><head><base href="/%s/"></head><body><a href="a/3.html">3</a></body></html>`, strings.Repeat("b", 9<<10))
		default:
			fmt.Fprintf(w, `<html><body><h1>%s</h1></body></html>`, r.URL.Path)
		}
	}))
	defer srv.Close()
	fr := newMemFrontier()
	opts := testOptions(srv.URL)
	opts.MaxBodyBytes = 1 << 20
	st, got := runCrawl(t, opts, fr)
	if st.LongURLs != 2 {
		t.Errorf("LongURLs = %d, want 2 (one written out, one through <base>)", st.LongURLs)
	}
	if st.Articles != 2 {
		t.Errorf("articles %d (%v), want /a/1.html and /a/2.html", st.Articles, got)
	}
	for u := range fr.done {
		if len(u) > MaxURLBytes {
			t.Errorf("a URL of %d bytes reached the frontier", len(u))
		}
	}
	if longest > MaxURLBytes {
		t.Errorf("the server was asked for a URL of %d bytes", longest)
	}
}
