package export

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	iawarc "github.com/internetarchive/gowarc"
	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
)

type testCapture struct {
	c      record.Capture
	id     string
	digest string
}

func warcCaptures() []testCapture {
	page := []byte("<html><head><meta charset=utf-8><title>Ban chỉ đạo 35</title></head><body><p>Ngày 27/01/2021, Ban Chỉ đạo …</p><p>HỒNG LIÊN</p></body></html>\r\n\r\nWARC/1.1 in the body\r\n")
	return []testCapture{
		{
			c: record.Capture{
				URL: "https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Ban_chi_dao_35/?a=1&b=%C3%A1", Method: "GET",
				RequestHeader: http.Header{"User-Agent": {"parc/1.2.3 (+https://example.test)"}, "Accept-Encoding": {"gzip"}},
				Status:        200,
				Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Encoding": {"gzip"},
					"Transfer-Encoding": {"chunked"}, "Content-Length": {"42"}, "Set-Cookie": {"a=1", "b=2"}},
				Body: page, FetchedAt: time.Date(2026, 11, 27, 6, 0, 0, 123456789, time.UTC),
			},
			id: "<urn:uuid:6f1c1f5e-2a4b-4c1e-9d1a-0b1c2d3e4f50>", digest: PayloadDigest(page),
		},
		{
			c: record.Capture{
				URL:    "http://127.0.0.1:8080/nd/tin-tap-doan/trong.html",
				Status: 203, Header: nil, Body: nil, FetchedAt: time.Date(2026, 11, 28, 6, 0, 0, 0, time.FixedZone("ICT", 7*3600)),
			},
			id: "<urn:uuid:0a1b2c3d-0000-4000-8000-000000000001>", digest: "sha1:" + strings.TrimRight(PayloadDigest(nil)[5:], "="),
		},
	}
}

func captureSource(cs []testCapture) CaptureSource {
	return func(ctx context.Context, fn func(c *record.Capture, id, digest string) error) error {
		for i := range cs {
			c := cs[i].c
			if err := fn(&c, cs[i].id, cs[i].digest); err != nil {
				return err
			}
		}
		return nil
	}
}

