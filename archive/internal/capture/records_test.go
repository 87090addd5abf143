package capture

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
)

func sha1Of(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// A capture is stored as the WARC request and response records an export
// writes: the response's id is the capture's, its payload the body as
// received with the stored digest, and Decode reads the body back from it.
func TestCaptureIsStoredAsItsWARCRecords(t *testing.T) {
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(1, 16), at)
	c.Wire, c.Proto = true, "HTTP/1.1"
	var cc Codec
	e, err := cc.Encode(c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	recs, ok, err := Records(e.Value)
	if err != nil || !ok {
		t.Fatalf("Records: %v, %v", ok, err)
	}
	got := testtool.ReadWARC(t, recs)
	if len(got) != 2 {
		t.Fatalf("%d records, want request and response", len(got))
	}
	req, resp := got[0], got[1]
	if req.Header.Get("WARC-Type") != "request" || req.Header.Get("WARC-Concurrent-To") != e.ID ||
		!bytes.HasPrefix(req.Block, []byte("GET /nd/tin/00000001.html HTTP/1.1\r\nHost: vinachem.com.vn\r\n")) {
		t.Errorf("request record %v\n%s", req.Header, req.Block)
	}
	if resp.Header.Get("WARC-Type") != "response" || resp.Header.Get("WARC-Record-ID") != e.ID ||
		resp.Header.Get("WARC-Date") != "2024-01-08T08:15:00Z" || resp.Header.Get("WARC-Target-URI") != c.URL {
		t.Errorf("response record header %v", resp.Header)
	}
	if d := resp.Header.Get("WARC-Block-Digest"); d != sha1Of(resp.Block) {
		t.Errorf("block digest %s, block's %s", d, sha1Of(resp.Block))
	}
	if !bytes.HasSuffix(resp.Block, append([]byte("\r\n\r\n"), c.Body...)) || resp.Header.Get("WARC-Payload-Digest") != e.Digest || e.Digest != PayloadDigest(c.Body) {
		t.Errorf("response payload digest %s, stored %s, body's %s", resp.Header.Get("WARC-Payload-Digest"), e.Digest, PayloadDigest(c.Body))
	}
	back, digest, err := cc.Decode(e.Value)
	if err != nil || !bytes.Equal(back.Body, c.Body) || digest != e.Digest || back.WARC != nil {
		t.Fatalf("Decode: %d bytes, digest %s, %v", len(back.Body), digest, err)
	}
}

// Damage to stored records is found by every reader: the frame's CRC by
// Records, Decode and Check; damage under a CRC that matches (written so)
// by Decode and Check, which inflate and check the body's SHA-1.
func TestDamagedRecordsAreFound(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc Codec
	e, err := cc.Encode(testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(3, 12), now), now)
	if err != nil {
		t.Fatal(err)
	}
	m, recs, err := Split(e.Value)
	if err != nil {
		t.Fatal(err)
	}
	at := len(e.Value) - (len(recs)-m.ResponseAt)/2 // inside the response's deflate stream
	bad := bytes.Clone(e.Value)
	bad[at] ^= 0x20
	if _, _, err := Records(bad); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("Records of a damaged value: %v", err)
	}
	if _, _, err := cc.Decode(bad); err == nil {
		t.Error("Decode of a damaged value succeeded")
	}
	if err := cc.Check(bad); err == nil {
		t.Error("Check of a damaged value succeeded")
	}
	hb, err := appendMeta(nil, &m)
	if err != nil {
		t.Fatal(err)
	}
	badRecs := bytes.Clone(recs)
	badRecs[at-(len(e.Value)-len(recs))] ^= 0x20
	reframed := frameRecords(hb, badRecs)
	if _, _, err := Records(reframed); err != nil {
		t.Fatalf("Records of a value whose CRC matches: %v", err)
	}
	if _, _, err := cc.Decode(reframed); err == nil {
		t.Error("Decode of damage under a matching CRC succeeded")
	}
	if err := cc.Check(reframed); err == nil {
		t.Error("Check of damage under a matching CRC succeeded")
	}
	if _, _, err := Records(e.Value[:4]); err == nil {
		t.Error("Records of a truncated value succeeded")
	}
}

// A 304 is stored as a revisit record (no payload); one that came with a
// body, which a revisit does not hold, as an S2 block, so nothing is lost.
func TestNotModifiedCaptures(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc Codec
	for _, body := range [][]byte{nil, []byte("<p>a body on a 304</p>")} {
		c := &record.Capture{URL: "https://example.com/a", Status: http.StatusNotModified, Wire: true,
			Header: http.Header{"Etag": {`"e1"`}}, Body: body, FetchedAt: now}
		e, err := cc.Encode(c, now)
		if err != nil {
			t.Fatal(err)
		}
		recs, ok, err := Records(e.Value)
		if err != nil || ok != (body == nil) {
			t.Fatalf("body %q: Records ok %v, %v", body, ok, err)
		}
		if ok {
			got := testtool.ReadWARC(t, recs)
			if len(got) != 2 || got[1].Header.Get("WARC-Type") != "revisit" {
				t.Errorf("records of a 304: %v", got)
			}
		}
		back, digest, err := cc.Decode(e.Value)
		if err != nil || !bytes.Equal(back.Body, body) || digest != PayloadDigest(body) || back.Status != http.StatusNotModified {
			t.Errorf("body %q: decoded %q, digest %s, %v", body, back.Body, digest, err)
		}
	}
}

