// Package capture is the archive's codec for raw HTTP captures: a JSON
// header (URL, request and response headers, status, fetch time, payload
// digest, size, body encoding) and, since parc 0.5, the capture's WARC
// records, one gzip member each (records.go), which a WARC export copies;
// in older archives the body as one S2 block (0.3.0 to 0.4.0) or one gzip
// member (before 0.3.0). Every read of the body checks it against its
// SHA-1 payload digest (the WARC-Payload-Digest), so damage is found
// whatever the block format checks.
package capture

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/klauspost/compress/s2"

	"github.com/parc-archiver/parc/record"
)

// Encoded is one capture as stored.
type Encoded struct {
	ID        string    // NewID: the capture's key and WARC-Record-ID
	Digest    string    // payload digest of the body
	FetchedAt time.Time // UTC
	Value     []byte    // what is stored under ID
}

// ResponseHeader returns the response header stored in v, without
// decompressing the body.
func ResponseHeader(v []byte) (http.Header, error) {
	m, _, err := Split(v)
	if err != nil {
		return nil, err
	}
	return http.Header(m.Header), nil
}

// Meta is the stored header of a raw capture.
type Meta struct {
	URL           string              `json:"url"`
	Method        string              `json:"method"`
	RequestHeader map[string][]string `json:"request_header"`
	Status        int                 `json:"status"`
	Header        map[string][]string `json:"header"`
	FetchedAt     time.Time           `json:"fetched_at"`
	Digest        string              `json:"digest"`
	Size          int                 `json:"size"`
	// Encoding is how the body after the header is stored: "warc" (the
	// capture's WARC records) since 0.5, "s2" (an S2 block) from 0.3.0;
	// absent for gzip, the format of earlier archives. All stay readable.
	Encoding string `json:"encoding,omitempty"`
	// Wire marks a capture whose headers and body are as they went over
	// the wire (since parc 0.5; see record.Capture). The stored body is
	// then the body as received: when Decoded is set, it is content-coded
	// (Header's Content-Encoding) and Decoded is its decoded length.
	Wire    bool   `json:"wire,omitempty"`
	Decoded int    `json:"decoded,omitempty"`
	Proto   string `json:"proto,omitempty"`
	Chunked bool   `json:"chunked,omitempty"`
	// ResponseAt and PayloadAt, for EncodingWARC: where the response
	// record's gzip member starts among the stored records, and where the
	// body starts in that member's uncompressed bytes (0 for a revisit,
	// which holds none).
	ResponseAt int `json:"response_at,omitempty"`
	PayloadAt  int `json:"payload_at,omitempty"`
}

// The body encodings of Meta.Encoding.
const (
	// EncodingS2 marks a capture body stored as one S2 block (parc
	// 0.3.0 to 0.4.0).
	EncodingS2 = "s2"
	// EncodingWARC marks a capture stored as its WARC records (records.go).
	EncodingWARC = "warc"
)

// MaxBody bounds the decoded size a capture header may claim
// (the crawler's body limit is far below it).
const MaxBody = 1 << 30

