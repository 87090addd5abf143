package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
)

// testCapture is a 200 response with body as a page of paragraphs.
func testCapture(u, body string, at time.Time) *record.Capture {
	var b strings.Builder
	b.WriteString("<html><body>")
	for p := range strings.SplitSeq(body, "\n\n") {
		b.WriteString("<p>" + p + "</p>")
	}
	b.WriteString("</body></html>")
	return &record.Capture{URL: u, Method: "GET", RequestHeader: http.Header{"User-Agent": {"parc/test"}}, Status: 200,
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Etag": {`"e1"`}}, Body: []byte(b.String()), FetchedAt: at}
}

// TestCaptureCodec round-trips captures through the pooled codec (the
// same writer and reader reused) and checks that damage is reported.
func TestCaptureCodec(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc Codec
	tests := []struct {
		name string
		body []byte
	}{
		{"page", testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(1, 16), now).Body},
		{"empty", nil},
		{"small", []byte("<p>Hà Nội</p>")},
		{"another page", testCapture("https://vinachem.com.vn/nd/tin/00000002.html", testtool.Body(2, 3), now).Body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", "x", now)
			c.Body = tt.body
			e, err := cc.Encode(c, now)
			if err != nil {
				t.Fatal(err)
			}
			got, digest, err := cc.Decode(e.Value)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Body, tt.body) || got.URL != c.URL || got.Status != 200 || !got.FetchedAt.Equal(now) {
				t.Errorf("round trip: %+v", got)
			}
			if digest != e.Digest || digest != PayloadDigest(tt.body) {
				t.Errorf("digest %s, ref %s", digest, e.Digest)
			}
			if err := cc.Check(e.Value); err != nil {
				t.Errorf("check: %v", err)
			}
			// Flip a byte of the compressed body.
			_, z, err := Split(e.Value)
			if err != nil {
				t.Fatal(err)
			}
			bad := append([]byte{}, e.Value...)
			bad[len(bad)-len(z)/2-1] ^= 0xff
			if _, _, err := cc.Decode(bad); err == nil {
				t.Error("decode of a damaged capture succeeded")
			}
			if err := cc.Check(bad); err == nil {
				t.Error("check of a damaged capture succeeded")
			}
			if _, _, err := cc.Decode(e.Value[:3]); err == nil || !strings.Contains(err.Error(), "capture header") {
				t.Errorf("truncated capture: %v", err)
			}
		})
	}
}

// legacyGzipCapture encodes a capture as archives before 0.3.0 stored it:
// the header without an encoding, then the body as one gzip member.
func legacyGzipCapture(t *testing.T, c *record.Capture) []byte {
	t.Helper()
	hb, err := json.Marshal(Meta{URL: c.URL, Method: "GET", RequestHeader: c.RequestHeader, Status: c.Status,
		Header: c.Header, FetchedAt: c.FetchedAt.UTC(), Digest: PayloadDigest(c.Body), Size: len(c.Body)})
	if err != nil {
		t.Fatal(err)
	}
	v := binary.AppendUvarint(nil, uint64(len(hb)))
	v = append(v, hb...)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	if _, err := zw.Write(c.Body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return append(v, z.Bytes()...)
}

// TestCaptureCodecReadsGzip: captures written before S2 (gzip bodies, no
// encoding in the header) decode and verify, and damage is still found.
func TestCaptureCodecReadsGzip(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc Codec
	c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(1, 16), now)
	v := legacyGzipCapture(t, c)
	got, digest, err := cc.Decode(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, c.Body) || digest != PayloadDigest(c.Body) {
		t.Errorf("gzip capture decoded to %d bytes, digest %s", len(got.Body), digest)
	}
	if err := cc.Check(v); err != nil {
		t.Errorf("check: %v", err)
	}
	bad := append([]byte{}, v...)
	bad[len(bad)-100] ^= 0xff
	if _, _, err := cc.Decode(bad); err == nil {
		t.Error("decode of a damaged gzip capture succeeded")
	}
	if err := cc.Check(bad); err == nil {
		t.Error("check of a damaged gzip capture succeeded")
	}
	// A header naming an encoding this version does not know is an error,
	// not a body read as something else.
	hb, err := json.Marshal(Meta{URL: c.URL, Digest: PayloadDigest(c.Body), Size: len(c.Body), Encoding: "zstd"})
	if err != nil {
		t.Fatal(err)
	}
	unknown := append(binary.AppendUvarint(nil, uint64(len(hb))), hb...)
	if _, _, err := cc.Decode(append(unknown, 0)); err == nil || !strings.Contains(err.Error(), `unknown body encoding "zstd"`) {
		t.Errorf("unknown encoding: %v", err)
	}
}

