package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/parc-archiver/parc/failure"
)

// gzipBomb is n zero bytes, gzip-compressed (about n/1000 bytes).
func gzipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(zero))
		zw.Write(zero[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

// However a gzip body is labelled (x-gzip, gzip sent unasked, a gzip
// Content-Type, a .xml.gz path), nothing decodes more than
// MaxBodyBytes+1 bytes of it: colly, which would inflate such bodies
// without limit, decodes none.
func TestDecompressionBombsStopAtTheBodyLimit(t *testing.T) {
	bomb := gzipBomb(t, 64<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return
		case "/x-gzip":
			w.Header().Set("Content-Encoding", "x-gzip")
		case "/X-GZIP":
			w.Header().Set("Content-Encoding", " X-Gzip ")
		case "/content-type":
			w.Header().Set("Content-Type", "application/x-gzip")
		case "/sitemap.xml.gz":
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		w.Write(bomb)
	}))
	t.Cleanup(srv.Close)
	opts := DefaultOptions()
	opts.StartURLs = []string{srv.URL + "/"}
	opts.MaxBodyBytes = 1 << 20
	c, err := New(opts, newMemFrontier(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.client, err = c.newClient(); err != nil {
		t.Fatal(err)
	}
	c.coll = c.newCollector(context.Background(), c.client)
	for _, path := range []string{"/x-gzip", "/X-GZIP", "/content-type", "/sitemap.xml.gz"} {
		u, _ := url.Parse(srv.URL + path)
		resp, err := c.fetch(context.Background(), u, http.Header{"User-Agent": {"parc-test"}})
		if err != nil {
			var fe *FetchError
			if !asFetchError(err, &fe) || fe.Kind != failure.TooLarge {
				t.Errorf("%s: %v, want a body or a too-large failure", path, err)
			}
			continue
		}
		if n := int64(len(resp.body)); n > opts.MaxBodyBytes+1 {
			t.Errorf("%s: %d bytes decoded, the limit is %d", path, n, opts.MaxBodyBytes)
		}
	}
}

func asFetchError(err error, fe **FetchError) bool { return errors.As(err, fe) }
