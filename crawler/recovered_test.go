package crawler

import (
	"net/http"
	"sync"
	"testing"

	"github.com/parc-archiver/parc/failure"
)

// Retries count as recovered only for pages a later attempt fetched: a
// page that failed every attempt is retried but not recovered.
func TestRecoveredCountsOnlyRetriesThatRecovered(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	_, srv := linkSite(t, 3, "", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		n := hits[r.URL.Path]
		mu.Unlock()
		switch {
		case r.URL.Path == "/a/0.html" && n <= 2: // recovers on the third attempt
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.URL.Path == "/a/1.html": // never recovers
			w.WriteHeader(http.StatusBadGateway)
		default:
			w.Write([]byte("<html><body><h1>" + r.URL.Path + "</h1></body></html>"))
		}
	})
	opts := testOptions(srv.URL)
	opts.Retries = 3
	st, _ := runCrawl(t, opts, newMemFrontier())
	if got := st.Retried[failure.HTTP5xx]; got != 5 {
		t.Errorf("retried %d, want 5 (2 of /a/0.html, 3 of /a/1.html)", got)
	}
	if got := st.Recovered[failure.HTTP5xx]; got != 2 || len(st.Recovered) != 1 {
		t.Errorf("recovered %v, want http-5xx 2 (only /a/0.html recovered)", st.Recovered)
	}
	if st.Failures[failure.HTTP5xx] != 1 {
		t.Errorf("failures %v, want http-5xx 1", st.Failures)
	}
}
