package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestFetch(t *testing.T) {
	page := strings.Repeat("<p>Tin tức</p>", 400)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(page))
	zw.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(page))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/plain?from=moved", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/echo-cookie", func(w http.ResponseWriter, r *http.Request) {
		c, _ := r.Cookie("sid")
		if c == nil {
			// Set a session cookie and come back: the jar must send it.
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "42", Path: "/"})
			http.Redirect(w, r, "/echo-cookie", http.StatusFound)
			return
		}
		w.Write([]byte(c.Value))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	cases := []struct {
		name     string
		path     string
		maxBody  int64
		wantURL  string
		wantBody string
	}{
		{name: "plain", path: "/plain", wantURL: "/plain", wantBody: page},
		{name: "gzip the client did not ask for is decoded", path: "/gzip", wantURL: "/gzip", wantBody: page},
		{name: "redirect reports the final url", path: "/moved", wantURL: "/plain?from=moved", wantBody: page},
		{name: "cookies kept across redirects", path: "/echo-cookie", wantURL: "/echo-cookie", wantBody: "42"},
		{name: "body cut one byte past the limit", path: "/plain", maxBody: 100, wantURL: "/plain", wantBody: page[:101]},
	}
	// DisableCompression: the transport neither asks for gzip nor decodes it.
	opts := DefaultOptions()
	opts.StartURLs = []string{srv.URL + "/"}
	opts.MaxBodyBytes = 1 << 20
	opts.UserAgent = "parc-test"
	opts.Transport = &http.Transport{DisableCompression: true}
	c, err := New(opts, newMemFrontier(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.opts.MaxBodyBytes = 1 << 20
			if tc.maxBody > 0 {
				c.opts.MaxBodyBytes = tc.maxBody
			}
			if c.client, err = c.newClient(); err != nil {
				t.Fatal(err)
			}
			c.coll = c.newCollector(context.Background(), c.client)
			u, _ := url.Parse(srv.URL + tc.path)
			hdr := http.Header{"User-Agent": {"parc-test"}}
			resp, err := c.fetch(context.Background(), u, hdr)
			if err != nil {
				t.Fatal(err)
			}
			if resp.status != http.StatusOK || resp.url.String() != srv.URL+tc.wantURL {
				t.Errorf("status %d, url %s; want 200, %s", resp.status, resp.url, srv.URL+tc.wantURL)
			}
			if string(resp.body) != tc.wantBody {
				t.Errorf("body %d bytes %.40q, want %d bytes %.40q", len(resp.body), resp.body, len(tc.wantBody), tc.wantBody)
			}
			if got := resp.reqHeader.Get("User-Agent"); got != "parc-test" {
				t.Errorf("request header User-Agent %q, want the one sent", got)
			}
		})
	}
}

// A body declared in a legacy charset reaches the handler and the raw
// capture as the bytes the server sent (colly would convert it to UTF-8),
// with the Content-Type as the server wrote it.
func TestFetchKeepsLegacyCharsetBytes(t *testing.T) {
	// Bytes that are not UTF-8 (windows-1258 letters and a combining tone
	// mark): a conversion would change them.
	raw := []byte("<html><body><p>Ho\xe1 ch\xe2\xecn</p></body></html>")
	const ct = "text/html; charset=windows-1258"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	opts := DefaultOptions()
	opts.StartURLs = []string{srv.URL + "/"}
	opts.UserAgent = "parc-test"
	c, err := New(opts, newMemFrontier(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.client, err = c.newClient(); err != nil {
		t.Fatal(err)
	}
	c.coll = c.newCollector(context.Background(), c.client)
	u, _ := url.Parse(srv.URL + "/bai.html")
	resp, err := c.fetch(context.Background(), u, http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.body, raw) {
		t.Errorf("body %q, want the bytes sent %q", resp.body, raw)
	}
	if got := resp.header.Get("Content-Type"); got != ct {
		t.Errorf("Content-Type %q, want %q", got, ct)
	}
	if got := resp.header.Get(shieldHeader); got != "" {
		t.Errorf("private header leaked: %q", got)
	}
}
