package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

// MaxPages counts first attempts: the crawl stops handing out items at
// the limit, and what it did not start stays queued.
func TestMaxPages(t *testing.T) {
	_, srv := linkSite(t, 10, "", nil)
	fr := newMemFrontier()
	opts := testOptions(srv.URL)
	opts.MaxPages = 4
	c, err := New(opts, fr, func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages != 4 || len(fr.done) != 4 || st.Articles != 3 {
		t.Errorf("pages %d, reported done %d, articles %d; want 4, 4, 3 (home and 3 articles)", st.Pages, len(fr.done), st.Articles)
	}
	if len(fr.queue) != 7 {
		t.Errorf("%d items left queued, want 7", len(fr.queue))
	}
}

// A Handler that fails or panics fails its page only: the crawl goes on.
func TestHandlerFailures(t *testing.T) {
	_, srv := linkSite(t, 3, "", nil)
	fr := newMemFrontier()
	c, err := New(testOptions(srv.URL), fr, func(_ context.Context, p *Page) error {
		switch p.URL.Path {
		case "/a/0.html":
			return errors.New("refused")
		case "/a/1.html":
			panic("a bug")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[failure.Kind]int{failure.Handler: 1, failure.Panic: 1}
	if fmt.Sprint(st.Failures) != fmt.Sprint(want) || st.Failed != 2 {
		t.Errorf("failures %v (%d), want %v", st.Failures, st.Failed, want)
	}
	for path, want := range map[string]frontier.Status{"/a/0.html": frontier.StatusFailed, "/a/1.html": frontier.StatusFailed, "/a/2.html": frontier.StatusDone} {
		if got := fr.done[srv.URL+path]; got != want {
			t.Errorf("%s reported %v, want %v", path, got, want)
		}
	}
}

// failingFrontier fails Done for one URL.
type failingFrontier struct {
	*memFrontier
	bad string
}

func (f failingFrontier) Done(ctx context.Context, it frontier.Item, st frontier.Status) error {
	if strings.HasSuffix(it.URL, f.bad) {
		return errors.New("disk full")
	}
	return f.memFrontier.Done(ctx, it, st)
}

// A frontier error ends the run with that error, once the attempts in
// flight are over.
func TestFrontierError(t *testing.T) {
	var article atomic.Int32
	_, srv := linkSite(t, 5, "", func(w http.ResponseWriter, r *http.Request) {
		article.Add(1)
		fmt.Fprint(w, "<html><body><h1>x</h1></body></html>")
	})
	opts := testOptions(srv.URL)
	opts.Parallelism = 1
	c, err := New(opts, failingFrontier{newMemFrontier(), "/a/1.html"}, func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run returned %v, want the frontier's error", err)
	}
	if n := article.Load(); n != 2 {
		t.Errorf("%d articles fetched, want 2: nothing after the failing one", n)
	}
}
