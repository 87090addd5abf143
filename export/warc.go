package export

// WARC export: WARC/1.1 records with their block and payload digests,
// compressed one gzip member per record, as WARC tools expect of a
// .warc.gz file (built and compressed in parallel: warcrec.go).
//
// Per capture parc writes a request record then a response record:
//   - request: "METHOD /path?query HTTP/1.1", a Host header when the stored
//     request headers lack one, then the stored request headers;
//     WARC-Concurrent-To names the response.
//   - response: a status line, the stored response headers, a blank line
//     and the stored body; its WARC-Record-ID is the capture id the
//     archive gives (the one Record.CaptureID carries), its
//     WARC-Payload-Digest the archive's digest, checked against the body.
//
// Captures made since parc 0.5 (record.Capture.Wire) went over the wire as
// they are written: the request headers as sent (the Accept-Encoding and
// Host that net/http adds included), the response's status line with its
// protocol (HTTP/2 written as HTTP/1.1, as WARC readers expect), its
// headers as received and the body as received, still content-coded
// (Content-Encoding and Content-Length kept, as wget --warc-file and
// Heritrix write them; pywb, ReplayWeb.page and warcio decode the content
// coding when they read the payload). Only the chunked transfer coding is
// undone (net/http removes it before anyone sees the bytes): such a
// response has no Transfer-Encoding header and carries
// X-Archive-Orig-Transfer-Encoding: chunked instead, so that no reader
// dechunks a body that is not chunked any more.
//
// Older captures hold the body after content decoding with the headers
// net/http handed over: their Transfer-Encoding and Content-Encoding
// (rare: net/http drops the ones it undid) are kept as
// X-Archive-Orig-Transfer-Encoding / X-Archive-Orig-Content-Encoding,
// Content-Length is set to the stored body's length (a differing original
// is kept as X-Archive-Orig-Content-Length), and the response record
// carries the WARC header Parc-Capture: decoded (stored before parc 0.5:
// body decoded, request headers as colly kept them).

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/parc-archiver/parc/record"
)

