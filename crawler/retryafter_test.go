package crawler

import (
	"net/http"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

func TestRetryAfterNeverOverflows(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0": 0, "": 0, "-5": 0, "soon": 0,
		"999999999":                     999999999 * time.Second,
		"9999999999999":                 maxRetryAfter,
		"99999999999999999999999999999": maxRetryAfter,
		"Fri, 31 Dec 2100 23:59:59 GMT": time.Date(2100, 12, 31, 23, 59, 59, 0, time.UTC).Sub(now),
		"Sat, 31 Dec 2999 23:59:59 GMT": maxRetryAfter,
		"Thu, 01 Jan 2026 00:01:00 GMT": time.Minute,
		"Wed, 31 Dec 2025 00:00:00 GMT": 0,
	} {
		if got := retryAfter(http.Header{"Retry-After": {v}}, now); got != want || got < 0 {
			t.Errorf("Retry-After %q = %v, want %v", v, got, want)
		}
	}
}

// A Retry-After longer than MaxCrawlDelay is not waited for: the page is
// deferred to the next run as a counted failure, and the host's other
// pages go on without delay.
func TestLongRetryAfterDefersThePageNotTheHost(t *testing.T) {
	for _, ra := range []string{"31", "999999999", "99999999999999999999", "Fri, 31 Dec 2100 23:59:59 GMT"} {
		t.Run(ra, func(t *testing.T) {
			_, srv := linkSite(t, 4, "", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/a/1.html" {
					w.Header().Set("Retry-After", ra)
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.Write([]byte("<html><body><h1>" + r.URL.Path + "</h1></body></html>"))
			})
			fr := newMemFrontier()
			opts := testOptions(srv.URL)
			opts.MaxCrawlDelay = 30 * time.Second
			clock := opts.Clock.(*fastClock)
			start := clock.Now()
			st, _ := runCrawl(t, opts, fr)
			if st.Articles != 3 || st.Failures[failure.HTTP5xx] != 1 {
				t.Errorf("articles %d, http-5xx failures %d; want 3 and 1", st.Articles, st.Failures[failure.HTTP5xx])
			}
			if got := fr.done[srv.URL+"/a/1.html"]; got != frontier.StatusFailed {
				t.Errorf("/a/1.html reported %v, want failed (queued again next run)", got)
			}
			if waited := clock.Now().Sub(start); waited >= opts.MaxCrawlDelay {
				t.Errorf("the run waited %v", waited)
			}
		})
	}
}
