package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

// memFrontier is a FIFO frontier in memory.
type memFrontier struct {
	mu       sync.Mutex
	queue    []frontier.Item
	seen     map[string]bool
	archived map[string]bool
	done     map[string]frontier.Status
}

func newMemFrontier() *memFrontier {
	return &memFrontier{seen: map[string]bool{}, archived: map[string]bool{}, done: map[string]frontier.Status{}}
}

func (f *memFrontier) Add(_ context.Context, items []frontier.Item, room int) (frontier.Added, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var res frontier.Added
	for _, it := range items {
		if (it.Kind == frontier.KindArticle && f.archived[it.URL]) || f.seen[it.URL] {
			continue
		}
		if res.Queued >= room {
			res.Dropped++
			continue
		}
		if it.Kind == frontier.KindArticle {
			res.Fresh++
		}
		f.seen[it.URL] = true
		f.queue = append(f.queue, it)
		res.Queued++
	}
	return res, nil
}

func (f *memFrontier) Next(context.Context) (frontier.Item, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queue) == 0 {
		return frontier.Item{}, false, nil
	}
	it := f.queue[0]
	f.queue = f.queue[1:]
	return it, true, nil
}

func (f *memFrontier) Done(_ context.Context, it frontier.Item, st frontier.Status) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, dup := f.done[it.URL]; dup {
		return fmt.Errorf("%s reported done twice", it.URL)
	}
	f.done[it.URL] = st
	return nil
}

// fastClock advances virtual time instead of waiting.
type fastClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fastClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fastClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// site is a small portal: a home page, two listing pages, articles.
type site struct {
	hits    sync.Map // path → *atomic.Int32
	offsite atomic.Int32
	mux     *http.ServeMux
}

func (s *site) hit(path string) int {
	v, _ := s.hits.LoadOrStore(path, new(atomic.Int32))
	return int(v.(*atomic.Int32).Add(1))
}

func (s *site) count(path string) int {
	if v, ok := s.hits.Load(path); ok {
		return int(v.(*atomic.Int32).Load())
	}
	return 0
}

func newSite(t testing.TB, offsite string) (*site, *httptest.Server) {
	s := &site{mux: http.NewServeMux()}
	page := func(body string) string {
		return "<!doctype html><html><head><meta charset=utf-8><title>t</title></head><body>" + body + "</body></html>"
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n := s.hit(r.URL.Path)
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /cat/secret/\n")
		case r.URL.Path == "/":
			fmt.Fprint(w, page(`<nav><a href="/cat/news">News</a> <a href="/cat/secret/login">Admin</a> <a href="`+offsite+`/elsewhere">Other site</a></nav>
				<a href="/a/1.html?utm_source=x#top">one</a>`))
		case r.URL.Path == "/cat/news":
			p := r.URL.Query().Get("page")
			if p == "" || p == "1" {
				fmt.Fprint(w, page(`<a href="/a/1.html">1</a><a href="/a/2.html">2</a><a href="/a/flaky.html">f</a><a href="/a/limited.html">l</a>
					<div class="pagination"><a href="/cat/news?page=2">2</a></div>`))
			} else {
				fmt.Fprint(w, page(`<a href="/a/3.html">3</a><a href="/a/loop.html">loop</a><a href="/a/big.html">big</a><a href="/a/missing.html">m</a>`))
			}
		case r.URL.Path == "/a/flaky.html" && n <= 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.URL.Path == "/a/limited.html" && n == 1:
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/a/loop.html":
			http.Redirect(w, r, "/a/loop.html?n="+fmt.Sprint(n), http.StatusFound)
		case r.URL.Path == "/a/big.html":
			fmt.Fprint(w, page(strings.Repeat("x", 4096)))
		case r.URL.Path == "/a/missing.html":
			http.NotFound(w, r)
		case strings.HasPrefix(r.URL.Path, "/a/"):
			fmt.Fprint(w, page(`<h1>Article `+r.URL.Path+`</h1><p>text</p><a href="/">home</a>`))
		case strings.HasPrefix(r.URL.Path, "/cat/secret/"):
			fmt.Fprint(w, page("secret"))
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(s.mux)
	t.Cleanup(srv.Close)
	return s, srv
}

func newOffsite(t testing.TB) (*atomic.Int32, string) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	return &hits, srv.URL
}

// testOptions starts from the defaults, without the delay between
// requests, on the virtual clock.
func testOptions(base string) Options {
	o := DefaultOptions()
	o.StartURLs = []string{base + "/"}
	o.ArticleURL = regexp.MustCompile(`/a/[^/]+\.html`)
	o.ListingURL = regexp.MustCompile(`/cat/|/$`)
	o.UserAgent = "parc-test"
	o.Delay = 0
	o.Parallelism = 3
	o.Timeout = 5 * time.Second
	o.MaxBodyBytes = 2048
	o.Clock = &fastClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return o
}

