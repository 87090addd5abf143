package sim

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// Paths of hostile mode (Options.Hostile), linked from the home page. The
// bombs and the Retry-After page look like articles, the others like
// listings, so that Config's profile queues them.
const (
	xGzipBombPath   = "/nd/hostile/bai-viet-nen-x-gzip.html"
	gzipTypeBomb    = "/nd/hostile/tep-nen-gzip.html"
	retryAfterPath  = "/nd/hostile/bao-tri-he-thong.html"
	manyLinksPath   = "/nd/hostile-links.html"
	linkTargetsPath = "/nd/hostile-links/" // + N + ".html"
	longLinkPath    = "/nd/hostile-long-link.html"
)

// HostileRetryAfter is the Retry-After (seconds, about 31 years) of the
// hostile mode's 503 page.
const HostileRetryAfter = "999999999"

// LongLinkBytes is the length of the link on the hostile mode's long-link
// page: over parc's 8 KB limit.
const LongLinkBytes = 9 << 10

// HostilePaths are the paths hostile mode serves, by name: "x-gzip-bomb",
// "gzip-type-bomb", "retry-after", "links" (add ?n=N for another number
// of links than Options.HostileLinks) and "long-link".
func HostilePaths() map[string]string {
	return map[string]string{
		"x-gzip-bomb": xGzipBombPath, "gzip-type-bomb": gzipTypeBomb, "retry-after": retryAfterPath,
		"links": manyLinksPath, "long-link": longLinkPath,
	}
}

// bombMember is one gzip member of bombMemberBytes zero bytes: a bomb is
// this member repeated (a multi-member gzip stream, which gzip readers
// decode as one), so serving one costs no compression.
const bombMemberBytes = 1 << 20

func newBombMember() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, bombMemberBytes))
	_ = zw.Close()
	return b.Bytes()
}

// serveHostilePath answers the paths of hostile mode; true when it did.
func (p *Portal) serveHostilePath(w http.ResponseWriter, r *http.Request, lower string) bool {
	switch {
	case lower == xGzipBombPath:
		p.stats.inc(cHBomb)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "x-gzip")
		p.serveBomb(w, r)
	case lower == gzipTypeBomb:
		p.stats.inc(cHBomb)
		w.Header().Set("Content-Type", "application/x-gzip")
		p.serveBomb(w, r)
	case lower == retryAfterPath:
		p.stats.inc(cHRetryAfter)
		w.Header().Set("Retry-After", HostileRetryAfter)
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	case lower == manyLinksPath:
		p.stats.inc(cHLinks)
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 {
			n = p.opts.HostileLinks
		}
		p.serveManyLinks(w, r, n)
	case strings.HasPrefix(lower, linkTargetsPath) && strings.HasSuffix(lower, ".html"):
		p.stats.inc(cHLinkTarget)
		hostilePage(w, "<h1>Liên kết</h1><p>Trang đích của một liên kết.</p>")
	case lower == longLinkPath:
		p.stats.inc(cHLongLink)
		hostilePage(w, `<h1>Liên kết dài</h1><a href="/nd/hostile/`+strings.Repeat("x", LongLinkBytes)+`.html">Bài viết</a> <a href="/">Trang chủ</a>`)
	default:
		return false
	}
	return true
}

// hostilePage writes a small HTML page with body.
func hostilePage(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html lang=\"vi-VN\"><head><meta charset=\"utf-8\" /><title>Trang</title></head><body>\n" + body + "\n</body></html>\n"))
}

// serveBomb streams Options.BombBytes of zeros, gzip-compressed (about
// a thousandth of that on the wire), until the client goes away.
func (p *Portal) serveBomb(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	for sent := int64(0); sent < p.opts.BombBytes; sent += bombMemberBytes {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(p.bomb); err != nil {
			return
		}
	}
}

// serveManyLinks streams a listing-looking page of n distinct links to
// small pages (linkTargetsPath), never holding it in memory. The links
// are relative (each resolved against the page, never from a cache) and
// short: about 42 bytes each, so 240 000 fit in 10 MiB.
func (p *Portal) serveManyLinks(w http.ResponseWriter, r *http.Request, n int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	_, _ = bw.WriteString("<!DOCTYPE html>\n<html lang=\"vi-VN\"><head><meta charset=\"utf-8\" /><title>Liên kết</title></head><body>\n<h1>Liên kết</h1>\n")
	rel := linkTargetsPath[len("/nd/"):]
	var num [20]byte
	for i := 0; i < n; i++ {
		if i%4096 == 0 && r.Context().Err() != nil {
			return
		}
		_, _ = bw.WriteString(`<a href="` + rel)
		_, _ = bw.Write(strconv.AppendInt(num[:0], int64(i), 10))
		_, _ = bw.WriteString(".html\">Tin</a>\n")
	}
	_, _ = bw.WriteString("</body></html>\n")
	_ = bw.Flush()
}

// hostileLinks writes the home page's block linking the hostile paths.
func (p *Portal) hostileLinks(pg *page) {
	pg.w.s(`<div class="Hostile"><h3>Liên kết khác</h3><ul>`,
		`<li><a href="`, xGzipBombPath, `">Bài viết nén</a></li>`,
		`<li><a href="`, gzipTypeBomb, `">Tệp nén</a></li>`,
		`<li><a href="`, retryAfterPath, `">Bảo trì hệ thống</a></li>`,
		`<li><a href="`, manyLinksPath, `">Liên kết</a></li>`,
		`<li><a href="`, longLinkPath, `">Liên kết dài</a></li>`,
		"</ul></div>\n")
}
