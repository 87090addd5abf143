package testtool

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
)

// GzipMember is one member of a multi-member gzip file (a .warc.gz holds
// one per record): its bytes as they are in the file, and what they
// inflate to.
type GzipMember struct {
	Raw, Data []byte
}

// GzipMembers splits data into its gzip members with the standard
// library's reader (not the writer parc uses), failing tb on any error.
func GzipMembers(tb testing.TB, data []byte) []GzipMember {
	tb.Helper()
	br := bufio.NewReader(bytes.NewReader(data))
	var out []GzipMember
	at := 0
	for {
		if _, err := br.Peek(1); err == io.EOF {
			return out
		}
		cr := &countingReader{r: br}
		zr, err := gzip.NewReader(cr)
		if err != nil {
			tb.Fatalf("gzip member %d: %v", len(out), err)
		}
		zr.Multistream(false)
		plain, err := io.ReadAll(zr)
		if err != nil {
			tb.Fatalf("gzip member %d: %v", len(out), err)
		}
		out = append(out, GzipMember{Raw: data[at : at+cr.n], Data: plain})
		at += cr.n
	}
}

// countingReader counts the bytes a gzip reader takes: given an
// io.ByteReader, it reads byte by byte, never ahead.
type countingReader struct {
	r *bufio.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// WARCRecord is one record of a .warc.gz as ReadWARC reads it.
type WARCRecord struct {
	Version string // "WARC/1.1"
	Header  textproto.MIMEHeader
	Block   []byte
}

// ReadWARC is a minimal WARC reader independent of the WARC libraries:
// it requires one gzip member per record and parses each member's version
// line, headers, Content-Length block and CRLFCRLF trailer, failing tb
// on any departure.
func ReadWARC(tb testing.TB, data []byte) []WARCRecord {
	tb.Helper()
	var recs []WARCRecord
	for i, m := range GzipMembers(tb, data) {
		tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(m.Data)))
		version, err := tp.ReadLine()
		if err != nil || !strings.HasPrefix(version, "WARC/") {
			tb.Fatalf("member %d: version line %q (%v)", i, version, err)
		}
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			tb.Fatalf("member %d headers: %v", i, err)
		}
		cl, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			tb.Fatalf("member %d Content-Length: %v", i, err)
		}
		rest, _ := io.ReadAll(tp.R)
		if len(rest) != cl+4 || string(rest[cl:]) != "\r\n\r\n" {
			tb.Fatalf("member %d: block of %d bytes + trailer, Content-Length %d: %q", i, len(rest), cl, rest[max(0, len(rest)-8):])
		}
		recs = append(recs, WARCRecord{Version: version, Header: h, Block: rest[:cl]})
	}
	return recs
}
