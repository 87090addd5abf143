package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

// The defaults are the ones config.yaml and the README document for the
// crawl section (internal/config takes them from here), and they make a
// working crawler.
func TestDefaultOptions(t *testing.T) {
	o := DefaultOptions()
	want := Options{UserAgent: "parc", Delay: time.Second, Parallelism: 2, Timeout: 30 * time.Second, Retries: 3,
		MaxRedirects: 10, RespectRobots: true, MaxBodyBytes: 10 << 20, MaxLinksPerPage: 10_000, MaxNewURLsPerRun: 1_000_000, BackoffBase: time.Second, BackoffMax: time.Minute,
		MaxCrawlDelay: 30 * time.Second, SlowdownStep: 250 * time.Millisecond, SlowdownMax: time.Minute}
	if fmt.Sprintf("%+v", o) != fmt.Sprintf("%+v", want) {
		t.Errorf("DefaultOptions\n got %+v\nwant %+v", o, want)
	}
	if o.SlowdownStep != o.BackoffBase/4 || o.SlowdownMax != o.BackoffMax {
		t.Errorf("slow-down %v to %v, want BackoffBase/4 to BackoffMax", o.SlowdownStep, o.SlowdownMax)
	}
	if _, err := New(func() Options { o.StartURLs = []string{"http://x/"}; return o }(), newMemFrontier(), nil); err != nil {
		t.Errorf("the defaults with a start URL: %v", err)
	}
}