func TestCrawlSite(t *testing.T) {
	offHits, off := newOffsite(t)
	s, srv := newSite(t, off)
	fr := newMemFrontier()
	var mu sync.Mutex
	got := map[string]int{}
	statuses := map[string]int{}
	opts := testOptions(srv.URL)
	opts.MaxCrawlDelay = 5 * time.Minute // Retry-After 120 is honoured
	clock := opts.Clock.(*fastClock)
	start := clock.Now()
	c, err := New(opts, fr, func(_ context.Context, p *Page) error {
		mu.Lock()
		defer mu.Unlock()
		got[p.URL.Path]++
		statuses[p.URL.Path] = p.Status
		if p.Status == 200 && (p.Doc == nil || p.Doc.Find("h1").Length() != 1) {
			t.Errorf("%s: page not parsed", p.URL)
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
	var paths []string
	for p, n := range got {
		paths = append(paths, p)
		if n != 1 {
			t.Errorf("%s handled %d times", p, n)
		}
	}
	sort.Strings(paths)
	want := []string{"/a/1.html", "/a/2.html", "/a/3.html", "/a/flaky.html", "/a/limited.html", "/a/missing.html"}
	if fmt.Sprint(paths) != fmt.Sprint(want) {
		t.Errorf("handled %v, want %v", paths, want)
	}
	if statuses["/a/missing.html"] != 404 || st.Gone != 1 {
		t.Errorf("missing article: status %d, gone %d", statuses["/a/missing.html"], st.Gone)
	}
	if n := s.count("/cat/secret/login"); n != 0 {
		t.Errorf("robots-disallowed path fetched %d times", n)
	}
	if n := offHits.Load(); n != 0 {
		t.Errorf("off-site server hit %d times", n)
	}
	if n := s.count("/a/1.html"); n != 1 {
		t.Errorf("/a/1.html fetched %d times: tracking parameters and fragments must not make a second URL", n)
	}
	if n := s.count("/a/flaky.html"); n != 3 {
		t.Errorf("flaky fetched %d times, want 3 (two 503s, then 200)", n)
	}
	if n := s.count("/a/loop.html"); n > 11 {
		t.Errorf("redirect loop cost %d requests, want at most 11", n)
	}
	if waited := clock.Now().Sub(start); waited < 120*time.Second {
		t.Errorf("virtual time passed %v: Retry-After 120 not honoured", waited)
	}
	for kind, n := range map[failure.Kind]int{failure.Redirect: 1, failure.TooLarge: 1} {
		if st.Failures[kind] != n {
			t.Errorf("failures[%s] = %d, want %d (all: %v)", kind, st.Failures[kind], n, st.Failures)
		}
	}
	if st.Robots != 1 {
		t.Errorf("robots = %d, want 1", st.Robots)
	}
	if st.Retries < 3 {
		t.Errorf("retries = %d, want at least 3", st.Retries)
	}
	for u, stt := range fr.done {
		if strings.HasSuffix(u, "/a/big.html") && stt != frontier.StatusFailed {
			t.Errorf("big page status %v, want failed", stt)
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	mux := http.NewServeMux()
	var n atomic.Int32
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	fr := newMemFrontier()
	opts := testOptions(srv.URL)
	opts.Retries = 2
	c, err := New(opts, fr, func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 3 {
		t.Errorf("%d requests, want 3 (1 + 2 retries)", n.Load())
	}
	if st.Failures[failure.HTTP5xx] != 1 || fr.done[srv.URL+"/"] != frontier.StatusFailed {
		t.Errorf("failures %v, status %v", st.Failures, fr.done[srv.URL+"/"])
	}
}

func TestIncrementalStopsPagination(t *testing.T) {
	_, off := newOffsite(t)
	s, srv := newSite(t, off)
	fr := newMemFrontier()
	for _, p := range []string{"/a/1.html", "/a/2.html", "/a/flaky.html", "/a/limited.html"} {
		fr.archived[srv.URL+p] = true
	}
	opts := testOptions(srv.URL)
	opts.Incremental = true
	c, err := New(opts, fr, func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.count("/cat/news") != 1 {
		t.Errorf("first listing page fetched %d times", s.count("/cat/news"))
	}
	if s.count("/a/3.html") != 0 || st.EarlyStops == 0 {
		t.Errorf("page 2 was followed although page 1 showed nothing new (early stops %d)", st.EarlyStops)
	}
}

func TestCancel(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			return
		}
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithCancel(context.Background())
	fr := newMemFrontier()
	opts := testOptions(srv.URL)
	c, err := New(opts, fr, func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { _, err := c.Run(ctx); done <- err }()
	cancel()
	if err := <-done; err == nil {
		t.Error("Run returned nil after cancellation")
	}
	if len(fr.done) != 0 {
		t.Errorf("a cancelled fetch was reported done: %v", fr.done)
	}
}
