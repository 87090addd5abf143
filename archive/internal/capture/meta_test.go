package capture

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// checkMeta fails t unless appendMeta(m) equals
// json.Marshal(m): same bytes, or the same error. It also checks that
// the bytes already in dst are kept.
func checkMeta(t *testing.T, m *Meta) {
	t.Helper()
	want, wantErr := json.Marshal(m)
	prefix := []byte("prefix")
	got, gotErr := appendMeta(append([]byte(nil), prefix...), m)
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
		t.Fatalf("error = %v, json.Marshal error = %v", gotErr, wantErr)
	}
	if !bytes.HasPrefix(got, prefix) {
		t.Fatalf("dst prefix lost: %q", got)
	}
	if got := got[len(prefix):]; wantErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("appendMeta:\n got %s\nwant %s", got, want)
	}
	if wantErr != nil && len(got) != len(prefix) {
		t.Fatalf("dst grew on error: %q", got)
	}
}

// trickyText holds every ASCII byte, the separators JSON-P chokes on,
// invalid and truncated UTF-8, and Vietnamese text.
var trickyText = func() string {
	var sb strings.Builder
	for b := 0; b < 0x80; b++ {
		sb.WriteByte(byte(b))
	}
	sb.WriteString("\u2028|\u2029|\u2027\u202a|\xff\xfe|\xc3|\xe2\x80|\xed\xa0\x80|\xf4\x90\x80\x80|")
	sb.WriteString("Tiếng Việt: Đường Nguyễn Huệ, Hồ Chí Minh – “trích dẫn” 😀\ufffd\ufeff")
	return sb.String()
}()

func TestAppendMeta(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	odd := time.FixedZone("", -(3*3600 + 30*60 + 15)) // offset with seconds
	at := time.Date(2024, 3, 9, 8, 5, 7, 0, time.UTC)
	base := func() Meta {
		return Meta{URL: "https://vnexpress.net/a-1.html", Method: "GET",
			RequestHeader: map[string][]string{"User-Agent": {"parc"}}, Status: 200,
			Header: map[string][]string{"Content-Type": {"text/html"}}, FetchedAt: at,
			Digest: "sha1:ABC", Size: 123, Encoding: EncodingS2}
	}
	with := func(f func(*Meta)) Meta { m := base(); f(&m); return m }
	tests := []struct {
		name string
		m    Meta
	}{
		{"zero value", Meta{}},
		{"typical", base()},
		{"nil maps", with(func(m *Meta) { m.RequestHeader, m.Header = nil, nil })},
		{"empty maps", with(func(m *Meta) { m.RequestHeader, m.Header = map[string][]string{}, map[string][]string{} })},
		{"nil and empty slices", with(func(m *Meta) {
			m.Header = map[string][]string{"A": nil, "B": {}, "C": {""}, "D": {"", ""}}
		})},
		{"key order", with(func(m *Meta) {
			m.Header = map[string][]string{"b": {"1"}, "a": {"2"}, "B": {"3"}, "A": {"4"}, "Ä": {"5"},
				"": {"6"}, "aa": {"7"}, "a\x00": {"8"}, "\xff": {"9"}, "<": {"10"}, "Z": {"11"}}
		})},
		{"many keys", with(func(m *Meta) {
			m.Header = map[string][]string{}
			for i := range 100 {
				m.Header[strings.Repeat("k", i%7)+string(rune('A'+i%26))+strings.Repeat("x", i)] = []string{strings.Repeat("v", i)}
			}
		})},
		{"tricky strings", Meta{URL: trickyText, Method: trickyText,
			RequestHeader: map[string][]string{trickyText: {trickyText, "x"}},
			Header:        map[string][]string{"q\"b\\": {"<a href=\"x\">&amp;</a>"}, "\b\f\n\r\t\x00\x1f\x7f": {"\b\f\n\r\t\x00\x1f\x7f"}},
			Digest:        trickyText, Encoding: trickyText, FetchedAt: at}},
		{"only separators", with(func(m *Meta) { m.URL = "\u2028\u2029\u2028" })},
		{"trailing invalid", with(func(m *Meta) { m.URL = "abc\xe2\x80" })},
		{"vietnamese", with(func(m *Meta) {
			m.URL = "https://tuoitre.vn/tìm-kiếm?q=Hà Nội&page=2"
			m.Header = map[string][]string{"Content-Disposition": {`attachment; filename="Báo cáo năm 2024.pdf"`}}
		})},
		{"nanoseconds", with(func(m *Meta) { m.FetchedAt = at.Add(123456789) })},
		{"trailing zero nanos", with(func(m *Meta) { m.FetchedAt = at.Add(120 * time.Millisecond) })},
		{"one nanosecond", with(func(m *Meta) { m.FetchedAt = at.Add(1) })},
		{"non-UTC", with(func(m *Meta) { m.FetchedAt = at.Add(5e5).In(hcm) })},
		{"offset with seconds", with(func(m *Meta) { m.FetchedAt = at.In(odd) })},
		{"local", with(func(m *Meta) { m.FetchedAt = at.Local() })},
		{"monotonic", with(func(m *Meta) { m.FetchedAt = time.Now() })},
		{"zero time", with(func(m *Meta) { m.FetchedAt = time.Time{} })},
		{"year 0", with(func(m *Meta) { m.FetchedAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) })},
		{"year 9999", with(func(m *Meta) { m.FetchedAt = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC) })},
		{"year 10000 (error)", with(func(m *Meta) { m.FetchedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) })},
		{"year -1 (error)", with(func(m *Meta) { m.FetchedAt = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) })},
		{"offset 24h (error)", with(func(m *Meta) { m.FetchedAt = at.In(time.FixedZone("", 24*3600)) })},
		{"negative status and size", with(func(m *Meta) { m.Status, m.Size = -1, -1<<62 })},
		{"zero status and size", with(func(m *Meta) { m.Status, m.Size = 0, 0 })},
		{"large size", with(func(m *Meta) { m.Size = 1<<63 - 1 })},
		{"no encoding", with(func(m *Meta) { m.Encoding = "" })},
		{"empty method", with(func(m *Meta) { m.Method = "" })},
		{"realistic", benchMeta()},
		{"wire", with(func(m *Meta) { m.Wire, m.Decoded, m.Proto, m.Chunked = true, 4567, "HTTP/1.1", true })},
		{"wire, negative decoded", with(func(m *Meta) { m.Wire, m.Decoded, m.Proto = true, -3, trickyText })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMeta(t, &tt.m) })
	}
}

