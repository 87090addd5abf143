package extract

import (
	"strings"
	"testing"
)

// logoPage is a Vietnamese page whose only statement of the site's name
// is its logo's alt text (no og:site_name), with meta author as given
// and no byline printed.
func logoPage(author string) string {
	return `<html lang="vi"><head><title>Tập đoàn tổng kết năm</title><meta name="author" content="` + author + `"></head><body>
<header><a class="brand" href="/"><img src="/static/logo.png" alt="Tập đoàn Hóa chất Việt Nam"></a></header>
<article><h1>Tập đoàn tổng kết năm</h1><div class="content">` +
		strings.Repeat(`<p>Hội nghị tổng kết năm của Tập đoàn đã đánh giá kết quả sản xuất kinh doanh và đề ra kế hoạch cho năm tới với nhiều chỉ tiêu quan trọng.</p>`, 4) +
		`</div></article><footer>© Tập đoàn Hóa chất Việt Nam</footer></body></html>`
}

// The site's name from meta author is never a byline, also when generic
// extraction hands it over and only the logo's alt names the site; a
// person's name there stays.
func TestSiteNameFromLogoIsNoByline(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ author, want string }{
		{"Tập đoàn Hóa chất Việt Nam", ""},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
	} {
		a, err := x.Extract(strings.NewReader(logoPage(c.author)), Input{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Byline != c.want {
			t.Errorf("meta author %q: byline %q, want %q", c.author, a.Byline, c.want)
		}
	}
}
