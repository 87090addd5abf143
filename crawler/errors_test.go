package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

// deadURL is the address of a port that was listened on and closed: a
// connection to it is refused.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// stall answers a request only when the client gives up on it.
func stall(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// Each failure is counted by the kind set where it happened, and retried
// or not by that kind.
func TestFailureKinds(t *testing.T) {
	for _, tc := range []struct {
		name         string
		page         http.HandlerFunc // serves the start page; nil: no server (refused)
		timeout      time.Duration
		wantFailures map[failure.Kind]int
		wantRetried  map[failure.Kind]int
		wantRequests int32
	}{
		{
			name:         "refused connection",
			wantFailures: map[failure.Kind]int{failure.Network: 1},
			wantRetried:  map[failure.Kind]int{failure.Network: 1},
		},
		{
			name:         "body cut short",
			page:         func(w http.ResponseWriter, r *http.Request) { truncate(t, w, false) },
			wantFailures: map[failure.Kind]int{failure.Truncated: 1},
			wantRetried:  map[failure.Kind]int{failure.Truncated: 1},
			wantRequests: 2,
		},
		{
			name: "redirect loop",
			page: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/?n="+r.URL.Query().Get("n")+"1", http.StatusFound)
			},
			wantFailures: map[failure.Kind]int{failure.Redirect: 1},
			wantRetried:  map[failure.Kind]int{},
			wantRequests: 1 + 3, // the page and MaxRedirects hops, once: never retried
		},
		{
			name:         "no answer within the timeout",
			page:         stall,
			timeout:      50 * time.Millisecond,
			wantFailures: map[failure.Kind]int{failure.Timeout: 1},
			wantRetried:  map[failure.Kind]int{failure.Timeout: 1},
			wantRequests: 2,
		},
		{
			name: "body stalls past the timeout",
			page: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1000")
				fmt.Fprint(w, "<html><body>the first part")
				w.(http.Flusher).Flush()
				stall(w, r)
			},
			timeout:      50 * time.Millisecond,
			wantFailures: map[failure.Kind]int{failure.Timeout: 1},
			wantRetried:  map[failure.Kind]int{failure.Timeout: 1},
			wantRequests: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			base := deadURL(t)
			if tc.page != nil {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					requests.Add(1)
					tc.page(w, r)
				}))
				t.Cleanup(srv.Close)
				base = srv.URL
			}
			opts := testOptions(base)
			opts.RespectRobots = false
			opts.Retries = 1
			opts.MaxRedirects = 3
			if tc.timeout > 0 {
				opts.Timeout = tc.timeout
			}
			fr := newMemFrontier()
			c, err := New(opts, fr, func(context.Context, *Page) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			st, err := c.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(st.Failures, tc.wantFailures) || !maps.Equal(st.Retried, tc.wantRetried) {
				t.Errorf("failures %v, retried %v; want %v, %v", st.Failures, st.Retried, tc.wantFailures, tc.wantRetried)
			}
			if got := requests.Load(); got != tc.wantRequests {
				t.Errorf("%d requests, want %d", got, tc.wantRequests)
			}
			if got := fr.done[base+"/"]; got != frontier.StatusFailed {
				t.Errorf("page reported %v, want failed (kept for the next run)", got)
			}
		})
	}
}

// fetch returns a *FetchError whose Kind was set where the fetch failed
// and whose chain holds the cause.
func TestFetchErrorChain(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/loop" {
			http.Redirect(w, r, "/loop", http.StatusFound)
			return
		}
		truncate(t, w, true)
	}))
	t.Cleanup(srv.Close)
	dead := deadURL(t)
	for _, tc := range []struct {
		name       string
		url        string
		wantKind   failure.Kind
		wantStatus int
		wantCause  error
	}{
		{"body cut short", srv.URL + "/cut", failure.Truncated, http.StatusOK, io.ErrUnexpectedEOF},
		{"refused", dead + "/", failure.Network, 0, syscall.ECONNREFUSED},
		{"redirect loop", srv.URL + "/loop", failure.Redirect, 0, errTooManyRedirects},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			opts := testOptions(u.Scheme + "://" + u.Host)
			opts.RespectRobots = false
			c, err := New(opts, newMemFrontier(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.client, err = c.newClient(); err != nil {
				t.Fatal(err)
			}
			c.coll = c.newCollector(context.Background(), c.client)
			_, err = c.fetch(context.Background(), u, http.Header{})
			var fe *FetchError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is no *FetchError", err, err)
			}
			if fe.Kind != tc.wantKind || fe.Status != tc.wantStatus {
				t.Errorf("kind %s, status %d; want %s, %d (%v)", fe.Kind, fe.Status, tc.wantKind, tc.wantStatus, err)
			}
			if !errors.Is(err, tc.wantCause) {
				t.Errorf("%v does not wrap %v", err, tc.wantCause)
			}
			if tc.wantKind == failure.Network {
				var oe *net.OpError
				if !errors.As(err, &oe) {
					t.Errorf("%v does not wrap a *net.OpError", err)
				}
			}
		})
	}
}

func TestFetchErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  *FetchError
		want string
	}{
		{&FetchError{URL: "http://x/a", Status: 503, Kind: failure.HTTP5xx}, "http-5xx fetching http://x/a: status 503"},
		{&FetchError{URL: "http://x/a", Kind: failure.Redirect, Err: errTooManyRedirects}, "redirect fetching http://x/a: too many redirects"},
		{&FetchError{URL: "http://x/a", Status: 200, Kind: failure.Truncated, Err: io.ErrUnexpectedEOF}, "truncated fetching http://x/a: status 200: unexpected EOF"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
		if !errors.Is(tc.err, tc.err.Err) && tc.err.Err != nil {
			t.Errorf("%v does not unwrap to %v", tc.err, tc.err.Err)
		}
	}
}
