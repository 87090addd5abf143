package htmldoc

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// FuzzParse feeds arbitrary bytes and Content-Type values to Parse, the
// charset path every fetched page takes: it must never panic, and every
// text node and attribute value of the parsed document must be valid UTF-8
// in NFC, whatever the declared or sniffed charset.
func FuzzParse(f *testing.F) {
	vn := "Tập đoàn Hóa chất Việt Nam: Thứ tư, 27/01/2021"
	cp1258 := "Ha\xcc N\xf4\xf2i \xd0a\xecng" // "Hà Nội Đáng" with combining tone marks
	for _, seed := range []struct {
		body, contentType string
	}{
		{"<html><head><meta charset=utf-8></head><body><p>" + vn + "</p></body></html>", "text/html"},
		{"<p>" + norm.NFD.String(vn) + "</p>", "text/html; charset=utf-8"},
		{"<meta charset=windows-1258><p>" + cp1258 + "</p>", ""},
		{"<p>" + cp1258 + "</p>", "text/html; charset=windows-1258"},
		{"<meta http-equiv=Content-Type content='text/html; charset=windows-1258'><p>" + cp1258, "text/html"},
		{"\xef\xbb\xbf<p>BOM " + vn, "text/html; charset=iso-8859-1"},
		{"\xff\xfe<\x00p\x00>\x00a\x00", ""},
		{"\xfe\xff\x00<\x00p\x00>\x00a", "text/html; charset=utf-16"},
		{"<p>e&#769; a&#x300; \xc3\x28 \xed\xa0\x80</p>", "text/html; charset=utf-8"},
		{"<p title='o&#x302;&#x301;'>x</p>", "text/html; charset=nonsense"},
		{"<meta charset=shift_jis><p>\x82\xa0</p>", ""},
		{"", ""},
	} {
		f.Add([]byte(seed.body), seed.contentType)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		doc, _, err := Parse(body, contentType)
		if err != nil {
			if doc != nil {
				t.Fatalf("document with error %v", err)
			}
			return
		}
		if doc == nil || len(doc.Nodes) == 0 {
			t.Fatal("nil document without error")
		}
		checkTree(t, doc.Nodes[0])
	})
}