func exportWARC(t *testing.T, cs []testCapture) []byte {
	t.Helper()
	var out bytes.Buffer
	now := time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC)
	n, err := WARC(context.Background(), &out, captureSource(cs),
		Options{Format: FormatWARC, Version: "1.2.3", Portal: "vinachem", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(cs) {
		t.Fatalf("WARC = %d captures, want %d", n, len(cs))
	}
	return out.Bytes()
}

func sha1b32(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// warcRecord is one record as read by the hand-written reader.
type warcRecord struct {
	version string
	header  textproto.MIMEHeader
	block   []byte
}

// readWARCMembers reads data with testtool.ReadWARC, a minimal WARC reader
// independent of both libraries.
func readWARCMembers(t *testing.T, data []byte) []warcRecord {
	t.Helper()
	var recs []warcRecord
	for _, r := range testtool.ReadWARC(t, data) {
		recs = append(recs, warcRecord{version: r.Version, header: r.Header, block: r.Block})
	}
	return recs
}

func TestWARC(t *testing.T) {
	cs := warcCaptures()
	data := exportWARC(t, cs)

	t.Run("hand-written reader", func(t *testing.T) {
		recs := readWARCMembers(t, data)
		if len(recs) != 1+2*len(cs) {
			t.Fatalf("got %d gzip members, want %d (one per record)", len(recs), 1+2*len(cs))
		}
		info := recs[0]
		if info.version != "WARC/1.1" || info.header.Get("WARC-Type") != "warcinfo" {
			t.Fatalf("first record %s %s, want WARC/1.1 warcinfo", info.version, info.header.Get("WARC-Type"))
		}
		for _, want := range []string{"software: parc/1.2.3\r\n", "isPartOf: vinachem\r\n", "format: WARC File Format 1.1\r\n"} {
			if !bytes.Contains(info.block, []byte(want)) {
				t.Errorf("warcinfo lacks %q: %q", want, info.block)
			}
		}
		if got := info.header.Get("WARC-Date"); got != "2026-11-29T01:02:03Z" {
			t.Errorf("warcinfo date %q", got)
		}
		for i, tc := range cs {
			req, resp := recs[1+2*i], recs[2+2*i]
			for _, r := range []warcRecord{req, resp} {
				if r.version != "WARC/1.1" {
					t.Errorf("capture %d version %q", i, r.version)
				}
				if got := r.header.Get("WARC-Target-URI"); got != tc.c.URL {
					t.Errorf("capture %d target %q, want %q", i, got, tc.c.URL)
				}
				if got, want := r.header.Get("WARC-Date"), tc.c.FetchedAt.UTC().Format(time.RFC3339Nano); got != want {
					t.Errorf("capture %d date %q, want %q", i, got, want)
				}
				if got := r.header.Get("WARC-Block-Digest"); got != sha1b32(r.block) {
					t.Errorf("capture %d block digest %q, want %q", i, got, sha1b32(r.block))
				}
			}
			if req.header.Get("WARC-Type") != "request" || resp.header.Get("WARC-Type") != "response" {
				t.Fatalf("capture %d types %q %q", i, req.header.Get("WARC-Type"), resp.header.Get("WARC-Type"))
			}
			if got := resp.header.Get("WARC-Record-ID"); got != tc.id {
				t.Errorf("capture %d response id %q, want %q", i, got, tc.id)
			}
			if got := req.header.Get("WARC-Concurrent-To"); got != tc.id {
				t.Errorf("capture %d request concurrent-to %q, want %q", i, got, tc.id)
			}
			if req.header.Get("WARC-Record-ID") == tc.id || !strings.HasPrefix(req.header.Get("WARC-Record-ID"), "<urn:uuid:") {
				t.Errorf("capture %d request id %q", i, req.header.Get("WARC-Record-ID"))
			}
			if got := resp.header.Get("WARC-Payload-Digest"); got != sha1b32(tc.c.Body) {
				t.Errorf("capture %d payload digest %q, want %q", i, got, sha1b32(tc.c.Body))
			}

			// The response block is an HTTP response whose payload is the body.
			hr, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(resp.block)), nil)
			if err != nil {
				t.Fatalf("capture %d: %v", i, err)
			}
			body, err := io.ReadAll(hr.Body)
			if err != nil {
				t.Fatalf("capture %d body: %v", i, err)
			}
			if !bytes.Equal(body, tc.c.Body) {
				t.Errorf("capture %d payload differs", i)
			}
			if hr.StatusCode != tc.c.Status {
				t.Errorf("capture %d status %d, want %d", i, hr.StatusCode, tc.c.Status)
			}
			if hr.Header.Get("Content-Encoding") != "" || len(hr.TransferEncoding) != 0 {
				t.Errorf("capture %d keeps encodings: %v %v", i, hr.Header, hr.TransferEncoding)
			}
			if hr.ContentLength != int64(len(tc.c.Body)) {
				t.Errorf("capture %d Content-Length %d, want %d", i, hr.ContentLength, len(tc.c.Body))
			}
			for k, vs := range tc.c.Header {
				switch k {
				case "Content-Encoding", "Transfer-Encoding", "Content-Length":
					if got := hr.Header.Values("X-Archive-Orig-" + k); strings.Join(got, ",") != strings.Join(vs, ",") {
						t.Errorf("capture %d X-Archive-Orig-%s = %q, want %q", i, k, got, vs)
					}
				default:
					if got := hr.Header.Values(k); strings.Join(got, ",") != strings.Join(vs, ",") {
						t.Errorf("capture %d header %s = %q, want %q", i, k, got, vs)
					}
				}
			}

			// The request block is an HTTP request for the URL.
			rq, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(req.block)))
			if err != nil {
				t.Fatalf("capture %d request: %v", i, err)
			}
			if !strings.HasSuffix(tc.c.URL, rq.Host+rq.RequestURI) || rq.Method != "GET" {
				t.Errorf("capture %d request %s %s%s for %s", i, rq.Method, rq.Host, rq.RequestURI, tc.c.URL)
			}
			for k, vs := range tc.c.RequestHeader {
				if got := rq.Header.Values(k); strings.Join(got, ",") != strings.Join(vs, ",") {
					t.Errorf("capture %d request header %s = %q, want %q", i, k, got, vs)
				}
			}
		}
	})

	t.Run("internetarchive/gowarc reader", func(t *testing.T) {
		r, err := iawarc.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var types []string
		for {
			rec, err := r.ReadRecord()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("record %d: %v", len(types), err)
			}
			typ := rec.Header.Get("WARC-Type")
			types = append(types, typ)
			block, err := io.ReadAll(rec.Content)
			rec.Content.Close()
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.Header.Get("WARC-Block-Digest"); got != sha1b32(block) {
				t.Errorf("%s block digest %q, computed %q", typ, got, sha1b32(block))
			}
			if typ == "response" {
				i := len(types)/2 - 1
				_, payload, ok := bytes.Cut(block, []byte("\r\n\r\n"))
				if !ok || !bytes.Equal(payload, cs[i].c.Body) {
					t.Errorf("response %d payload differs", i)
				}
				if got := rec.Header.Get("WARC-Payload-Digest"); got != sha1b32(payload) {
					t.Errorf("response %d payload digest %q, computed %q", i, got, sha1b32(payload))
				}
			}
		}
		want := "warcinfo request response request response"
		if got := strings.Join(types, " "); got != want {
			t.Fatalf("records %q, want %q", got, want)
		}
	})
}

