package sim

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func hget(p *Portal, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// Hostile mode serves what its documentation lists, linked from the home
// page; without it, the paths are the portal's 404s.
func TestHostileMode(t *testing.T) {
	p := New(Options{Articles: 5, Hostile: true, BombBytes: 3 << 20})
	paths := HostilePaths()
	home := hget(p, "/").Body.String()
	for name, path := range paths {
		if !strings.Contains(home, `href="`+path+`"`) {
			t.Errorf("the home page does not link %s (%s)", name, path)
		}
	}
	for _, tc := range []struct{ name, ctype, enc string }{
		{"x-gzip-bomb", "text/html; charset=utf-8", "x-gzip"},
		{"gzip-type-bomb", "application/x-gzip", ""},
	} {
		rec := hget(p, paths[tc.name])
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tc.ctype || rec.Header().Get("Content-Encoding") != tc.enc {
			t.Errorf("%s: %d, Content-Type %q, Content-Encoding %q", tc.name, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Encoding"))
		}
		wire := rec.Body.Len()
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n, err := io.Copy(io.Discard, zr)
		if err != nil || n != 3<<20 || wire > 16<<10 {
			t.Errorf("%s: %d bytes on the wire decode to %d (%v), want 3 MiB from a few KB", tc.name, wire, n, err)
		}
	}
	if rec := hget(p, paths["retry-after"]); rec.Code != 503 || rec.Header().Get("Retry-After") != "999999999" {
		t.Errorf("retry-after: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	links := regexp.MustCompile(`href="(hostile-links/\d+\.html)"`).FindAllStringSubmatch(hget(p, paths["links"]+"?n=7").Body.String(), -1)
	if len(links) != 7 || links[0][1] == links[6][1] {
		t.Fatalf("links?n=7: %v", links)
	}
	if rec := hget(p, "/nd/"+links[6][1]); rec.Code != 200 {
		t.Errorf("%s: %d", links[6][1], rec.Code)
	}
	if b := hget(p, paths["links"]).Body.Bytes(); bytes.Count(b, []byte("<a ")) != 100_000 || len(b) > 100_000*44 {
		t.Errorf("links page: %d links in %d bytes, want the default 100 000 in at most 44 bytes each", bytes.Count(b, []byte("<a ")), len(b))
	}
	longest := 0
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(hget(p, paths["long-link"]).Body.String(), -1) {
		longest = max(longest, len(m[1]))
	}
	if longest <= 8<<10 {
		t.Errorf("long-link page: longest link %d bytes, want over 8 KB", longest)
	}
	if st := p.Requests().Hostile; st != (HostileStats{Bombs: 2, RetryAfter: 1, Links: 2, LinkTargets: 1, LongLink: 1}) {
		t.Errorf("Requests().Hostile = %+v", st)
	}
	plain := New(Options{Articles: 5})
	if strings.Contains(hget(plain, "/").Body.String(), "hostile") || hget(plain, paths["x-gzip-bomb"]).Code != 404 {
		t.Errorf("a portal without hostile mode links or serves the hostile paths")
	}
}