// NewID gives time-ordered ids in the WARC-Record-ID form.
func TestNewIDsAreOrdered(t *testing.T) {
	prev := NewID()
	for range 100 {
		id := NewID()
		if !strings.HasPrefix(id, "<urn:uuid:") || !strings.HasSuffix(id, ">") || id <= prev {
			t.Fatalf("id %s after %s", id, prev)
		}
		prev = id
	}
}

// ResponseHeader reads the stored header without the body.
func TestResponseHeader(t *testing.T) {
	var cc Codec
	e, err := cc.Encode(testCapture("https://x/a", "body", time.Now()), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h, err := ResponseHeader(e.Value)
	if err != nil || h.Get("ETag") != `"e1"` {
		t.Fatalf("header %v, %v", h, err)
	}
	if _, err := ResponseHeader(e.Value[:2]); err == nil {
		t.Error("a truncated capture gave a header")
	}
}

// BenchmarkEncodeCapture measures compressing one page capture
// (pooled writer); SetBytes is the raw size.
func BenchmarkEncodeCapture(b *testing.B) {
	now := time.Now()
	c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(1, 16), now)
	var cc Codec
	b.SetBytes(int64(len(c.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cc.Encode(c, now); err != nil {
			b.Fatal(err)
		}
	}
}

// A capture of a gzip response keeps the bytes as received (digest and
// size of those) and decodes them on read; a damaged or lying one is an
// error, never a wrong body.
func TestWireCaptureKeepsBytesAsReceived(t *testing.T) {
	body := []byte(strings.Repeat("<p>Tập đoàn Hóa chất Việt Nam</p>\n", 200))
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(body)
	zw.Close()
	c := &record.Capture{URL: "https://example.com/a", Status: 200, Wire: true, Proto: "HTTP/1.1", Chunked: true,
		Header:        http.Header{"Content-Encoding": {"gzip"}, "Content-Length": {strconv.Itoa(z.Len())}},
		RequestHeader: http.Header{"Accept-Encoding": {"gzip"}, "Host": {"example.com"}},
		Body:          body, Raw: z.Bytes()}
	var cc Codec
	e, err := cc.Encode(c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if e.Digest != PayloadDigest(z.Bytes()) {
		t.Errorf("digest %s is not that of the bytes as received", e.Digest)
	}
	got, digest, err := cc.Decode(e.Value)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, body) || !bytes.Equal(got.Raw, z.Bytes()) || !got.Wire || !got.Chunked || got.Proto != "HTTP/1.1" || digest != e.Digest {
		t.Errorf("decoded %d/%d bytes, wire %v chunked %v proto %q", len(got.Body), len(got.Raw), got.Wire, got.Chunked, got.Proto)
	}
	if err := cc.Check(e.Value); err != nil {
		t.Errorf("Check: %v", err)
	}
	// The header's decoded size is one byte short: refused.
	m, _, _ := Split(e.Value)
	for _, decoded := range []int{m.Decoded - 1, m.Decoded + 1} {
		c2 := *c
		c2.Body = body[:1]
		e2, _ := cc.Encode(&c2, time.Now())
		m2, zb, _ := Split(e2.Value)
		m2.Decoded = decoded
		hb, _ := appendMeta(nil, &m2)
		if _, _, err := cc.Decode(frameRecords(hb, zb)); err == nil {
			t.Errorf("decoded size %d of %d accepted", decoded, len(body))
		}
	}
}