// TestAppendMetaAllocs guards the point of appendMeta: no
// allocation when dst has room.
func TestAppendMetaAllocs(t *testing.T) {
	m := benchMeta()
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { _, _ = appendMeta(buf, &m) }); n != 0 {
		t.Errorf("appendMeta allocates %v times per call, want 0", n)
	}
}

func FuzzAppendMeta(f *testing.F) {
	f.Add("https://vnexpress.net/a.html", "GET", "Content-Type", "text/html; charset=utf-8", "Set-Cookie", "sid=1",
		200, 1234, "sha1:ABC", "s2", int64(1700000000), int64(123456789), int32(0), uint8(0))
	f.Add("a<b>&\u2028\u2029\"\\\x00\x1f\x7f\xff", "", "", "\xe2\x80", "K", "Tiếng Việt",
		-1, 0, "", "", int64(-62135596800), int64(0), int32(7*3600), uint8(0xff))
	f.Add("", "", "", "", "", "", 0, 0, "", "", int64(253402300800), int64(-1), int32(24*3600), uint8(0x55))
	f.Fuzz(func(t *testing.T, url, method, k1, v1, k2, v2 string, status, size int, digest, encoding string,
		sec, nsec int64, offset int32, shape uint8) {
		// shape picks nil/empty maps and nil/empty/two-value slices.
		header := func(bits uint8) map[string][]string {
			switch bits & 3 {
			case 0:
				return nil
			case 1:
				return map[string][]string{}
			}
			h := map[string][]string{k1: {v1, v2}, k2: nil, v1: {}}
			if bits&2 != 0 {
				h[v2] = []string{k1}
			}
			return h
		}
		m := Meta{URL: url, Method: method, RequestHeader: header(shape), Status: status,
			Header: header(shape >> 2), FetchedAt: time.Unix(sec, nsec), Digest: digest, Size: size,
			Encoding: encoding}
		switch shape >> 4 & 3 {
		case 0:
			m.FetchedAt = m.FetchedAt.UTC()
		case 1:
			m.FetchedAt = m.FetchedAt.In(time.FixedZone("", int(offset)))
		case 2:
			m.FetchedAt = time.Time{}
		}
		checkMeta(t, &m)
	})
}

// benchMeta is the header of a typical crawled article.
func benchMeta() Meta {
	return Meta{
		URL:    "https://vnexpress.net/thu-tuong-chi-dao-day-nhanh-tien-do-cao-toc-bac-nam-4801234.html",
		Method: "GET",
		RequestHeader: map[string][]string{
			"User-Agent":      {"parc/1.4.0 (+https://github.com/parc-archiver/parc)"},
			"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
			"Accept-Language": {"vi-VN,vi;q=0.9,en;q=0.5"},
		},
		Status: 200,
		Header: map[string][]string{
			"Content-Type":   {"text/html; charset=UTF-8"},
			"Date":           {"Tue, 12 Nov 2024 03:14:15 GMT"},
			"Server":         {"nginx"},
			"Etag":           {`W/"5f2a-18d3c1a9b40"`},
			"Last-Modified":  {"Tue, 12 Nov 2024 02:58:01 GMT"},
			"Cache-Control":  {"max-age=60, public"},
			"Set-Cookie":     {"device_env=4; path=/; domain=.vnexpress.net; Max-Age=2592000", "sw_version=1; path=/; SameSite=Lax"},
			"Vary":           {"Accept-Encoding"},
			"Content-Length": {"184213"},
			"X-Cache":        {"HIT from edge-hcm-02"},
		},
		FetchedAt: time.Date(2024, 11, 12, 3, 14, 15, 482913000, time.UTC),
		Digest:    "sha1:3I42H3S6NNFQ2MSVX7XZKH7X2IQZ2C7R",
		Size:      184213,
		Encoding:  EncodingS2,
	}
}

func BenchmarkMetaJSON(b *testing.B) {
	m := benchMeta()
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			// A fresh buffer per call, as encodeCapture would use.
			if _, err := appendMeta(nil, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append-reuse", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			// A buffer kept across calls: the steady-state cost.
			var err error
			if buf, err = appendMeta(buf[:0], &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
