package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// The wire tap records each hop as it went over the wire: the server
// receives the Accept-Encoding the exchange says was sent and never the
// private slot mark; a gzip answer's compressed bytes are kept while the
// page gets the decoded body (and the size limit applies to it); a
// redirect's hop comes first.
func TestWireTapRecordsTheExchange(t *testing.T) {
	page := strings.Repeat("<p>Tập đoàn Hóa chất</p>", 300)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(page))
	zw.Close()
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" { // asked by the redirect policy, not tapped
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		h := r.Header.Clone()
		h.Set("X-Test-Path", r.URL.Path)
		seen = append(seen, h)
		mu.Unlock()
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	t.Cleanup(srv.Close)
	opts := DefaultOptions()
	opts.StartURLs = []string{srv.URL + "/"}
	opts.UserAgent = "parc-test"
	c, err := New(opts, newMemFrontier(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int64{1 << 20, 100} {
		c.opts.MaxBodyBytes = limit
		if c.client, err = c.newClient(); err != nil {
			t.Fatal(err)
		}
		c.coll = c.newCollector(context.Background(), c.client)
		seen = nil
		u, _ := url.Parse(srv.URL + "/old")
		resp, err := c.fetch(context.Background(), u, http.Header{"User-Agent": {"parc-test"}})
		if err != nil {
			t.Fatal(err)
		}
		want := page
		if limit < int64(len(page)) {
			want = page[:limit+1]
		}
		if string(resp.body) != want {
			t.Errorf("limit %d: body of %d bytes, want %d decoded", limit, len(resp.body), len(want))
		}
		if len(resp.hops) != 2 || resp.hops[0].Status != http.StatusMovedPermanently || resp.hops[1].Status != http.StatusOK {
			t.Fatalf("limit %d: hops %+v, want the 301 then the 200", limit, resp.hops)
		}
		last := resp.hops[1]
		if last.Header.Get("Content-Encoding") != "gzip" || resp.header.Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding: exchange %q (want gzip, as received), page %q (want none, decoded)",
				last.Header.Get("Content-Encoding"), resp.header.Get("Content-Encoding"))
		}
		if limit > int64(len(page)) && !bytes.Equal(last.Raw, zipped.Bytes()) {
			t.Errorf("raw body of %d bytes, want the %d gzip bytes sent", len(last.Raw), zipped.Len())
		}
		if len(seen) != 2 {
			t.Fatalf("server saw %d requests", len(seen))
		}
		for i, h := range seen {
			if h.Get(wireSlotHeader) != "" {
				t.Errorf("request %d: the private mark reached the server", i)
			}
			if got, rec := h.Get("Accept-Encoding"), resp.hops[i].RequestHeader.Get("Accept-Encoding"); got != rec || got != "gzip" {
				t.Errorf("request %d: server got Accept-Encoding %q, exchange says %q", i, got, rec)
			}
		}
		if resp.reqHeader.Get(wireSlotHeader) != "" {
			t.Error("the private mark is in the page's request header")
		}
		if n := len(c.tap.slots); n != 0 {
			t.Errorf("%d slots left open after the fetch", n)
		}
	}
}

// When another layer asked for the encoding (here: a transport that never
// asks, and a server that compresses unasked), the tap decodes nothing
// but still keeps the bytes as received.
func TestWireTapKeepsBytesItDidNotAskFor(t *testing.T) {
	page := strings.Repeat("<p>Tin</p>", 500)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(page))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	t.Cleanup(srv.Close)
	opts := DefaultOptions()
	opts.StartURLs = []string{srv.URL + "/"}
	opts.Transport = &http.Transport{DisableCompression: true}
	c, err := New(opts, newMemFrontier(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.client, err = c.newClient(); err != nil {
		t.Fatal(err)
	}
	c.coll = c.newCollector(context.Background(), c.client)
	u, _ := url.Parse(srv.URL + "/a")
	resp, err := c.fetch(context.Background(), u, http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.body) != page || len(resp.hops) != 1 || !bytes.Equal(resp.hops[0].Raw, zipped.Bytes()) {
		t.Errorf("body %d bytes (want %d decoded), raw %d bytes (want the %d sent)", len(resp.body), len(page), len(resp.hops[0].Raw), zipped.Len())
	}
	if got := resp.hops[0].RequestHeader.Get("Accept-Encoding"); got != "" {
		t.Errorf("Accept-Encoding %q recorded, none was sent", got)
	}
}
