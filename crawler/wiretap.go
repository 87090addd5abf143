package crawler

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parc-archiver/parc/frontier"
)

// Exchange is one HTTP exchange as it went over the wire, for raw
// captures (WARC): the request header as sent (Host and the
// Accept-Encoding the transport adds included) and the response header
// and body as received (Content-Encoding and Content-Length kept, the
// body still content-coded). Transfer-Encoding is undone by net/http:
// Chunked says the body came chunked.
type Exchange struct {
	Method        string
	URL           string
	RequestHeader http.Header
	Proto         string // "HTTP/1.1", "HTTP/2.0"
	Status        int
	Header        http.Header
	// Raw is the body as received when it was content-coded (gzip); nil
	// when the body as received is the Page's Body.
	Raw     []byte
	Chunked bool
}

// wireTap records the exchanges of the page requests, below colly and
// the charset shield, right above the transport. It asks for gzip itself
// when the transport would (so the bytes on the wire do not change), so
// that it sees the compressed body: it keeps those bytes and hands up
// the decoded body with the encoding headers removed, as net/http does
// when it asked. A request is tapped when fetch marked it with
// wireSlotHeader (stripped before it is sent); its redirect hops carry the
// mark too (net/http copies the header), so a slot gathers every hop.
type wireTap struct {
	next http.RoundTripper
	// addGzip: next is an *http.Transport that would ask for gzip.
	addGzip bool

	mu    sync.Mutex
	n     uint64
	slots map[string]*wireSlot
}

// wireSlot gathers the exchanges of one fetch, oldest hop first.
type wireSlot struct {
	mu   sync.Mutex
	hops []*Exchange
}

// wireSlotHeader carries a fetch's slot from fetch to the tap.
const wireSlotHeader = "X-Parc-Wire-Slot"

func newWireTap(next http.RoundTripper) *wireTap {
	t := &wireTap{next: next, slots: map[string]*wireSlot{}}
	if tr, ok := next.(*http.Transport); ok && !tr.DisableCompression {
		t.addGzip = true
	}
	return t
}

// open registers a slot for one fetch and returns its mark; close
// forgets it (whatever became of the fetch) and returns its exchanges.
func (t *wireTap) open() (string, *wireSlot) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	id := strconv.FormatUint(t.n, 10)
	s := &wireSlot{}
	t.slots[id] = s
	return id, s
}

func (t *wireTap) close(id string) {
	t.mu.Lock()
	delete(t.slots, id)
	t.mu.Unlock()
}

func (t *wireTap) RoundTrip(req *http.Request) (*http.Response, error) {
	id := req.Header.Get(wireSlotHeader)
	if id == "" {
		return t.next.RoundTrip(req)
	}
	t.mu.Lock()
	slot := t.slots[id]
	t.mu.Unlock()
	req = req.Clone(req.Context())
	req.Header.Del(wireSlotHeader)
	asked := t.addGzip && req.Header.Get("Accept-Encoding") == "" && req.Header.Get("Range") == "" && req.Method != http.MethodHead
	if asked {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	ex := &Exchange{Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header.Clone()}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	ex.RequestHeader.Set("Host", host)
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	ex.Proto, ex.Status, ex.Header = resp.Proto, resp.StatusCode, resp.Header.Clone()
	ex.Chunked = slices.Contains(resp.TransferEncoding, "chunked")
	if slot != nil {
		slot.mu.Lock()
		slot.hops = append(slot.hops, ex)
		slot.mu.Unlock()
	}
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); {
	case enc == "gzip" || enc == "x-gzip":
		// Decoded here, lazily, whoever asked for it: the reader above
		// (colly, with its size limit) then bounds the decoded body.
		resp.Body = &gunzipBody{src: &teeBody{ReadCloser: resp.Body, ex: ex}}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
	case enc != "" && enc != "identity":
		// An encoding parc does not decode (deflate, br, zstd, stacked
		// codings): the page stays as received, bounded by the limit, and
		// is no HTML.
		resp.Body = &teeBody{ReadCloser: resp.Body, ex: ex}
	}
	// colly gunzips on its own, with no limit on the decoded size, any
	// body it does not know as decoded: a Content-Encoding naming gzip, a
	// Content-Type naming gzip (application/x-gzip), a path ending in
	// .xml.gz. Everything colly reads has passed this tap, which decodes
	// what parc reads: mark it so colly decodes nothing (a decompression
	// bomb then stops at crawl.max_body_bytes).
	resp.Uncompressed = true
	return resp, nil
}

// teeBody keeps the bytes read from the wire in its exchange.
type teeBody struct {
	io.ReadCloser
	ex *Exchange
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.ex.Raw = append(b.ex.Raw, p[:n]...)
	return n, err
}

// gunzipBody decodes a gzip body lazily, as net/http's gzipReader does:
// the reader above (colly, with its size limit) decides how much of the
// decoded body is read.
type gunzipBody struct {
	src *teeBody
	zr  *gzip.Reader
	err error
}

func (b *gunzipBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.zr == nil {
		b.zr, b.err = gzip.NewReader(b.src)
		if b.err != nil {
			return 0, b.err
		}
	}
	return b.zr.Read(p)
}

func (b *gunzipBody) Close() error { return b.src.Close() }

// take returns the slot's exchanges.
func (s *wireSlot) take() []*Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hops
}

// tapAnswers makes the robots.txt requests go through tap and hands their
// exchanges to answered (raw captures of every response), when set.
func (r *robots) tapAnswers(tap *wireTap, answered func(context.Context, frontier.Item, []*Exchange, []byte, time.Time)) {
	if answered == nil {
		return
	}
	r.client.Transport = tap
	r.tap, r.answered = tap, answered
}

// tapRequest marks req for the tap when robots.txt answers are captured;
// done hands the exchanges over once the body is read.
func (r *robots) tapRequest(req *http.Request) (done func(ctx context.Context, body []byte)) {
	if r.tap == nil {
		return func(context.Context, []byte) {}
	}
	id, slot := r.tap.open()
	req.Header.Set(wireSlotHeader, id)
	at := r.clock.Now()
	return func(ctx context.Context, body []byte) {
		r.tap.close(id)
		if hops := slot.take(); len(hops) > 0 {
			r.answered(ctx, frontier.Item{URL: req.URL.String(), Kind: frontier.KindListing}, hops, body, at)
		}
	}
}
