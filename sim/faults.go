package sim

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// faultKind is the fault an article page shows in faults mode.
type faultKind uint8

// Article faults.
const (
	faultNone        faultKind = iota
	fault503Once               // 503 on the first request
	fault503Twice              // 503 on the first two requests
	fault429Seconds            // 429, Retry-After: N
	fault429Date               // 429, Retry-After: <HTTP-date>
	faultSlow                  // first request stalls for SlowDelay
	faultTruncated             // first response cut short of its Content-Length
	faultWindows1258           // always served in windows-1258 with NFD tone marks
	faultMalformed             // always served with unclosed tags
	faultGone                  // removed at start: 404 while still linked
)

var faultNames = [...]string{"", "503-once", "503-twice", "429-seconds", "429-date", "slow", "truncated", "windows-1258", "malformed", "gone"}

// Fault describes one fault the portal serves in faults mode.
type Fault struct {
	Kind string // "503-once", "503-twice", "429-seconds", "429-date", "slow", "truncated", "windows-1258", "malformed", "gone", "redirect-loop", "offsite-redirect", "huge"
	Key  string // the article's Key; empty for paths that are no article
	Path string // the path that shows the fault
}

// Paths of the faults that are no article (faults mode only). They look
// like article URLs and the home page links them.
const (
	loopPath    = "/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet_da_chuyen_sang_chuyen_muc_moi/"
	loopPath2   = "/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet_da_chuyen_sang_chuyen_muc_moi_2/"
	offsitePath = "/nd/tin-tap-doan/thong-tin-tu-doi-tac-lien-ket.html"
	hugePath    = "/nd/tin-tap-doan/bao-cao-thuong-nien-toan-van-nam-2023.html"
)

// faultState holds the per-path attempt counters and the articles taken
// down with SetDown.
type faultState struct {
	p     *Portal
	mu    sync.Mutex
	tries map[string]int
	down  map[int32]bool // by gen
}

// SetDown makes an article answer 503 to every request (any mode) until
// SetDown(k, false): a persistent fault that a test clears. Requests().
// Faults.Unavailable counts these answers too.
func (p *Portal) SetDown(k string, down bool) error {
	p.mu.RLock()
	i, ok := p.lookup(k)
	var gen int32
	if ok {
		gen = p.entries[i].gen
	}
	p.mu.RUnlock()
	if !ok {
		return fmt.Errorf("set down %q: %w", k, ErrUnknownArticle)
	}
	fs := p.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if down {
		fs.down[gen] = true
	} else {
		delete(fs.down, gen)
	}
	return nil
}

// isDown reports whether the article of gen was taken down with SetDown.
func (fs *faultState) isDown(gen int32) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.down[gen]
}

// newFaultState assigns faults to articles (faults mode only): the newest
// articles, every other one, so they sit on first listing pages.
func newFaultState(p *Portal) *faultState {
	fs := &faultState{p: p, tries: make(map[string]int), down: make(map[int32]bool)}
	if !p.opts.Faults {
		return fs
	}
	kind := fault503Once
	for i := len(p.entries) - 1; i >= 0 && kind <= faultGone; i -= 2 {
		e := &p.entries[i]
		if e.gen == 0 {
			continue
		}
		e.fault = kind
		if kind == faultGone {
			e.gone = true
		}
		kind++
	}
	return fs
}

// Faults lists the faults served (empty unless Options.Faults).
func (p *Portal) Faults() []Fault {
	if !p.opts.Faults {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	var out []Fault
	for i := range p.entries {
		e := &p.entries[i]
		if e.fault != faultNone {
			out = append(out, Fault{Kind: faultNames[e.fault], Key: key(e.gen), Path: p.articlePath(e, e.cat)})
		}
	}
	return append(out,
		Fault{Kind: "redirect-loop", Path: loopPath},
		Fault{Kind: "offsite-redirect", Path: offsitePath},
		Fault{Kind: "huge", Path: hugePath})
}

// attempt counts a request to path and returns its 1-based number.
func (fs *faultState) attempt(path string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	k := strings.ToLower(path)
	fs.tries[k]++
	return fs.tries[k]
}

// stallOrRefuse runs the faults that delay a response (slow) or replace
// it (503, 429); true when the request was answered. Called without p.mu
// held.
func (fs *faultState) stallOrRefuse(w http.ResponseWriter, r *http.Request, e *entry) bool {
	p := fs.p
	switch e.fault {
	case fault503Once, fault503Twice:
		limit := 1
		if e.fault == fault503Twice {
			limit = 2
		}
		if fs.attempt(r.URL.Path) <= limit {
			p.stats.inc(cF503)
			p.log.Debug("fault 503", "path", r.URL.Path)
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return true
		}
	case fault429Seconds, fault429Date:
		if fs.attempt(r.URL.Path) == 1 {
			if e.fault == fault429Seconds {
				p.stats.inc(cF429)
				w.Header().Set("Retry-After", strconv.Itoa(p.opts.RetryAfter))
			} else {
				p.stats.inc(cF429Date)
				at := p.now().Add(time.Duration(p.opts.RetryAfter) * time.Second).UTC()
				w.Header().Set("Retry-After", at.Format(http.TimeFormat))
			}
			p.log.Debug("fault 429", "path", r.URL.Path)
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
			return true
		}
	case faultSlow:
		if fs.attempt(r.URL.Path) == 1 {
			p.stats.inc(cFSlow)
			t := time.NewTimer(p.opts.SlowDelay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return true
			}
		}
	}
	return false
}

// writeArticle writes a rendered article, applying the faults that alter
// the response body. Called with p.mu held.
func (fs *faultState) writeArticle(w http.ResponseWriter, r *http.Request, pg *page, e *entry) {
	p := fs.p
	switch e.fault {
	case faultWindows1258:
		p.stats.inc(cF1258)
		pg.w.b = toWindows1258(pg.w.b)
	case faultMalformed:
		p.stats.inc(cFMalformed)
		b := bytes.ReplaceAll(pg.w.b, []byte("</p>"), nil)
		b = bytes.ReplaceAll(b, []byte("</li>"), nil)
		b = bytes.Replace(b, []byte("</h1>"), []byte("</h2>"), 1)
		b = bytes.Replace(b, []byte("<body"), []byte("<div class=\"wrap\"><body"), 1)
		pg.w.b = b
	case faultTruncated:
		if fs.attempt(r.URL.Path) == 1 {
			if fs.truncate(w, pg) {
				p.stats.inc(cFTrunc)
				return
			}
		}
	}
	p.write(w, r, pg, http.StatusOK)
}

// truncate sends the status line, headers with the full Content-Length and
// half the body, then closes the connection.
func (fs *faultState) truncate(w http.ResponseWriter, pg *page) bool {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	_, _ = bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
		strconv.Itoa(len(pg.w.b)) + "\r\nConnection: close\r\n\r\n")
	_, _ = bw.Write(pg.w.b[:len(pg.w.b)/2])
	_ = bw.Flush()
	return true
}