// Captures stored as S2 blocks (parc 0.3.0 to 0.8) still decode and
// check; Records leaves them to Decode.
func TestCaptureCodecReadsS2(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc Codec
	c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(1, 16), now)
	m := Meta{URL: c.URL, Method: "GET", RequestHeader: c.RequestHeader, Status: c.Status, Header: c.Header,
		FetchedAt: now, Size: len(c.Body)}
	v, err := cc.encodeS2(&m, c.Body)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := Records(v); ok || err != nil {
		t.Errorf("Records of an S2 value: %v, %v", ok, err)
	}
	back, digest, err := cc.Decode(v)
	if err != nil || !bytes.Equal(back.Body, c.Body) || digest != PayloadDigest(c.Body) {
		t.Fatalf("decoded %d bytes, digest %s, %v", len(back.Body), digest, err)
	}
	if err := cc.Check(v); err != nil {
		t.Error(err)
	}
	bad := bytes.Clone(v)
	bad[len(bad)-20] ^= 0xff
	if err := cc.Check(bad); err == nil {
		t.Error("check of a damaged S2 capture succeeded")
	}
}

// BenchmarkDecodeCapture reads one page's capture back (reextract, show,
// replay) as stored now (its WARC records: inflate) and as parc 0.3.0 to
// 0.4.0 stored it (an S2 block); SetBytes is the body's size.
func BenchmarkDecodeCapture(b *testing.B) {
	now := time.Now()
	c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(1, 16), now)
	var cc Codec
	e, err := cc.Encode(c, now)
	if err != nil {
		b.Fatal(err)
	}
	m := Meta{URL: c.URL, Method: "GET", Status: c.Status, Header: c.Header, FetchedAt: now, Size: len(c.Body)}
	s2v, err := cc.encodeS2(&m, c.Body)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		v    []byte
	}{{"records", e.Value}, {"s2", s2v}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.Body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := cc.Decode(bc.v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Recode stores an older capture as its records under the same id, and
// leaves alone what it must not change: records already, a 304 with a
// body (an S2 block stays), a value that does not decode.
func TestRecode(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc Codec
	c := testCapture("https://vinachem.com.vn/nd/tin/00000001.html", testtool.Body(2, 9), now)
	m := Meta{URL: c.URL, Method: "GET", RequestHeader: c.RequestHeader, Status: c.Status, Header: c.Header, FetchedAt: now, Size: len(c.Body)}
	old, err := cc.encodeS2(&m, c.Body)
	if err != nil {
		t.Fatal(err)
	}
	id := "<urn:uuid:0a1b2c3d-0000-4000-8000-000000000042>"
	v := cc.Recode(id, old)
	recs, ok, err := Records(v)
	if !ok || err != nil {
		t.Fatalf("recoded value: records %v, %v", ok, err)
	}
	if got := testtool.ReadWARC(t, recs); got[1].Header.Get("WARC-Record-ID") != id {
		t.Errorf("response record id %q, want the capture's %q", got[1].Header.Get("WARC-Record-ID"), id)
	}
	back, digest, err := cc.Decode(v)
	if err != nil || !bytes.Equal(back.Body, c.Body) || digest != PayloadDigest(c.Body) || !back.FetchedAt.Equal(now) || back.Header.Get("Etag") != `"e1"` {
		t.Errorf("recoded capture decodes to %d bytes, digest %s, fetched %v, %v", len(back.Body), digest, back.FetchedAt, err)
	}
	if again := cc.Recode(id, v); &again[0] != &v[0] {
		t.Error("a value stored as records was recoded again")
	}
	bad := bytes.Clone(old)
	bad[len(bad)-10] ^= 0xff
	if got := cc.Recode(id, bad); !bytes.Equal(got, bad) {
		t.Error("a damaged value was replaced")
	}
	m304 := Meta{URL: c.URL, Method: "GET", Status: 304, FetchedAt: now, Size: len(c.Body)}
	s2304, err := cc.encodeS2(&m304, c.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := cc.Recode(id, s2304); !bytes.Equal(got, s2304) {
		t.Error("a 304 with a body was recoded (a revisit record would drop the body)")
	}
}

// A capture whose URL no WARC record can name (no host) is still stored,
// as an S2 block: storing a page never fails for the sake of its WARC.
func TestCaptureWithoutHostIsStored(t *testing.T) {
	var cc Codec
	c := testCapture("/nd/tin/00000001.html", testtool.Body(1, 4), time.Now())
	e, err := cc.Encode(c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := Records(e.Value); ok || err != nil {
		t.Errorf("Records: %v, %v; want an S2 value", ok, err)
	}
	back, digest, err := cc.Decode(e.Value)
	if err != nil || !bytes.Equal(back.Body, c.Body) || digest != e.Digest {
		t.Errorf("decoded %d bytes, digest %s, %v", len(back.Body), digest, err)
	}
}
