package crawler

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// rawTransport keeps the bytes of each response body as they came off the
// wire (after transfer and transparent content decoding). colly converts
// every body to UTF-8 before its callbacks run, replacing bytes of legacy
// charsets (windows-1258) with U+FFFD; the crawler hands the raw bytes to
// extract.Parse and to raw captures instead. A request is tied to its
// buffer by a private header that never leaves this transport.
type rawTransport struct {
	next http.RoundTripper
	seq  atomic.Uint64
	mu   sync.Mutex
	bufs map[string]*bytes.Buffer
}

const rawHeader = "X-Parc-Raw-Id"

func newRawTransport(next http.RoundTripper) *rawTransport {
	return &rawTransport{next: next, bufs: map[string]*bytes.Buffer{}}
}

// register returns the header value for a new request and its buffer;
// release forgets it.
func (t *rawTransport) register() (id string, buf *bytes.Buffer) {
	id = strconv.FormatUint(t.seq.Add(1), 10)
	buf = new(bytes.Buffer)
	t.mu.Lock()
	t.bufs[id] = buf
	t.mu.Unlock()
	return id, buf
}

func (t *rawTransport) release(id string) {
	t.mu.Lock()
	delete(t.bufs, id)
	t.mu.Unlock()
}

// RoundTrip strips the private header and tees the body into its buffer
// (reset at each redirect hop: the last response is the one read).
func (t *rawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	id := req.Header.Get(rawHeader)
	if id == "" {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Del(rawHeader)
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	t.mu.Lock()
	buf := t.bufs[id]
	t.mu.Unlock()
	if buf != nil {
		buf.Reset()
		resp.Body = &teeBody{ReadCloser: resp.Body, w: buf}
	}
	return resp, nil
}

type teeBody struct {
	io.ReadCloser
	w *bytes.Buffer
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.w.Write(p[:n])
	return n, err
}
