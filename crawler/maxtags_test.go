package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/internal/htmldoc"
)

// A page of more tags than htmldoc.MaxTags is parsed up to them (its tree
// stays bounded) and counted; the links before the cut are crawled, the
// one after it is not.
func TestPagesBeyondMaxTagsAreCutAndCounted(t *testing.T) {
	filler := strings.Repeat("<b>x</b>", htmldoc.MaxTags)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><body><a href="/a/1.html">1</a>%s<a href="/a/2.html">2</a></body></html>`, filler)
		default:
			fmt.Fprintf(w, `<html><body><h1>%s</h1></body></html>`, r.URL.Path)
		}
	}))
	defer srv.Close()
	opts := testOptions(srv.URL)
	opts.MaxBodyBytes = 4 << 20
	st, got := runCrawl(t, opts, newMemFrontier())
	if st.PagesCut != 1 {
		t.Errorf("PagesCut = %d, want 1", st.PagesCut)
	}
	if len(got) != 1 || got[0] != "/a/1.html" {
		t.Errorf("articles %v, want only /a/1.html (the other link is past the cut)", got)
	}
}
