package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/extract/template"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// templatePage is one article of a portal whose template no rule of
// extraction can tell from content: a promotion line inside every
// article's text, a brand as every page's meta[name=author], the site's
// name only in <title>. Every article is of one day and closes with one
// name on odd pages, as a small portal's often are.
func templatePage(i int) string {
	closing := ""
	if i%2 == 1 {
		closing = "<p>NGUYỄN THỊ HỒNG LIÊN</p>"
	}
	return fmt.Sprintf(`<!doctype html><html><head><title>Nhà máy số %[1]d tăng sản lượng phân bón - Báo Mẫu</title>
<meta name="author" content="Hoàng Anh Media"></head><body>
<div class="wrap"><div class="news">
<h1>Nhà máy số %[1]d tăng sản lượng phân bón</h1>
<div class="when">Thứ Sáu, 04/12/2026</div>
<div class="text">
<p>Nhà máy số %[1]d cho biết sản lượng phân bón tháng này tăng mạnh so với cùng kỳ năm trước nhờ dây chuyền mới.</p>
<p>Ban giám đốc nhà máy số %[1]d dự kiến mở rộng thêm một phân xưởng vào quý tới để đáp ứng nhu cầu của nông dân.</p>
<p>Mời quý độc giả theo dõi các chương trình đã phát sóng của Báo Mẫu trên kênh truyền hình trực tuyến của chúng tôi!</p>
%[2]s
</div></div></div></body></html>`, i, closing)
}

func learnTemplate(t *testing.T, host string, pages int) *template.Model {
	t.Helper()
	l := template.NewLearner()
	for i := range pages {
		doc, _, err := htmldoc.Parse([]byte(templatePage(i)), "text/html; charset=utf-8")
		if err != nil {
			t.Fatal(err)
		}
		l.Add(doc.Nodes[0], host)
	}
	m, ok := l.Model(1, time.Now())
	if !ok {
		t.Fatal("no model")
	}
	return m
}

func extractWith(t *testing.T, m *template.Model, pageURL, page string) *Article {
	t.Helper()
	x, err := New(Options{Template: m, Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	art, err := x.Extract(strings.NewReader(page), Input{URL: mustURL(pageURL), FetchedAt: fetchedAt})
	if err != nil {
		t.Fatal(err)
	}
	return art
}

func TestTemplateModelRemovesWhatEveryPagePrints(t *testing.T) {
	page := templatePage(77) // not one of the pages learned
	const promo = "Mời quý độc giả"
	// Without the model, generic extraction has no way to know.
	bare := extractWith(t, nil, "https://baomau.vn/tin/77.html", page)
	noName := extractWith(t, nil, "https://baomau.vn/tin/78.html", templatePage(78))
	if !strings.Contains(bare.Body, promo) || noName.Byline != "Hoàng Anh Media" {
		t.Fatalf("without a model: byline %q, body %q: the fixture no longer shows the failure", noName.Byline, bare.Body)
	}
	m := learnTemplate(t, "baomau.vn", 20)
	art := extractWith(t, m, "https://baomau.vn/tin/77.html", page)
	if strings.Contains(art.Body, promo) {
		t.Errorf("body keeps the promotion line every page prints: %q", art.Body)
	}
	if !strings.HasPrefix(art.Body, "Nhà máy số 77 cho biết") || !strings.Contains(art.Body, "phân xưởng vào quý tới") {
		t.Errorf("body lost the article's text: %q", art.Body)
	}
	// A date and a credit every page prints alike stay the page's.
	if want := time.Date(2026, 12, 4, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600)); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
	if art.Byline != "NGUYỄN THỊ HỒNG LIÊN" {
		t.Errorf("byline %q, want the closing name every article prints (not the meta brand)", art.Byline)
	}
	if got := extractWith(t, m, "https://baomau.vn/tin/78.html", templatePage(78)); got.Byline != "" {
		t.Errorf("byline %q: the brand every page's meta[name=author] gives", got.Byline)
	}
	if art.Title != "Nhà máy số 77 tăng sản lượng phân bón" {
		t.Errorf("title %q", art.Title)
	}
	rules := map[string]int{}
	for _, r := range art.Removed {
		rules[r.Rule]++
	}
	if rules[RuleTemplateBlock] != 1 || rules[RuleTemplateAuthor] != 1 {
		t.Errorf("audit trail lacks the template rules: %+v", art.Removed)
	}
	// The model is its portal's only.
	other := extractWith(t, m, "https://other.example/tin/77.html", page)
	if other.Body != bare.Body || other.Byline != bare.Byline {
		t.Errorf("a model applied to another host: byline %q body %q", other.Byline, other.Body)
	}
}
