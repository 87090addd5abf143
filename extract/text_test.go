package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/parc-archiver/parc/internal/htmldoc"
)

func TestParagraphs(t *testing.T) {
	for _, tc := range []struct {
		name, html string
		want       []string
	}{
		{"br-br-splits", `Dòng một<br><br>Dòng hai<br>cùng đoạn`, []string{"Dòng một", "Dòng hai cùng đoạn"}},
		{"nbsp-zero-width", "<p>A\u00a0\u00a0b\u200bc&nbsp; d\ufeff</p><p>&nbsp;</p>", []string{"A bc d"}},
		{"nested-blocks-no-duplicates", `<div><div><p>Một</p></div><div>Hai <span>ba</span></div></div>`, []string{"Một", "Hai ba"}},
		{"headings-and-lists", `<h2>Tiêu đề phụ</h2><ul><li>Ý một</li><li>Ý hai</li></ul><blockquote>Trích dẫn</blockquote>`, []string{"Tiêu đề phụ", "Ý một", "Ý hai", "Trích dẫn"}},
		{"table-rows", `<table><tr><td>Chỉ tiêu</td><td>2024</td></tr><tr><td>Doanh thu</td><td>60</td></tr></table>`, []string{"Chỉ tiêu | 2024", "Doanh thu | 60"}},
		{"nfd-to-nfc", norm.NFD.String(`<p>Tiếng Việt có dấu</p>`), []string{"Tiếng Việt có dấu"}},
		{"script-in-paragraph", `<p>Trước<script>x()</script> sau</p>`, []string{"Trước sau"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, _, err := htmldoc.Parse([]byte("<div id=r>"+tc.html+"</div>"), "text/html; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range paragraphs(doc.Find("#r").Nodes[0]) {
				got = append(got, p.text)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("paragraphs = %q, want %q", got, tc.want)
			}
		})
	}
}