// toWindows1258 re-encodes a UTF-8 page in windows-1258 the way legacy
// Vietnamese pages are: base letters (â, ă, ê, ô, ơ, ư, đ) precomposed,
// tone marks as combining characters; what the charset cannot hold
// becomes a numeric character reference.
func toWindows1258(b []byte) []byte {
	out := make([]byte, 0, len(b))
	var dec [8]rune
	for _, r := range string(b) {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		// split the tone mark off, keep the rest composed
		d := dec[:0]
		for _, x := range norm.NFD.String(string(r)) {
			d = append(d, x)
		}
		var tone rune
		base := d[:0]
		for _, x := range d {
			switch x {
			case 0x300, 0x301, 0x303, 0x309, 0x323:
				tone = x
			default:
				base = append(base, x)
			}
		}
		for _, x := range norm.NFC.String(string(base)) {
			out = appendCP1258(out, x)
		}
		if tone != 0 {
			out = appendCP1258(out, tone)
		}
	}
	return out
}

func appendCP1258(out []byte, r rune) []byte {
	if c, ok := charmap.Windows1258.EncodeRune(r); ok {
		return append(out, c)
	}
	return append(append(append(out, "&#"...), strconv.Itoa(int(r))...), ';')
}

// serveFaultPath answers the fault paths that are no article; true when
// it did.
func (p *Portal) serveFaultPath(w http.ResponseWriter, r *http.Request, lower string) bool {
	switch lower {
	case strings.ToLower(loopPath):
		p.stats.inc(cFLoop)
		http.Redirect(w, r, loopPath2, http.StatusFound)
	case strings.ToLower(loopPath2):
		p.stats.inc(cFLoop)
		http.Redirect(w, r, loopPath, http.StatusFound)
	case offsitePath:
		p.stats.inc(cFOffsite)
		http.Redirect(w, r, p.opts.OffsiteURL, http.StatusFound)
	case hugePath:
		p.stats.inc(cFHuge)
		p.serveHuge(w, r)
	default:
		return false
	}
	return true
}

// serveHuge streams an article-looking page of Options.HugeBytes without
// Content-Length (chunked), never holding it in memory.
func (p *Portal) serveHuge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	head := "<!DOCTYPE html>\n<html lang=\"vi-VN\"><head><meta charset=\"utf-8\" /><title>Báo cáo thường niên toàn văn năm 2023</title></head><body>\n" +
		"<div class=\"cms view content\"><h2>Báo cáo thường niên toàn văn năm 2023</h2><div class=\"meta\"><span><label>PV</label></span><section><span>08:00 SA @ Thứ Hai - 15 Tháng Tư, 2024</span></section></div><section>\n"
	para := []byte("<p>Tập đoàn Hóa chất Việt Nam tiếp tục triển khai kế hoạch sản xuất kinh doanh, bảo đảm an toàn tuyệt đối cho người và thiết bị, đáp ứng yêu cầu của thị trường trong nước và xuất khẩu.</p>\n")
	written := int64(0)
	n, err := w.Write([]byte(head))
	written += int64(n)
	chunk := bytes.Repeat(para, 32<<10/len(para))
	for err == nil && written < p.opts.HugeBytes {
		if r.Context().Err() != nil {
			return
		}
		n, err = w.Write(chunk)
		written += int64(n)
	}
	if err == nil {
		_, _ = w.Write([]byte("</section></div></body></html>\n"))
	}
}

// faultLinks writes the home page's block linking the fault paths.
func (p *Portal) faultLinks(pg *page) {
	pg.w.s(`<div class="HotNews"><h3>Tin nổi bật</h3><ul>`,
		`<li><a href="`, loopPath, `">Bài viết đã chuyển sang chuyên mục mới</a></li>`,
		`<li><a href="`, offsitePath, `">Thông tin từ đối tác liên kết</a></li>`,
		`<li><a href="`, hugePath, `">Báo cáo thường niên toàn văn năm 2023</a></li>`,
		"</ul></div>\n")
}