// PayloadDigest is the WARC-Payload-Digest style digest of body.
func PayloadDigest(body []byte) string {
	s := sha1.Sum(body)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// Codec stores captures as their WARC records and reads those, S2 blocks
// and, from archives written before 0.3.0, gzip. S2 (parc 0.3.0 to 0.4.0)
// compresses HTML ~2.3x faster than deflate at BestSpeed and decompresses
// ~3x faster, for ~20 % more bytes; but a WARC export then deflated every
// body again, at every export, on the way out (records.go).
type Codec struct {
	scratch   sync.Pool // *[]byte, room for s2.MaxEncodedLen of a page
	zr        sync.Pool // *pooledReader for gzip captures
	records   sync.Pool // *recordsScratch: writers and buffers of encodeRecords
	recordsZR sync.Pool // *recordsReader for stored records
}

// Encode stores capture c, fetched at c.FetchedAt or else at fetched,
// as its WARC records (records.go); a 304 that came with a body, which a
// revisit record does not hold, or one whose URL no WARC record can name,
// as an S2 block (encodeS2), so that storing it never fails for the WARC.
func (cc *Codec) Encode(c *record.Capture, fetched time.Time) (*Encoded, error) {
	return cc.encode(c, fetched, NewID())
}

// encode is Encode for the capture id.
func (cc *Codec) encode(c *record.Capture, fetched time.Time, id string) (*Encoded, error) {
	at := c.FetchedAt
	if at.IsZero() {
		at = fetched
	}
	stored := c.Received()
	m := Meta{URL: c.URL, Method: c.Method, RequestHeader: c.RequestHeader, Status: c.Status,
		Header: c.Header, FetchedAt: at.UTC(), Size: len(stored),
		Wire: c.Wire, Proto: c.Proto, Chunked: c.Chunked}
	if c.Raw != nil {
		m.Decoded = len(c.Body)
	}
	if m.Method == "" {
		m.Method = "GET"
	}
	var value []byte
	var err error
	if c.Status != http.StatusNotModified || len(stored) == 0 {
		value, err = cc.encodeRecords(&m, c, id)
	}
	if value == nil && m.Encoding == "" { // a 304 with a body, a URL no record can name: never lost
		value, err = cc.encodeS2(&m, stored)
	}
	if err != nil {
		return nil, err
	}
	return &Encoded{ID: id, Digest: m.Digest, FetchedAt: m.FetchedAt, Value: value}, nil
}

// encodeS2 stores: uvarint length of the JSON header m, the header, and
// the body as one S2 block.
func (cc *Codec) encodeS2(m *Meta, stored []byte) ([]byte, error) {
	m.Encoding, m.Digest = EncodingS2, PayloadDigest(stored)
	var hbuf [1024]byte
	hb, err := appendMeta(hbuf[:0], m)
	if err != nil {
		return nil, err
	}
	need := s2.MaxEncodedLen(len(stored))
	if need < 0 {
		return nil, fmt.Errorf("capture body of %d bytes is too large", len(stored))
	}
	sp, _ := cc.scratch.Get().(*[]byte)
	if sp == nil {
		sp = new([]byte)
	}
	if cap(*sp) < need {
		*sp = make([]byte, need)
	}
	z := s2.Encode((*sp)[:need], stored)
	// The value is held until its batch commits: copy the block out of
	// the scratch buffer at its exact size.
	value := make([]byte, 0, binary.MaxVarintLen64+len(hb)+len(z))
	value = binary.AppendUvarint(value, uint64(len(hb)))
	value = append(value, hb...)
	value = append(value, z...)
	if cap(*sp) <= 4<<20 { // do not pool the buffer of a huge page
		cc.scratch.Put(sp)
	}
	return value, nil
}

// Split returns the decoded header and the compressed body (for
// EncodingWARC, the records) of an encoded capture.
func Split(v []byte) (Meta, []byte, error) {
	var m Meta
	framed := isRecords(v)
	if framed {
		var err error
		if v, err = recordsValue(v); err != nil {
			return m, nil, err
		}
	}
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return m, nil, fmt.Errorf("capture header: truncated")
	}
	if err := json.Unmarshal(v[k:k+int(n)], &m); err != nil {
		return m, nil, fmt.Errorf("capture header: %w", err)
	}
	if m.Encoding != "" && m.Encoding != EncodingS2 && m.Encoding != EncodingWARC {
		return m, nil, fmt.Errorf("capture header: unknown body encoding %q", m.Encoding)
	}
	if (m.Encoding == EncodingWARC) != framed {
		return m, nil, fmt.Errorf("capture header: encoding %q in the wrong frame", m.Encoding)
	}
	return m, v[k+int(n):], nil
}

// pooledReader is a gzip reader with the bytes.Reader it reads from, so
// that a pooled reader keeps no reference to the bytes it last read.
type pooledReader struct {
	br bytes.Reader
	zr *gzip.Reader
}

