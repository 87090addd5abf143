package crawler

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

// linkSite serves a home page linking n articles, with the given robots.txt.
func linkSite(t testing.TB, n int, robotsTxt string, article http.HandlerFunc) (*site, *httptest.Server) {
	t.Helper()
	s := &site{mux: http.NewServeMux()}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.hit(r.URL.Path)
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, robotsTxt)
		case r.URL.Path == "/":
			var b strings.Builder
			for i := range n {
				fmt.Fprintf(&b, `<a href="/a/%d.html">%d</a>`, i, i)
			}
			fmt.Fprint(w, "<html><body>"+b.String()+"</body></html>")
		case strings.HasPrefix(r.URL.Path, "/a/") && article != nil:
			article(w, r)
		case strings.HasPrefix(r.URL.Path, "/a/"):
			fmt.Fprint(w, "<html><body><h1>"+r.URL.Path+"</h1><p>text</p></body></html>")
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(s.mux)
	t.Cleanup(srv.Close)
	return s, srv
}

func TestCrawlDelay(t *testing.T) {
	const pages = 6 // robots.txt is fetched apart; home + 5 articles
	for _, tc := range []struct {
		name            string
		robots          string
		delay, maxCrawl time.Duration
		wantGap         time.Duration
	}{
		{"crawl-delay honoured", "User-agent: *\nCrawl-delay: 5\n", 0, 30 * time.Second, 5 * time.Second},
		{"crawl-delay capped", "User-agent: *\nCrawl-delay: 5\n", 0, 2 * time.Second, 2 * time.Second},
		{"fractional crawl-delay", "User-agent: *\nCrawl-delay: 0.5\n", 0, 30 * time.Second, 500 * time.Millisecond},
		{"configured delay wins when longer", "User-agent: *\nCrawl-delay: 1\n", 3 * time.Second, 30 * time.Second, 3 * time.Second},
		{"crawl-delay ignored", "User-agent: *\nCrawl-delay: 5\n", 0, 0, 0},
		{"crawl-delay ignored, delay kept", "User-agent: *\nCrawl-delay: 5\n", time.Second, 0, time.Second},
		{"group for our agent", "User-agent: parc\nCrawl-delay: 4\n\nUser-agent: *\nCrawl-delay: 9\n", 0, 30 * time.Second, 4 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := linkSite(t, pages-1, tc.robots, nil)
			opts := testOptions(srv.URL)
			// One worker: with two, the fake clock races (a worker that
			// computed its wait before another's wait advanced the clock
			// adds its whole wait on top), and the crawl takes a gap too
			// many about once in a hundred runs. TestPacerReserve covers
			// the spacing of requests that several workers reserve.
			opts.Parallelism = 1
			opts.Delay = tc.delay
			opts.MaxCrawlDelay = tc.maxCrawl
			clock := opts.Clock.(*fastClock)
			start := clock.Now()
			c, err := New(opts, newMemFrontier(), func(context.Context, *Page) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			st, err := c.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.Pages != pages {
				t.Fatalf("%d pages fetched, want %d", st.Pages, pages)
			}
			// Virtual time only moves when the crawler waits: n requests
			// spaced by the gap take (n-1) gaps.
			if got, want := clock.Now().Sub(start), time.Duration(pages-1)*tc.wantGap; got != want {
				t.Errorf("crawl took %v of virtual time, want %v (gap %v)", got, want, tc.wantGap)
			}
		})
	}
}

func TestPacerSlowdown(t *testing.T) {
	const step, maxPenalty = 100 * time.Millisecond, 800 * time.Millisecond
	for _, tc := range []struct {
		name   string
		events string // t: trouble, o: ok
		want   time.Duration
	}{
		{"no trouble", "oooo", time.Second},
		{"one error", "t", time.Second + step},
		{"errors double", "ttt", time.Second + 4*step},
		{"capped", "tttttttt", time.Second + maxPenalty},
		{"success halves", "ttto", time.Second + 2*step},
		{"decays to nothing", "tttooo", time.Second},
		{"rises again", "ttoott", time.Second + 2*step},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacer(time.Second, 0, step, maxPenalty)
			for _, e := range tc.events {
				if e == 't' {
					p.trouble("h")
				} else {
					p.ok("h")
				}
			}
			if got := p.gap("h"); got != tc.want {
				t.Errorf("gap %v, want %v", got, tc.want)
			}
			if got := p.gap("other"); got != time.Second {
				t.Errorf("another host's gap %v, want the plain delay", got)
			}
		})
	}
}

