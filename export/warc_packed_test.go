package export

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
)

// gzipped returns b gzip-compressed.
func gzipped(b []byte) []byte {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	return z.Bytes()
}

// deflateBlockTypes returns the type (0 stored, 1 fixed, 2 dynamic) of the
// first deflate block of each gzip member of data (a member header of 10
// bytes: parc's writer sets no optional fields).
func deflateBlockTypes(t *testing.T, data []byte) []int {
	t.Helper()
	var types []int
	r := bytes.NewReader(data)
	for r.Len() > 0 {
		start := len(data) - r.Len()
		if data[start] != 0x1f || data[start+1] != 0x8b || data[start+3] != 0 {
			t.Fatalf("member at %d: not a plain gzip header", start)
		}
		types = append(types, int(data[start+10]>>1&3))
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		if _, err := io.Copy(io.Discard, zr); err != nil {
			t.Fatal(err)
		}
	}
	return types
}

// A response whose payload is compressed already (a gzip content coding,
// a JPEG) is stored, not deflated again, in its gzip member; the record
// reads back byte for byte with its digests. HTML without a coding is
// deflated.
func TestWARCStoresPackedPayloads(t *testing.T) {
	page := bytes.Repeat([]byte("<p>Tập đoàn Hóa chất Việt Nam</p>\n"), 200)
	jpeg := make([]byte, 6000)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range jpeg {
		jpeg[i] = byte(rnd.Uint32())
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	capture := func(i int, header http.Header, body, raw []byte) testCapture {
		wire := raw
		if wire == nil {
			wire = body
		}
		return testCapture{c: record.Capture{URL: fmt.Sprintf("https://example.com/%d", i), Method: "GET", Status: 200, Wire: true,
			Proto: "HTTP/1.1", RequestHeader: http.Header{"Accept-Encoding": {"gzip"}}, Header: header, Body: body, Raw: raw, FetchedAt: at},
			id: fmt.Sprintf("<urn:uuid:0a1b2c3d-0000-4000-8000-%012d>", i), digest: PayloadDigest(wire)}
	}
	cs := []testCapture{
		capture(1, http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}, page, gzipped(page)),
		capture(2, http.Header{"Content-Type": {"image/jpeg"}}, jpeg, nil),
		capture(3, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, page, nil),
	}
	data := exportWARC(t, cs)
	// warcinfo, then request and response per capture.
	types := deflateBlockTypes(t, data)
	if len(types) != 7 {
		t.Fatalf("%d gzip members, want 7", len(types))
	}
	for i, want := range map[int]int{2: 0, 4: 0, 6: 2} {
		if types[i] != want {
			t.Errorf("member %d (response of capture %d): deflate block type %d, want %d", i, i/2, types[i], want)
		}
	}
	recs := readWARCMembers(t, data)
	for i, c := range cs {
		resp := recs[2+2*i]
		wire := c.c.Raw
		if wire == nil {
			wire = c.c.Body
		}
		if !bytes.HasSuffix(resp.block, wire) {
			t.Errorf("capture %d: the response block does not end with the payload as received", i+1)
		}
		if got := resp.header.Get("WARC-Payload-Digest"); got != c.digest {
			t.Errorf("capture %d: payload digest %s, want %s", i+1, got, c.digest)
		}
		if got := resp.header.Get("WARC-Block-Digest"); got != sha1b32(resp.block) {
			t.Errorf("capture %d: block digest %s, want %s", i+1, got, sha1b32(resp.block))
		}
	}
}

// BenchmarkExportWARCGzipped is BenchmarkExportWARC with the pages sent
// gzip-compressed, as most servers answer parc's Accept-Encoding: gzip.
func BenchmarkExportWARCGzipped(b *testing.B) {
	var cs []testCapture
	var total int64
	for i := range 500 {
		body := benchPage(i)
		raw := gzipped(body)
		c := benchCapture(i, body)
		c.c.Header.Set("Content-Encoding", "gzip")
		c.c.Raw, c.digest = raw, PayloadDigest(raw)
		cs = append(cs, c)
		total += int64(len(raw))
	}
	benchWARC(b, cs, total)
}