// body decompresses the body z of a capture with header m. An S2 body is
// decoded into dst when it has room; a gzip body is appended to dst.
func (cc *Codec) body(dst []byte, m Meta, z []byte) ([]byte, error) {
	if m.Encoding == EncodingWARC {
		return cc.recordsBody(dst, m, z)
	}
	if m.Encoding == EncodingS2 {
		n, err := s2.DecodedLen(z)
		if err != nil {
			return nil, fmt.Errorf("capture body: %w", err)
		}
		if n != m.Size {
			return nil, fmt.Errorf("capture body: %d bytes, header says %d", n, m.Size)
		}
		b, err := s2.Decode(dst[:cap(dst)], z)
		if err != nil {
			return nil, fmt.Errorf("capture body: %w", err)
		}
		return b, nil
	}
	buf := bytes.NewBuffer(dst[:0])
	if err := cc.inflate(buf, z); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflate writes the gzip-compressed body z to w with a pooled reader.
func (cc *Codec) inflate(w io.Writer, z []byte) error {
	pr, _ := cc.zr.Get().(*pooledReader)
	if pr == nil {
		pr = &pooledReader{}
	}
	pr.br.Reset(z)
	var err error
	if pr.zr == nil {
		pr.zr, err = gzip.NewReader(&pr.br)
	} else {
		err = pr.zr.Reset(&pr.br)
	}
	if err == nil {
		_, err = io.Copy(w, pr.zr)
	}
	pr.br.Reset(nil)
	if pr.zr != nil {
		cc.zr.Put(pr)
	}
	if err != nil {
		return fmt.Errorf("capture body: %w", err)
	}
	return nil
}

// Decode reverses Encode and checks the digest.
func (cc *Codec) Decode(v []byte) (*record.Capture, string, error) {
	m, z, err := Split(v)
	if err != nil {
		return nil, "", err
	}
	if m.Size < 0 || m.Size > MaxBody {
		return nil, "", fmt.Errorf("capture header: size %d", m.Size)
	}
	body, err := cc.body(make([]byte, 0, min(m.Size, 64<<20)+bytes.MinRead), m, z)
	if err != nil {
		return nil, "", err
	}
	if d := PayloadDigest(body); d != m.Digest {
		return nil, "", fmt.Errorf("capture body digest %s, header says %s", d, m.Digest)
	}
	c := &record.Capture{URL: m.URL, Method: m.Method, RequestHeader: m.RequestHeader, Status: m.Status,
		Header: m.Header, Body: body, FetchedAt: m.FetchedAt, Wire: m.Wire, Proto: m.Proto, Chunked: m.Chunked}
	if m.Decoded > 0 {
		c.Raw = body
		if c.Body, err = decodeContent(http.Header(m.Header).Get("Content-Encoding"), body, m.Decoded); err != nil {
			return nil, "", err
		}
	}
	return c, m.Digest, nil
}

// decodeContent undoes the content coding enc (gzip) of body, whose
// decoded length the capture header gives: a body that decodes to more
// or fewer bytes is damaged.
func decodeContent(enc string, body []byte, decoded int) ([]byte, error) {
	if decoded > MaxBody {
		return nil, fmt.Errorf("capture header: decoded size %d", decoded)
	}
	if e := strings.ToLower(strings.TrimSpace(enc)); e != "gzip" && e != "x-gzip" {
		return nil, fmt.Errorf("capture body: content coding %q not supported", enc)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("capture body: %s: %w", enc, err)
	}
	out := make([]byte, decoded+1)
	n, err := io.ReadFull(zr, out)
	if err != io.ErrUnexpectedEOF || n != decoded {
		return nil, fmt.Errorf("capture body: decodes to more or fewer than the %d bytes its header says (%v)", decoded, err)
	}
	return out[:n], nil
}

// Check is Decode for verification: it checks header, compression
// and digest without keeping the body.
func (cc *Codec) Check(v []byte) error {
	m, z, err := Split(v)
	if err != nil {
		return err
	}
	if m.Size < 0 || m.Size > MaxBody {
		return fmt.Errorf("capture header: size %d", m.Size)
	}
	sp, _ := cc.scratch.Get().(*[]byte)
	if sp == nil {
		sp = new([]byte)
	}
	body, err := cc.body((*sp)[:0], m, z)
	if err != nil {
		return err
	}
	d := PayloadDigest(body)
	if cap(body) <= 4<<20 {
		*sp = body[:0]
		cc.scratch.Put(sp)
	}
	if d != m.Digest {
		return fmt.Errorf("capture body digest %s, header says %s", d, m.Digest)
	}
	return nil
}

// NewID returns a new capture id, "<urn:uuid:…>" (the WARC-Record-ID of
// its response record) with a version 7 UUID: time-ordered, so captures
// are appended at the end of their bucket instead of being inserted at
// random places, each of which rewrites a leaf full of other captures.
func NewID() string {
	u, err := uuid.NewV7()
	if err != nil { // the random source failed; NewString panics then
		return "<urn:uuid:" + uuid.NewString() + ">"
	}
	return "<urn:uuid:" + u.String() + ">"
}