// PayloadDigest returns the WARC payload digest of body, "sha1:" + base32,
// as WARC-Payload-Digest and Record.CaptureDigest carry it.
func PayloadDigest(body []byte) string {
	sum := sha1.Sum(body)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// sameDigest compares two "sha1:BASE32" digests, ignoring the case of the
// algorithm and base32 padding.
func sameDigest(a, b string) bool {
	norm := func(s string) string {
		alg, v, ok := strings.Cut(s, ":")
		if !ok {
			return s
		}
		return strings.ToLower(alg) + ":" + strings.ToUpper(strings.TrimRight(v, "="))
	}
	return norm(a) == norm(b)
}

func newRecordID() string { return "<urn:uuid:" + uuid.NewString() + ">" }

func warcDate(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// WARC writes the captures src yields as a WARC/1.1 file, gzip per
// record: a warcinfo record naming parc (software: parc/opts.Version) and
// the portal profile, then a request and a response record per capture (see
// the file comment for the details and header fix-ups). It returns the
// number of captures written. A capture whose body does not match the given
// digest fails the export with ErrDigestMismatch.
func WARC(ctx context.Context, w io.Writer, src CaptureSource, opts Options) (n int, err error) {
	bw := bufio.NewWriterSize(w, bufSize)
	p := newWARCPipeline(bw)
	p.add(warcinfo(opts))
	errPipeline := errors.New("pipeline failed")
	err = src(ctx, func(c *record.Capture, id, digest string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		u, err := url.Parse(c.URL)
		if err != nil || u.Host == "" {
			return fmt.Errorf("capture %s: bad url %q: %v", id, c.URL, err)
		}
		if id == "" {
			id = newRecordID()
		}
		date := c.FetchedAt
		if date.IsZero() {
			date = opts.now()
		}
		reqID := newRecordID()
		var req, resp bytes.Buffer
		writeRequestBlock(&req, c, u)
		headAt := writeResponseBlock(&resp, c)
		respHeaders := [][2]string{{"WARC-Record-ID", id}, {"WARC-Date", warcDate(date)}, {"WARC-Target-URI", c.URL},
			{"Content-Type", "application/http;msgtype=response"}}
		if !c.Wire {
			respHeaders = append(respHeaders, [2]string{legacyHeader, "decoded"})
		}
		want := digest
		if want == "" {
			want = PayloadDigest(c.Received())
		}
		if !p.add(
			warcRec{typ: "request", block: req.Bytes(), payloadAt: -1, headers: [][2]string{{"WARC-Record-ID", reqID},
				{"WARC-Date", warcDate(date)}, {"WARC-Target-URI", c.URL}, {"WARC-Concurrent-To", id},
				{"Content-Type", "application/http;msgtype=request"}}},
			responseRec(c, resp.Bytes(), headAt, respHeaders, want, id),
		) {
			return errPipeline
		}
		n++
		return nil
	})
	perr := p.close()
	if err == nil || errors.Is(err, errPipeline) {
		err = perr
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return n, fmt.Errorf("export warc: %w", err)
	}
	return n, nil
}

// responseRec is the record of a capture's response: a response record,
// or for a 304 (Not Modified) a revisit record of the server-not-modified
// profile, which carries the HTTP headers only and refers to the same URL.
func responseRec(c *record.Capture, block []byte, payloadAt int, headers [][2]string, want, id string) warcRec {
	if c.Status != http.StatusNotModified {
		return warcRec{typ: "response", block: block, payloadAt: payloadAt, headers: headers, wantPayload: want, errID: id, errURL: c.URL,
			packed: c.Wire && packedPayload(http.Header(c.Header))}
	}
	headers = append(headers,
		[2]string{"WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"},
		[2]string{"WARC-Refers-To-Target-URI", c.URL})
	return warcRec{typ: "revisit", block: block[:payloadAt], payloadAt: -1, headers: headers}
}

// packedPayload reports whether a response with header h carries a
// payload that is compressed already: a content coding (gzip, br, zstd,
// deflate), or a type that is (JPEG, PNG, GIF, WebP, AVIF, video, audio,
// zip and gzip files). Deflating it again costs most of a WARC export's
// CPU and saves nothing.
func packedPayload(h http.Header) bool {
	if ce := strings.TrimSpace(h.Get("Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		return true
	}
	ct, _, _ := strings.Cut(strings.ToLower(h.Get("Content-Type")), ";")
	switch ct = strings.TrimSpace(ct); {
	case strings.HasPrefix(ct, "video/"), strings.HasPrefix(ct, "audio/"):
		return true
	}
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif",
		"application/zip", "application/gzip", "application/x-gzip", "application/zstd":
		return true
	}
	return false
}

// warcinfo is the file's first record: parc's version and the portal.
func warcinfo(opts Options) warcRec {
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	var info strings.Builder
	fmt.Fprintf(&info, "software: parc/%s\r\n", version)
	fmt.Fprintf(&info, "format: WARC File Format 1.1\r\n")
	fmt.Fprintf(&info, "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if opts.Portal != "" {
		fmt.Fprintf(&info, "isPartOf: %s\r\n", oneLine(opts.Portal))
		fmt.Fprintf(&info, "description: parc archive of the portal profile %s\r\n", oneLine(opts.Portal))
	}
	return warcRec{typ: "warcinfo", block: []byte(info.String()), payloadAt: -1, headers: [][2]string{
		{"WARC-Record-ID", newRecordID()}, {"WARC-Date", warcDate(opts.now())}, {"Content-Type", "application/warc-fields"}}}
}

// oneLine keeps a warc-fields value on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeRequestBlock(b *bytes.Buffer, c *record.Capture, u *url.URL) {
	method := c.Method
	if method == "" {
		method = http.MethodGet
	}
	fmt.Fprintf(b, "%s %s HTTP/1.1\r\n", method, u.RequestURI())
	if c.RequestHeader.Get("Host") == "" {
		fmt.Fprintf(b, "Host: %s\r\n", u.Host)
	}
	_ = c.RequestHeader.Write(b) // a bytes.Buffer does not fail
	b.WriteString("\r\n")
}

// legacyHeader marks, in the WARC header of its response record, a
// capture stored before parc 0.5 (see the file comment).
const legacyHeader = "Parc-Capture"

// writeResponseBlock writes the response's HTTP message to b and returns
// where its payload starts.
func writeResponseBlock(b *bytes.Buffer, c *record.Capture) int {
	status := c.Status
	if status == 0 {
		status = http.StatusOK
	}
	text := http.StatusText(status)
	if text == "" {
		text = "Unknown"
	}
	proto := "HTTP/1.1"
	if c.Wire && strings.HasPrefix(c.Proto, "HTTP/1.") {
		proto = c.Proto
	}
	fmt.Fprintf(b, "%s %d %s\r\n", proto, status, text)
	var h http.Header
	if c.Wire {
		h = wireHeader(c)
	} else {
		h = fixedHeader(c.Header, len(c.Body))
	}
	_ = h.Write(b)
	b.WriteString("\r\n")
	at := b.Len()
	b.Write(c.Received())
	return at
}

// wireHeader returns the response headers of a capture made as it went
// over the wire: as received, but for the chunked transfer coding that
// net/http undid (see the file comment).
func wireHeader(c *record.Capture) http.Header {
	h := http.Header(c.Header).Clone()
	if h == nil {
		h = http.Header{}
	}
	if vs := h.Values("Transfer-Encoding"); len(vs) > 0 {
		h.Del("Transfer-Encoding")
		h["X-Archive-Orig-Transfer-Encoding"] = vs
	}
	if c.Chunked && h.Get("X-Archive-Orig-Transfer-Encoding") == "" {
		h.Set("X-Archive-Orig-Transfer-Encoding", "chunked")
	}
	return h
}

// fixedHeader returns the response headers describing the stored (decoded)
// body: see the file comment.
func fixedHeader(orig http.Header, bodyLen int) http.Header {
	h := orig.Clone()
	if h == nil {
		h = http.Header{}
	}
	for _, k := range []string{"Transfer-Encoding", "Content-Encoding"} {
		if vs := h.Values(k); len(vs) > 0 {
			h.Del(k)
			h["X-Archive-Orig-"+k] = vs
		}
	}
	cl := strconv.Itoa(bodyLen)
	if vs := h.Values("Content-Length"); len(vs) > 0 && (len(vs) != 1 || vs[0] != cl) {
		h["X-Archive-Orig-Content-Length"] = vs
	}
	h.Set("Content-Length", cl)
	return h
}