func TestWARCEmpty(t *testing.T) {
	data := exportWARC(t, nil)
	recs := readWARCMembers(t, data)
	if len(recs) != 1 || recs[0].header.Get("WARC-Type") != "warcinfo" {
		t.Fatalf("empty export has %d records, want only warcinfo", len(recs))
	}
}

func TestWARCErrors(t *testing.T) {
	boom := errors.New("boom")
	cs := warcCaptures()
	tests := []struct {
		name string
		src  CaptureSource
		want error
	}{
		{name: "digest mismatch", src: captureSource([]testCapture{{c: cs[0].c, id: cs[0].id, digest: PayloadDigest([]byte("other"))}}), want: ErrDigestMismatch},
		{name: "source error", src: func(context.Context, func(*record.Capture, string, string) error) error { return boom }, want: boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := WARC(context.Background(), io.Discard, tt.src, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("write error", func(t *testing.T) {
		_, err := WARC(context.Background(), failWriter{}, captureSource(cs), Options{})
		if !errors.Is(err, errDiskFull) {
			t.Fatalf("error %v, want %v", err, errDiskFull)
		}
	})
}

// warcText is the WARC written for cs, its gzip members joined.
func warcText(t *testing.T, cs []testCapture) string {
	t.Helper()
	var out bytes.Buffer
	if _, err := WARC(context.Background(), &out, captureSource(cs), Options{}); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A capture made as it went over the wire is written as received: the
// gzip payload, its Content-Encoding and Content-Length, the chunking
// noted; a capture from before is written decoded and marked
// Parc-Capture: decoded.
func TestWARCWireAndLegacyCaptures(t *testing.T) {
	page := []byte("<html><body><p>Tập đoàn</p></body></html>")
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(page)
	zw.Close()
	wire := testCapture{c: record.Capture{URL: "https://example.com/a", Method: "GET", Status: 200, Wire: true, Proto: "HTTP/1.1", Chunked: true,
		RequestHeader: http.Header{"Host": {"example.com"}, "Accept-Encoding": {"gzip"}, "User-Agent": {"parc"}},
		Header:        http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}},
		Body:          page, Raw: z.Bytes(), FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		id: "<urn:uuid:0a1b2c3d-0000-4000-8000-0000000000aa>", digest: PayloadDigest(z.Bytes())}
	text := warcText(t, []testCapture{wire})
	for _, want := range []string{"Accept-Encoding: gzip\r\n", "Host: example.com\r\n", "Content-Encoding: gzip\r\n",
		"X-Archive-Orig-Transfer-Encoding: chunked\r\n", "WARC-Payload-Digest: " + wire.digest + "\r\n", string(z.Bytes())} {
		if !strings.Contains(text, want) {
			t.Errorf("wire capture: WARC lacks %q", want)
		}
	}
	if strings.Contains(text, "Parc-Capture") || strings.Contains(text, string(page)) {
		t.Error("wire capture marked as legacy, or written decoded")
	}
	legacy := warcText(t, warcCaptures()[:1])
	if !strings.Contains(legacy, "Parc-Capture: decoded\r\n") || !strings.Contains(legacy, "X-Archive-Orig-Content-Encoding: gzip") {
		t.Error("legacy capture: not marked Parc-Capture: decoded, or its Content-Encoding not moved aside")
	}
}

// A 304 answer is written as a revisit record of the server-not-modified
// profile, with its headers and no payload.
func TestWARCNotModifiedIsRevisit(t *testing.T) {
	c := testCapture{c: record.Capture{URL: "https://example.com/a", Method: "GET", Status: 304, Wire: true, Proto: "HTTP/1.1",
		RequestHeader: http.Header{"Host": {"example.com"}, "If-None-Match": {`"x"`}}, Header: http.Header{"Etag": {`"x"`}},
		FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, id: "<urn:uuid:0a1b2c3d-0000-4000-8000-0000000000bb>", digest: PayloadDigest(nil)}
	text := warcText(t, []testCapture{c})
	for _, want := range []string{"WARC-Type: revisit\r\n", "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/server-not-modified\r\n",
		"WARC-Refers-To-Target-URI: https://example.com/a\r\n", "HTTP/1.1 304 Not Modified\r\n", "Etag: \"x\"\r\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("WARC of a 304 lacks %q", want)
		}
	}
	if strings.Contains(text, "WARC-Type: response") || strings.Contains(text, "WARC-Payload-Digest") {
		t.Error("a 304 written as a response record, or with a payload digest")
	}
	var warc, idx bytes.Buffer
	if _, err := WARC(context.Background(), &warc, captureSource([]testCapture{c}), Options{}); err != nil {
		t.Fatal(err)
	}
	if n, err := IndexWARC(context.Background(), &idx, &warc, "a.warc.gz"); err != nil || n != 1 || !strings.Contains(idx.String(), `"mime":"warc/revisit"`) {
		t.Errorf("CDXJ of a revisit: %d lines, %v:\n%s", n, err, idx.String())
	}
}

// A capture that comes with its records (record.Capture.WARC, what the
// archive stores) is written as they are, in its place among the
// captures whose records the export builds, and a source that reuses its
// buffer after the call loses nothing.
func TestWARCWritesStoredRecordsAsTheyAre(t *testing.T) {
	cs := warcCaptures()
	built := exportWARC(t, cs)
	recs := readWARCMembers(t, built)
	if len(recs) != 1+2*len(cs) {
		t.Fatalf("%d records for %d captures", len(recs), len(cs))
	}
	// The members of the first capture's records, as a WARC file holds
	// them: stored, they are the bytes the export must copy.
	members := testtool.GzipMembers(t, built)
	stored := append(bytes.Clone(members[1].Raw), members[2].Raw...)
	buf := bytes.Clone(stored)
	src := func(ctx context.Context, fn func(c *record.Capture, id, digest string) error) error {
		if err := fn(&record.Capture{WARC: buf}, "", ""); err != nil {
			return err
		}
		clear(buf) // the archive's bytes are valid only during fn
		c := cs[1].c
		return fn(&c, cs[1].id, cs[1].digest)
	}
	var out bytes.Buffer
	n, err := WARC(context.Background(), &out, src, Options{Version: "1.2.3", Now: func() time.Time { return time.Unix(0, 0) }})
	if err != nil || n != 2 {
		t.Fatalf("WARC: %d captures, %v", n, err)
	}
	got := testtool.GzipMembers(t, out.Bytes())
	if len(got) != 5 || !bytes.Equal(append(bytes.Clone(got[1].Raw), got[2].Raw...), stored) {
		t.Fatalf("stored records not copied as they are: %d members", len(got))
	}
	if r := readWARCMembers(t, out.Bytes()); r[4].header.Get("WARC-Record-ID") != cs[1].id {
		t.Errorf("the built capture's response is %v", r[4].header)
	}
}
