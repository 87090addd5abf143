package crawler

import (
	"context"
	"net/url"
	"testing"
	"time"
)

// Crawlers that share a Pace space their requests to a common origin as
// one crawl would, at the longer of their delays, and never wait for each
// other on origins apart.
func TestSharedPaceSpacesOneOrigin(t *testing.T) {
	shared := NewPace()
	a := &pacer{delay: time.Second, slowStep: time.Second, slowMax: time.Minute, parallelism: 1, shared: shared}
	b := &pacer{delay: 3 * time.Second, parallelism: 1, shared: shared}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const origin = "http://portal.example:80"
	if got := a.reserve(origin, now); got != 0 {
		t.Fatalf("first request waits %v", got)
	}
	// b's longer delay now applies to the origin: a's first gap was
	// booked at its own delay, every later one at b's.
	if got := b.reserve(origin, now); got != time.Second {
		t.Errorf("b's first request waits %v, want 1s (a's booking)", got)
	}
	if got := a.reserve(origin, now); got != 4*time.Second {
		t.Errorf("a's second request waits %v, want 4s (b's delay of 3s after b's start)", got)
	}
	if got := b.reserve("http://other.example:80", now); got != 0 {
		t.Errorf("a request to another origin waits %v", got)
	}
	a.trouble(origin)
	if g := b.gap(origin); g <= 3*time.Second {
		t.Errorf("after a's trouble b's gap is %v: the slow-down is not shared", g)
	}
}

// The requests in flight to one origin are bounded by the parallelism of
// the first crawler that reached it, whichever crawler asks.
func TestSharedPaceBoundsRequestsInFlight(t *testing.T) {
	shared := NewPace()
	a := &pacer{parallelism: 2, shared: shared}
	b := &pacer{parallelism: 5, shared: shared}
	const origin = "https://portal.example:443"
	var releases []func()
	for _, p := range []*pacer{a, b} {
		release, ok := p.acquire(context.Background(), origin)
		if !ok {
			t.Fatal("a free slot was refused")
		}
		releases = append(releases, release)
	}
	full, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := b.acquire(full, origin); ok {
		t.Fatal("a third request got in flight past a parallelism of 2")
	}
	releases[0]()
	if release, ok := b.acquire(context.Background(), origin); !ok {
		t.Fatal("a released slot was not handed on")
	} else {
		release()
	}
	if release, ok := a.acquire(context.Background(), "https://elsewhere.example:443"); !ok {
		t.Fatal("another origin's slot was refused")
	} else {
		release()
	}
}

func TestOriginOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://Portal.example/a", "http://portal.example:80"},
		{"http://portal.example:80/a", "http://portal.example:80"},
		{"https://portal.example/a", "https://portal.example:443"},
		{"http://127.0.0.2:8081/a", "http://127.0.0.2:8081"},
		{"http://127.0.0.1:8081/a", "http://127.0.0.1:8081"},
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := originOf(u); got != tc.want {
			t.Errorf("originOf(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// URLs another portal claims are off scope: never fetched.
func TestClaimedURLsAreNotFetched(t *testing.T) {
	s, srv := linkSite(t, 4, "", nil)
	opts := testOptions(srv.URL)
	opts.Claimed = func(u *url.URL) bool { return u.Path == "/a/1.html" || u.Path == "/a/2.html" }
	c, err := New(opts, newMemFrontier(), func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.count("/a/1.html") != 0 || s.count("/a/2.html") != 0 {
		t.Error("a claimed URL was fetched")
	}
	if s.count("/a/0.html") != 1 || s.count("/a/3.html") != 1 {
		t.Error("an unclaimed article was not fetched once")
	}
	if st.Articles != 2 {
		t.Errorf("%d articles handed over, want 2", st.Articles)
	}
}
