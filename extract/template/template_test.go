package template

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// page is one article page of a small portal: a menu, a sidebar and a
// footer every page prints, a promotion line under every article, and
// the article's own headline and paragraphs. footer varies the footer's
// text (a second template); author is the meta[name=author].
func page(i int, footer, author string) string {
	return fmt.Sprintf(`<!doctype html><html><head><title>Tin số %[1]d về nhà máy - Báo Mẫu</title>
<meta name="author" content="%[3]s"></head><body>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức hoạt động</a></li><li><a href="/lh">Liên hệ với chúng tôi</a></li></ul>
<div class="main"><h1>Tin số %[1]d về nhà máy</h1>
<div class="content">
  <p>Đoạn mở đầu của bài số %[1]d kể chuyện nhà máy phân bón ở tỉnh số %[1]d.</p>
  <p>Đoạn thứ hai của bài số %[1]d, với số liệu sản xuất của năm.</p>
  <p><em>Mời quý độc giả theo dõi các chương trình của Báo Mẫu trên kênh truyền hình trực tuyến!</em></p>
</div></div>
<div class="side"><p>Báo Mẫu là cơ quan ngôn luận của ngành hóa chất, phát hành hằng ngày.</p></div>
<div class="foot">%[2]s</div>
</body></html>`, i, footer, author)
}

const (
	footerA = "Bản quyền thuộc Báo Mẫu. Giấy phép số 12/GP-BTTTT."
	footerB = "© Báo Mẫu, số 1 Phố Mẫu, Hà Nội. Điện thoại 024 0000 0000."
)

func parse(t testing.TB, s string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func learnPages(t *testing.T, n int, footer func(i int) string, author func(i int) string) *Model {
	t.Helper()
	l := NewLearner()
	for i := range n {
		l.Add(parse(t, page(i, footer(i), author(i))), "www.baomau.vn")
	}
	m, ok := l.Model(1, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatalf("no model from %d pages", n)
	}
	return m
}

func texts(bs []Block) []string {
	var out []string
	for _, bl := range bs {
		out = append(out, strings.Join(strings.Fields(htmldoc.Text(bl.Node)), " "))
	}
	return out
}

func TestModelKnowsWhatPagesPrintAlike(t *testing.T) {
	same := func(int) string { return "Báo Mẫu Media" }
	m := learnPages(t, 12, func(int) string { return footerA }, same)
	// A page the model never saw: its template blocks, not its article.
	root := parse(t, page(99, footerA, "Báo Mẫu Media"))
	got := strings.Join(texts(m.TemplateBlocks(root)), "\n")
	for _, want := range []string{"Liên hệ với chúng tôi", "Mời quý độc giả", "Báo Mẫu là cơ quan", footerA} {
		if !strings.Contains(got, want) {
			t.Errorf("template blocks lack %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"bài số 99", "Tin số 99"} {
		if strings.Contains(got, not) {
			t.Errorf("template blocks hold the article's %q:\n%s", not, got)
		}
	}
	if n := len(m.TemplateBlocks(root)); n != 4 {
		t.Errorf("%d blocks, want the 4 outermost:\n%s", n, got)
	}
	if got := m.SiteNames("Tin số 99 về nhà máy - Báo Mẫu"); len(got) != 1 || got[0] != "Báo Mẫu" {
		t.Errorf("SiteNames = %q, want [Báo Mẫu]", got)
	}
	if got := m.AuthorMetas(root); len(got) != 1 {
		t.Errorf("AuthorMetas = %d elements, want the constant one", len(got))
	}
	if !m.AppliesTo("baomau.vn") || !m.AppliesTo("WWW.baomau.vn") || m.AppliesTo("other.vn") {
		t.Errorf("AppliesTo: hosts %q", m.Hosts)
	}
}

func TestModelLearnsEveryTemplateAndNoAuthor(t *testing.T) {
	footer := func(i int) string { return []string{footerA, footerB}[i%2] }
	m := learnPages(t, 12, footer, func(i int) string { return fmt.Sprintf("Tác Giả Số %d", i) })
	for _, f := range []string{footerA, footerB} {
		got := strings.Join(texts(m.TemplateBlocks(parse(t, page(50, f, "X")))), "\n")
		if !strings.Contains(got, f) {
			t.Errorf("footer of a template on half the pages not learned: %q\n%s", f, got)
		}
	}
	if len(m.Authors) != 0 {
		t.Errorf("authors that differ per page learned as the site's: %d", len(m.Authors))
	}
}

func TestModelNeedsPages(t *testing.T) {
	l := NewLearner()
	for i := range MinPages - 1 {
		l.Add(parse(t, page(i, footerA, "A")), "baomau.vn")
	}
	if m, ok := l.Model(1, time.Now()); ok || m != nil {
		t.Fatalf("a model from %d pages", l.Pages())
	}
	var none *Model
	if none.TemplateBlocks(parse(t, page(1, footerA, "A"))) != nil || none.AppliesTo("baomau.vn") || none.SiteNames("a - b") != nil {
		t.Error("a nil model knows something")
	}
}

func TestModelStoredForm(t *testing.T) {
	m := learnPages(t, 10, func(int) string { return footerA }, func(int) string { return "A" })
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "Báo Mẫu") || strings.Contains(string(b), "quý độc giả") {
		t.Errorf("the stored model holds text: %s", b)
	}
	got, err := Decode(b)
	if err != nil || got.Version != 1 || got.Pages != 10 || len(got.Blocks) != len(m.Blocks) || got.MaxBlock != m.MaxBlock {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	if _, err := Decode([]byte(`{"format":99}`)); !errors.Is(err, ErrOutdated) {
		t.Errorf("another format: %v, want ErrOutdated", err)
	}
	if _, err := Decode([]byte(`{`)); err == nil || errors.Is(err, ErrOutdated) {
		t.Errorf("damaged: %v", err)
	}
}

// BenchmarkLearn learns a model from 60 generated-theme article pages
// (parsed outside the timing): what a run's start costs when it learns one.
func BenchmarkLearn(b *testing.B) {
	p := sim.New(sim.Options{Articles: 61, Seed: 4, Layout: sim.LayoutGenerated})
	var roots []*html.Node
	for _, a := range p.Truth()[:60] {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://sim.parc.test"+a.URL, nil))
		roots = append(roots, parse(b, rec.Body.String()))
	}
	b.ReportAllocs()
	for b.Loop() {
		l := NewLearner()
		for _, r := range roots {
			l.Add(r, "sim.parc.test")
		}
		if _, ok := l.Model(1, time.Now()); !ok {
			b.Fatal("no model")
		}
	}
}