func TestPacerReserve(t *testing.T) {
	p := newPacer(2*time.Second, 0, time.Second, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []time.Duration{0, 2 * time.Second, 4 * time.Second}
	for i, w := range want {
		if got := p.reserve("h", now); got != w {
			t.Errorf("reservation %d waits %v, want %v", i, got, w)
		}
	}
	if got := p.reserve("h", now.Add(time.Minute)); got != 0 {
		t.Errorf("after a long pause the next request waits %v", got)
	}
	p.trouble("h")
	p.reserve("h", now.Add(2*time.Minute))
	if got := p.reserve("h", now.Add(2*time.Minute)); got != 3*time.Second {
		t.Errorf("after trouble the gap is %v, want 3s", got)
	}
}

// Errors slow the crawl of a host down: the same pages take more virtual
// time when the host answers 503 first.
func TestAdaptiveSlowdownCrawl(t *testing.T) {
	run := func(t *testing.T, failFirst bool) time.Duration {
		var tries sync.Map
		_, srv := linkSite(t, 4, "", func(w http.ResponseWriter, r *http.Request) {
			v, _ := tries.LoadOrStore(r.URL.Path, new(atomic.Int32))
			if failFirst && v.(*atomic.Int32).Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "<html><body><h1>x</h1><p>y</p></body></html>")
		})
		opts := testOptions(srv.URL)
		opts.Parallelism = 1
		opts.Delay = time.Second
		opts.BackoffBase, opts.BackoffMax = time.Millisecond, time.Millisecond
		opts.SlowdownStep, opts.SlowdownMax = 10*time.Second, time.Minute
		clock := opts.Clock.(*fastClock)
		start := clock.Now()
		c, err := New(opts, newMemFrontier(), func(context.Context, *Page) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Failed != 0 || st.Articles != 4 {
			t.Fatalf("articles %d, failures %v", st.Articles, st.Failures)
		}
		return clock.Now().Sub(start)
	}
	calm, troubled := run(t, false), run(t, true)
	if calm != 4*time.Second {
		t.Errorf("calm crawl took %v, want 4s (5 requests 1s apart)", calm)
	}
	// 4 errors each add at least one 10s step before the retry.
	if troubled < calm+40*time.Second {
		t.Errorf("crawl with errors took %v, want at least %v: no slow-down", troubled, calm+40*time.Second)
	}
}

// truncate answers with a body cut short and closes the connection.
func truncate(t *testing.T, w http.ResponseWriter, chunked bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("no hijacker")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	body := "<html><body><h1>cut</h1><p>the first half of the text"
	if chunked {
		fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n")
		fmt.Fprintf(bw, "%x\r\n%s\r\n", len(body), body)
		fmt.Fprintf(bw, "%x\r\n%s", 100, "only part of the second chunk")
	} else {
		fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", 2*len(body), body)
	}
	bw.Flush()
}

func TestTruncatedBodies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		chunked bool
		cuts    int // responses cut short before a whole one
		wantOK  bool
	}{
		{"chunked cut once", true, 1, true},
		{"content-length cut once", false, 1, true},
		{"chunked always cut", true, 100, false},
		{"content-length always cut", false, 100, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			_, srv := linkSite(t, 1, "", func(w http.ResponseWriter, r *http.Request) {
				if int(n.Add(1)) <= tc.cuts {
					truncate(t, w, tc.chunked)
					return
				}
				fmt.Fprint(w, "<html><body><h1>whole</h1><p>the whole text</p></body></html>")
			})
			fr := newMemFrontier()
			opts := testOptions(srv.URL)
			opts.Retries = 2
			var handled []string
			var mu sync.Mutex
			c, err := New(opts, fr, func(_ context.Context, p *Page) error {
				mu.Lock()
				defer mu.Unlock()
				handled = append(handled, p.Doc.Find("h1").Text())
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			st, err := c.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			art := srv.URL + "/a/0.html"
			if tc.wantOK {
				if fmt.Sprint(handled) != "[whole]" || fr.done[art] != frontier.StatusDone || st.Retries != 1 {
					t.Errorf("handled %v, status %v, retries %d: want the whole page after one retry", handled, fr.done[art], st.Retries)
				}
				return
			}
			if len(handled) != 0 {
				t.Errorf("a truncated page reached the handler: %v", handled)
			}
			if st.Failures[failure.Truncated] != 1 || fr.done[art] != frontier.StatusFailed || n.Load() != 3 {
				t.Errorf("failures %v, status %v, %d requests: want one truncated failure after 3 requests", st.Failures, fr.done[art], n.Load())
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	var loop, admin atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /Admin/\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<html><body><a href="/a/loop.html">l</a><a href="/a/sneaky.html">s</a><a href="/a/moved.html">m</a><a href="/a/new.html">n</a></body></html>`)
	})
	mux.HandleFunc("/a/loop.html", func(w http.ResponseWriter, r *http.Request) {
		loop.Add(1)
		http.Redirect(w, r, "/a/loop.html?n="+fmt.Sprint(loop.Load()), http.StatusFound)
	})
	mux.HandleFunc("/a/sneaky.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/login", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/admin/", func(w http.ResponseWriter, r *http.Request) { admin.Add(1) })
	mux.HandleFunc("/a/moved.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusFound)
	})
	mux.HandleFunc("/a/new.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	fr := newMemFrontier()
	opts := testOptions(srv.URL)
	var gone []string
	var mu sync.Mutex
	c, err := New(opts, fr, func(_ context.Context, p *Page) error {
		mu.Lock()
		defer mu.Unlock()
		if !p.Gone {
			t.Errorf("%s handed over as an article (status %d, url %s)", p.Item.URL, p.Status, p.URL)
			return nil
		}
		gone = append(gone, p.Item.URL)
		if strings.HasSuffix(p.Item.URL, "new.html") {
			return fmt.Errorf("not archived: %w", ErrUnknownPage)
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
	if n := loop.Load(); n != 11 {
		t.Errorf("redirect loop cost %d requests, want 11 (1 + max_redirects, never retried)", n)
	}
	if fr.done[srv.URL+"/a/loop.html"] != frontier.StatusFailed || st.Failures[failure.Redirect] != 2 || st.Retries != 0 {
		t.Errorf("loop: status %v, failures %v, retries %d; want failed for the next run, not retried now, and 2 redirect failures (loop, unknown moved page)",
			fr.done[srv.URL+"/a/loop.html"], st.Failures, st.Retries)
	}
	if admin.Load() != 0 || st.Robots != 1 {
		t.Errorf("a redirect into a disallowed path: %d requests there, robots %d", admin.Load(), st.Robots)
	}
	if len(gone) != 2 || st.Gone != 1 {
		t.Errorf("gone pages %v, stats gone %d: want moved (archived) and new (unknown) handed over, 1 counted gone", gone, st.Gone)
	}
	if fr.done[srv.URL+"/a/moved.html"] != frontier.StatusDone || fr.done[srv.URL+"/a/new.html"] != frontier.StatusFailed {
		t.Errorf("moved %v, new %v: want done and failed", fr.done[srv.URL+"/a/moved.html"], fr.done[srv.URL+"/a/new.html"])
	}
}

// robots.txt answering 503 is retried, never taken as "allow everything".
func TestRobotsUnavailable(t *testing.T) {
	var robotsHits, secret atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		if robotsHits.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "<html>garbage line\nUser-agent: *\nDisallow: /secret/\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><a href="/secret/x">s</a><a href="/SECRET/y">s</a></body></html>`)
	})
	mux.HandleFunc("/secret/", func(w http.ResponseWriter, r *http.Request) { secret.Add(1) })
	mux.HandleFunc("/SECRET/", func(w http.ResponseWriter, r *http.Request) { secret.Add(1) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	opts := testOptions(srv.URL)
	opts.ListingURL = nil
	opts.ArticleURL = nil
	clock := opts.Clock.(*fastClock)
	start := clock.Now()
	c, err := New(opts, newMemFrontier(), func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if secret.Load() != 0 || st.Robots != 2 || st.Listings != 1 {
		t.Errorf("disallowed paths hit %d times; robots %d, listings %d", secret.Load(), st.Robots, st.Listings)
	}
	if robotsHits.Load() != 2 || clock.Now().Sub(start) < 7*time.Second {
		t.Errorf("robots.txt fetched %d times, %v waited: want a retry after Retry-After 7s", robotsHits.Load(), clock.Now().Sub(start))
	}
}
