// Package warcrec builds the WARC/1.1 records of a raw capture, a request
// record then a response (or revisit) record, and compresses each as one
// gzip member, as WARC tools expect of a .warc.gz file. The archive builds
// them when it stores a capture, so that a WARC export copies stored
// bytes; the export builds them for captures stored before that, and its
// warcinfo record.
//
// Per capture:
//   - request: "METHOD /path?query HTTP/1.1", a Host header when the stored
//     request headers lack one, then the stored request headers;
//     WARC-Concurrent-To names the response.
//   - response: a status line, the response headers, a blank line and the
//     body; its WARC-Record-ID is the capture id the archive gives (the one
//     Record.CaptureID carries), its WARC-Payload-Digest the SHA-1 of the
//     body.
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
//
// A 304 (Not Modified) is a revisit record of the server-not-modified
// profile, which carries the HTTP headers only.
package warcrec

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/parc-archiver/parc/record"
)

// ErrDigestMismatch is returned when a capture's body does not match the
// payload digest the archive recorded for it.
var ErrDigestMismatch = errors.New("capture payload digest mismatch")

// PayloadDigest returns the WARC payload digest of body, "sha1:" + base32,
// as WARC-Payload-Digest and Record.CaptureDigest carry it.
func PayloadDigest(body []byte) string {
	sum := sha1.Sum(body)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// SameDigest compares two "sha1:BASE32" digests, ignoring the case of the
// algorithm and base32 padding.
func SameDigest(a, b string) bool {
	norm := func(s string) string {
		alg, v, ok := strings.Cut(s, ":")
		if !ok {
			return s
		}
		return strings.ToLower(alg) + ":" + strings.ToUpper(strings.TrimRight(v, "="))
	}
	return norm(a) == norm(b)
}

// NewRecordID returns a random WARC-Record-ID.
func NewRecordID() string { return "<urn:uuid:" + uuid.NewString() + ">" }

// Date formats t as a WARC-Date.
func Date(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// LegacyHeader marks, in the WARC header of its response record, a
// capture stored before parc 0.5 (see the package comment).
const LegacyHeader = "Parc-Capture"

// ForCapture returns the request and response (or revisit) records of
// capture c, whose response record has the WARC-Record-ID id, dated date.
// want, when set, is the payload digest the body must have: Encode fails
// with ErrDigestMismatch otherwise.
func ForCapture(c *record.Capture, id, want string, date time.Time) (req, resp Record, err error) {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return req, resp, fmt.Errorf("capture %s: bad url %q: %v", id, c.URL, err)
	}
	var reqBlock, respBlock bytes.Buffer
	writeRequestBlock(&reqBlock, c, u)
	headAt := writeResponseBlock(&respBlock, c)
	req = Record{Type: "request", Block: reqBlock.Bytes(), PayloadAt: -1, Headers: [][2]string{{"WARC-Record-ID", NewRecordID()},
		{"WARC-Date", Date(date)}, {"WARC-Target-URI", c.URL}, {"WARC-Concurrent-To", id},
		{"Content-Type", "application/http;msgtype=request"}}}
	headers := [][2]string{{"WARC-Record-ID", id}, {"WARC-Date", Date(date)}, {"WARC-Target-URI", c.URL},
		{"Content-Type", "application/http;msgtype=response"}}
	if !c.Wire {
		headers = append(headers, [2]string{LegacyHeader, "decoded"})
	}
	return req, responseRecord(c, respBlock.Bytes(), headAt, headers, want, id), nil
}

// responseRecord is the record of a capture's response: a response record,
// or for a 304 (Not Modified) a revisit record of the server-not-modified
// profile, which carries the HTTP headers only and refers to the same URL.
func responseRecord(c *record.Capture, block []byte, payloadAt int, headers [][2]string, want, id string) Record {
	if c.Status != http.StatusNotModified {
		return Record{Type: "response", Block: block, PayloadAt: payloadAt, Headers: headers, WantPayload: want, ErrID: id, ErrURL: c.URL,
			Packed: c.Wire && PackedPayload(http.Header(c.Header))}
	}
	headers = append(headers,
		[2]string{"WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"},
		[2]string{"WARC-Refers-To-Target-URI", c.URL})
	return Record{Type: "revisit", Block: block[:payloadAt], PayloadAt: -1, Headers: headers}
}

// PackedPayload reports whether a response with header h carries a
// payload that is compressed already: a content coding (gzip, br, zstd,
// deflate), or a type that is (JPEG, PNG, GIF, WebP, AVIF, video, audio,
// zip and gzip files). Deflating it again costs most of the CPU of
// building its record and saves nothing.
func PackedPayload(h http.Header) bool {
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

// Info is a WARC file's first record: parc's version and the portal.
func Info(version, portal string, now time.Time) Record {
	if version == "" {
		version = "dev"
	}
	var info strings.Builder
	fmt.Fprintf(&info, "software: parc/%s\r\n", version)
	fmt.Fprintf(&info, "format: WARC File Format 1.1\r\n")
	fmt.Fprintf(&info, "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if portal != "" {
		fmt.Fprintf(&info, "isPartOf: %s\r\n", oneLine(portal))
		fmt.Fprintf(&info, "description: parc archive of the portal profile %s\r\n", oneLine(portal))
	}
	return Record{Type: "warcinfo", Block: []byte(info.String()), PayloadAt: -1, Headers: [][2]string{
		{"WARC-Record-ID", NewRecordID()}, {"WARC-Date", Date(now)}, {"Content-Type", "application/warc-fields"}}}
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
// net/http undid (see the package comment).
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
// body: see the package comment.
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