// A value that means nothing is an error, never a silent default.
func TestNewRejectsMeaninglessOptions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"no start url", func(o *Options) { o.StartURLs = nil }, "no start urls"},
		{"empty user agent", func(o *Options) { o.UserAgent = "" }, "user agent"},
		{"no parallelism", func(o *Options) { o.Parallelism = 0 }, "parallelism 0"},
		{"no timeout", func(o *Options) { o.Timeout = 0 }, "timeout 0s"},
		{"no body", func(o *Options) { o.MaxBodyBytes = 0 }, "max body bytes 0"},
		{"negative retries", func(o *Options) { o.Retries = -1 }, "retries -1"},
		{"negative redirects", func(o *Options) { o.MaxRedirects = -1 }, "max redirects -1"},
		{"negative page limit", func(o *Options) { o.MaxPages = -1 }, "max pages -1"},
		{"no links per page", func(o *Options) { o.MaxLinksPerPage = 0 }, "max links per page 0"},
		{"no new urls", func(o *Options) { o.MaxNewURLsPerRun = 0 }, "max new urls per run 0"},
		{"negative delay", func(o *Options) { o.Delay = -time.Second }, "delay -1s"},
		{"negative crawl-delay cap", func(o *Options) { o.MaxCrawlDelay = -1 }, "max crawl delay -1ns"},
		{"negative backoff", func(o *Options) { o.BackoffBase = -time.Second }, "backoff base -1s"},
		{"negative slow-down", func(o *Options) { o.SlowdownMax = -time.Second }, "slowdown max -1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			o.StartURLs = []string{"http://x/"}
			tc.change(&o)
			_, err := New(o, newMemFrontier(), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New returned %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

// MaxRedirects counts the redirects followed: 0 follows none, and the
// page fails as a redirect (not retried).
func TestMaxRedirects(t *testing.T) {
	mux := http.NewServeMux()
	var hits atomic.Int32
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<html><body><a href="/a/once.html">1</a><a href="/a/twice.html">2</a></body></html>`)
	})
	mux.HandleFunc("/a/once.html", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/a/moved.html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/a/twice.html", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/a/once.html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/a/moved.html", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<html><body><h1>moved</h1></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		max          int
		wantHandled  string // the articles handed over, by final path
		wantFailures map[failure.Kind]int
		wantRequests int32
	}{
		// home, once (refused), twice (refused)
		{0, "[]", map[failure.Kind]int{failure.Redirect: 2}, 3},
		// home, once → moved, twice → once (refused)
		{1, "[/a/moved.html]", map[failure.Kind]int{failure.Redirect: 1}, 5},
		// home, once → moved, twice → once → moved
		{2, "[/a/moved.html /a/moved.html]", map[failure.Kind]int{}, 6},
	} {
		t.Run(fmt.Sprint("max ", tc.max), func(t *testing.T) {
			hits.Store(0)
			opts := testOptions(srv.URL)
			opts.RespectRobots = false
			opts.Parallelism = 1
			opts.MaxRedirects = tc.max
			var handled []string
			fr := newMemFrontier()
			c, err := New(opts, fr, func(_ context.Context, p *Page) error {
				handled = append(handled, p.URL.Path)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			st, err := c.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(handled) != tc.wantHandled || fmt.Sprint(st.Failures) != fmt.Sprint(tc.wantFailures) {
				t.Errorf("handled %v, failures %v; want %s, %v", handled, st.Failures, tc.wantHandled, tc.wantFailures)
			}
			if n := hits.Load(); n != tc.wantRequests || st.Retries != 0 {
				t.Errorf("%d requests, %d retries; want %d, none", n, st.Retries, tc.wantRequests)
			}
		})
	}
}

// Retries 0 fetches a failing page once; BackoffBase 0 retries at once.
func TestZeroRetriesAndBackoff(t *testing.T) {
	for _, tc := range []struct {
		name             string
		retries          int
		backoff          time.Duration
		wantRequests     int32
		wantStatus       frontier.Status
		minWait, maxWait time.Duration // virtual time the crawl takes
	}{
		{"no retries", 0, time.Second, 1, frontier.StatusFailed, 0, 0},
		{"retry without backoff", 1, 0, 2, frontier.StatusDone, 0, 0},
		{"retry after the backoff", 1, 10 * time.Second, 2, frontier.StatusDone, 5 * time.Second, 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				fmt.Fprint(w, "<html><body>ok</body></html>")
			}))
			t.Cleanup(srv.Close)
			opts := testOptions(srv.URL)
			opts.RespectRobots = false
			opts.Retries = tc.retries
			opts.BackoffBase = tc.backoff
			opts.SlowdownStep, opts.SlowdownMax = 0, 0
			clock := opts.Clock.(*fastClock)
			start := clock.Now()
			fr := newMemFrontier()
			c, err := New(opts, fr, func(context.Context, *Page) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n.Load() != tc.wantRequests || fr.done[srv.URL+"/"] != tc.wantStatus {
				t.Errorf("%d requests, status %v; want %d, %v", n.Load(), fr.done[srv.URL+"/"], tc.wantRequests, tc.wantStatus)
			}
			if waited := clock.Now().Sub(start); waited < tc.minWait || waited > tc.maxWait {
				t.Errorf("virtual time passed %v, want %v to %v", waited, tc.minWait, tc.maxWait)
			}
		})
	}
}

// A slow-down step or cap of 0 turns the slow-down off.
func TestPacerWithoutSlowdown(t *testing.T) {
	for _, p := range []*pacer{newPacer(time.Second, 0, 0, time.Minute), newPacer(time.Second, 0, time.Second, 0)} {
		p.trouble("h")
		p.trouble("h")
		if got := p.gap("h"); got != time.Second {
			t.Errorf("gap after trouble %v, want the plain delay", got)
		}
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		base, max time.Duration
		attempt   int
		want      time.Duration // before jitter
	}{
		{time.Second, time.Minute, 0, time.Second},
		{time.Second, time.Minute, 3, 8 * time.Second},
		{time.Second, time.Minute, 6, time.Minute},
		{time.Second, time.Minute, 200, time.Minute},
		{time.Minute, time.Second, 0, time.Second},
		{0, time.Minute, 5, 0},
		{time.Second, 0, 1, 0},
	} {
		c := &Crawler{opts: Options{BackoffBase: tc.base, BackoffMax: tc.max}}
		for range 20 {
			if got := c.backoff(tc.attempt); got < tc.want/2 || got > tc.want {
				t.Errorf("backoff(%d) with base %v, max %v = %v, want within [%v, %v]", tc.attempt, tc.base, tc.max, got, tc.want/2, tc.want)
			}
		}
	}
}
