package warcrec

// The records are built by hand (the header fields gowarc would write, in
// the same order, digests included) and compressed with klauspost's gzip:
// gowarc's record builder and per-record gzip at the default level held a
// WARC export at ~4 MB/s on one core, its WARC-Payload-Digest being
// computed a second time after the block's. The records are still read
// back by gowarc (export.IndexWARC, the tests) and by warcio.

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"io"
	"strconv"

	"github.com/klauspost/compress/gzip"
)

// Record is one WARC record to write.
type Record struct {
	Type    string      // WARC-Type
	Headers [][2]string // after WARC-Type, before the digests
	Block   []byte
	// PayloadAt is where the HTTP payload starts in Block; -1 when the
	// record has no payload digest (warcinfo, a request, a revisit).
	PayloadAt int
	// WantPayload, when set, is the digest the payload must have (the
	// archive's): a mismatch fails Encode with a *DigestError.
	WantPayload string
	// ErrID and ErrURL name the capture in a mismatch error.
	ErrID, ErrURL string
	// Packed: the payload is compressed already (PackedPayload), so the
	// record's gzip member stores it in stored deflate blocks.
	Packed bool
}

// Encoded says what Encode wrote.
type Encoded struct {
	// PayloadDigest is the record's WARC-Payload-Digest; "" when it has
	// none.
	PayloadDigest string
	// PayloadAt is where the payload starts in the member's uncompressed
	// bytes (WARC header and HTTP header before it); -1 when it has none.
	PayloadAt int
}

func sha1Base32(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// Gzip holds the gzip writers of one goroutine: deflating, and storing
// (for packed records). Its zero value is not usable: see NewGzip.
type Gzip struct{ deflate, store *gzip.Writer }

// NewGzip returns gzip writers at the speed a WARC needs (BestSpeed).
func NewGzip() *Gzip {
	d, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	s, _ := gzip.NewWriterLevel(io.Discard, gzip.NoCompression)
	return &Gzip{d, s}
}

// Encode appends r as one gzip member to dst.
func (r *Record) Encode(dst *bytes.Buffer, gw *Gzip) (Encoded, error) {
	var head bytes.Buffer
	head.Grow(512)
	head.WriteString("WARC/1.1\r\nWARC-Type: ")
	head.WriteString(r.Type)
	head.WriteString("\r\n")
	for _, h := range r.Headers {
		head.WriteString(h[0])
		head.WriteString(": ")
		head.WriteString(oneLine(h[1]))
		head.WriteString("\r\n")
	}
	head.WriteString("WARC-Block-Digest: " + sha1Base32(r.Block) + "\r\n")
	out := Encoded{PayloadAt: -1}
	if r.PayloadAt >= 0 {
		got := sha1Base32(r.Block[r.PayloadAt:])
		if r.WantPayload != "" && !SameDigest(got, r.WantPayload) {
			return out, &DigestError{ID: r.ErrID, URL: r.ErrURL, Stored: r.WantPayload, Body: got}
		}
		head.WriteString("WARC-Payload-Digest: " + got + "\r\n")
		out.PayloadDigest = got
	}
	head.WriteString("Content-Length: " + strconv.Itoa(len(r.Block)) + "\r\n\r\n")
	if r.PayloadAt >= 0 {
		out.PayloadAt = head.Len() + r.PayloadAt
	}
	zw := gw.deflate
	if r.Packed {
		zw = gw.store
	}
	zw.Reset(dst)
	for _, part := range [][]byte{head.Bytes(), r.Block, []byte("\r\n\r\n")} {
		if _, err := zw.Write(part); err != nil {
			return out, err
		}
	}
	return out, zw.Close()
}

// DigestError is a capture whose body does not match its stored digest.
type DigestError struct{ ID, URL, Stored, Body string }

func (e *DigestError) Error() string {
	return "capture " + e.ID + " " + e.URL + ": " + ErrDigestMismatch.Error() + ": stored " + e.Stored + ", body " + e.Body
}

func (e *DigestError) Unwrap() error { return ErrDigestMismatch }
