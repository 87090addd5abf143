package export

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nlnwa/gowarc/v3"
)

func TestSURT(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"www and case", "https://www.Vinachem.com.vn/Desktop.aspx/Tin-tuc/", "vn,com,vinachem)/desktop.aspx/tin-tuc/"},
		{"default port dropped", "http://vinachem.com.vn:80/nd/a.html", "vn,com,vinachem)/nd/a.html"},
		{"other port kept", "https://vinachem.com.vn:8443/a", "vn,com,vinachem:8443)/a"},
		{"ip address", "http://127.0.0.1:8080/nd/x.html", "1,0,0,127:8080)/nd/x.html"},
		{"query sorted", "https://example.com/a?b=2&a=1", "com,example)/a?a=1&b=2"},
		{"empty path", "https://example.com", "com,example)/"},
		{"not a url", "Not A URL", "not a url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SURT(tc.in); got != tc.want {
				t.Errorf("SURT(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

type cdxjEntry struct {
	surt, ts string
	URL      string `json:"url"`
	Mime     string `json:"mime"`
	Status   string `json:"status"`
	Digest   string `json:"digest"`
	Length   string `json:"length"`
	Offset   string `json:"offset"`
	Filename string `json:"filename"`
}

func parseCDXJ(t *testing.T, data []byte) []cdxjEntry {
	t.Helper()
	var out []cdxjEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		surt, rest, ok1 := strings.Cut(sc.Text(), " ")
		ts, js, ok2 := strings.Cut(rest, " ")
		if !ok1 || !ok2 {
			t.Fatalf("cdxj line %q: want SURT TIMESTAMP JSON", sc.Text())
		}
		e := cdxjEntry{surt: surt, ts: ts}
		if err := json.Unmarshal([]byte(js), &e); err != nil {
			t.Fatalf("cdxj line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// TestIndexWARC indexes an exported WARC and checks every line against the
// WARC itself: each offset/length is exactly one gzip member holding the
// response for that URL (read back with gowarc's file reader at that
// offset), digests and statuses match the captures, lines are sorted.
func TestIndexWARC(t *testing.T) {
	cs := warcCaptures()
	// A third capture whose SURT sorts first, to check the ordering.
	third := cs[0]
	third.c.URL = "https://a.example.com/z"
	third.id = "<urn:uuid:0a1b2c3d-0000-4000-8000-000000000003>"
	cs = append(cs, third)
	data := exportWARC(t, cs)

	var idx bytes.Buffer
	n, err := IndexWARC(context.Background(), &idx, bytes.NewReader(data), "parc.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	if n != len(cs) {
		t.Fatalf("IndexWARC = %d lines, want %d (one per response)", n, len(cs))
	}
	entries := parseCDXJ(t, idx.Bytes())
	if len(entries) != n {
		t.Fatalf("%d lines in the index, IndexWARC said %d", len(entries), n)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(idx.String(), "\n"), "\n")
	if !slices.IsSorted(lines) {
		t.Errorf("index not sorted:\n%s", idx.String())
	}
	byURL := map[string]testCapture{}
	for _, c := range cs {
		byURL[c.c.URL] = c
	}
	for _, e := range entries {
		t.Run(e.URL, func(t *testing.T) {
			c, ok := byURL[e.URL]
			if !ok {
				t.Fatalf("indexed url %q is not a capture", e.URL)
			}
			if e.surt != SURT(c.c.URL) || e.ts != c.c.FetchedAt.UTC().Format("20060102150405") || e.Filename != "parc.warc.gz" {
				t.Errorf("key %q %q filename %q", e.surt, e.ts, e.Filename)
			}
			if !sameDigest(e.Digest, PayloadDigest(c.c.Body)) {
				t.Errorf("digest %q, want %q", e.Digest, PayloadDigest(c.c.Body))
			}
			if e.Status != strconv.Itoa(c.c.Status) {
				t.Errorf("status %q, want %d", e.Status, c.c.Status)
			}
			if c.c.Header.Get("Content-Type") != "" && e.Mime != "text/html" {
				t.Errorf("mime %q", e.Mime)
			}
			off, err1 := strconv.ParseInt(e.Offset, 10, 64)
			length, err2 := strconv.ParseInt(e.Length, 10, 64)
			if err := errors.Join(err1, err2); err != nil || off < 0 || length <= 0 || off+length > int64(len(data)) {
				t.Fatalf("offset %q length %q outside the %d-byte file (%v)", e.Offset, e.Length, len(data), err)
			}
			// Exactly one gzip member.
			zr, err := gzip.NewReader(bytes.NewReader(data[off : off+length]))
			if err != nil {
				t.Fatalf("member at %d: %v", off, err)
			}
			zr.Multistream(false)
			if _, err := io.Copy(io.Discard, zr); err != nil {
				t.Fatalf("member at %d..%d: %v", off, off+length, err)
			}
			if err := zr.Reset(bytes.NewReader(nil)); !errors.Is(err, io.EOF) {
				t.Errorf("bytes left after the member")
			}
			// gowarc's own reader, seeking to the offset, finds the response.
			wf, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(data), off)
			if err != nil {
				t.Fatal(err)
			}
			defer wf.Close()
			rec, err := wf.Next()
			if err != nil {
				t.Fatalf("gowarc at offset %d: %v", off, err)
			}
			defer rec.Close()
			if rec.WarcRecord.Type() != gowarc.Response || rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI) != c.c.URL ||
				rec.WarcRecord.WarcHeader().Get(gowarc.WarcRecordID) != c.id {
				t.Errorf("record at %d: %s %s %s", off, rec.WarcRecord.Type(), rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI), rec.WarcRecord.WarcHeader().Get(gowarc.WarcRecordID))
			}
		})
	}
}

func TestIndexWARCErrors(t *testing.T) {
	good := exportWARC(t, warcCaptures())
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"not gzip", []byte("WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n")},
		{"truncated member", good[:len(good)-10]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := IndexWARC(context.Background(), io.Discard, bytes.NewReader(tc.data), "x.warc.gz"); err == nil {
				t.Error("IndexWARC succeeded")
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		var out bytes.Buffer
		if n, err := IndexWARC(context.Background(), &out, bytes.NewReader(nil), "x.warc.gz"); err != nil || n != 0 || out.Len() != 0 {
			t.Errorf("empty input: %d, %v, %q", n, err, out.String())
		}
	})
}
