package related

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestIsBlock(t *testing.T) {
	for _, tc := range []struct {
		block string
		want  bool
	}{
		{`<div class="flex items-center gap-2"><h3>Các tin khác</h3><ul><li><a href="/a.html">Một bài khác</a></li></ul></div>`, true},
		{`<section><h2>Related articles:</h2><a href="/b">Another story</a></section>`, true},
		{`<div><h3>Tin liên quan</h3></div>`, false},                                   // no link
		{`<div><h3>Kết quả sản xuất</h3><p><a href="/c">số liệu</a></p></div>`, false}, // a heading of the article
		{`<div>Xem thêm <h3>Các tin khác</h3><a href="/d">x</a></div>`, false},         // text before the heading
		{`<div><p>Các tin khác</p><a href="/e">x</a></div>`, false},                    // no heading element
	} {
		doc, err := html.Parse(strings.NewReader("<html><body>" + tc.block + "</body></html>"))
		if err != nil {
			t.Fatal(err)
		}
		body := doc.FirstChild.LastChild
		if got := IsBlock(body.FirstChild); got != tc.want {
			t.Errorf("IsBlock(%s) = %v, want %v", tc.block, got, tc.want)
		}
	}
}
