package learn

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"go.yaml.in/yaml/v3"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
)

// words of the hand-written pages' text, combined per page.
var vocab = strings.Fields("công ty sản lượng phân bón tăng trưởng hội nghị tổng kết năm đại biểu kế hoạch kinh doanh nhà máy vận hành dây chuyền mới quý tháng xuất khẩu thị trường doanh thu lợi nhuận đầu tư dự án")

func sentence(k, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[(k*7+i*3+i*i)%len(vocab)])
	}
	r := []rune(b.String())
	return strings.ToUpper(string(r[:1])) + string(r[1:]) + "."
}

// article is one hand-written page's content.
type article struct {
	title, byline string
	published     time.Time
	paras         []string
}

func makeArticle(k int) article {
	a := article{
		title:     fmt.Sprintf("Tin số %d: %s", k, strings.TrimSuffix(sentence(k, 6), ".")),
		byline:    []string{"Minh Đức", "Thu Hà", "Văn Thắng", "Lê Phương"}[k%4],
		published: time.Date(2024, time.Month(1+k%12), 1+k%27, 8+k%10, 15, 0, 0, time.FixedZone("ICT", 7*3600)),
	}
	for p := 0; p < 4; p++ {
		a.paras = append(a.paras, sentence(k*5+p, 14)+" "+sentence(k*5+p+1, 12))
	}
	return a
}

// Template A: a VIEPortal-style box with inline headline and date line,
// a sponsor block inside the body element, the author after it.
func templateA(a article) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>Báo Hóa chất | %s</title></head><body><div class="menu"><a href="/">Trang chủ</a></div>
<div class="NewsDetail"><span class="Title">%s</span><span class="Date">Ngày %s</span>
<div class="Content">`, a.title, a.title, a.published.Format("02/01/2006 15:04"))
	for _, p := range a.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	fmt.Fprintf(&b, `<div class="Sponsor"><b>Sponsor links</b>: <a href="http://x.test/">Thiết kế web</a>, <a href="http://x.test/">Thiết kế website công ty</a></div></div>
<div class="Author">Tác giả: <b>%s</b></div></div><div class="footer">© Báo Hóa chất</div></body></html>`, a.byline)
	return b.String()
}

// Template B: VIEApps-style: a category label before an h2, a date div,
// a captioned picture first in the body.
func templateB(a article) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>%s - Báo Hóa chất</title></head><body><nav><a href="/">Trang chủ</a></nav>
<div class="cms view content"><label class="category">Tin tập đoàn</label><h2>%s</h2><div class="published">%s</div>
<div class="details"><figure><img src="/a.jpg"><figcaption>Ảnh hội nghị %s</figcaption></figure>`, a.title, a.title, a.published.Format("15:04 02/01/2006"), a.byline)
	for _, p := range a.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	fmt.Fprintf(&b, `</div><div class="author">%s</div></div></body></html>`, a.byline)
	return b.String()
}

// Template C: a page of a layout seen once.
func templateC(a article) string {
	return fmt.Sprintf(`<html><head><title>%s</title></head><body><section class="story"><h3 class="kicker-head">%s</h3><em class="when">%s</em><div class="story-text"><p>%s</p><p>%s</p></div></section></body></html>`,
		a.title, a.title, a.published.Format("02/01/2006 15:04"), a.paras[0], a.paras[1])
}

// twoTemplates is 6 pages of template A, 6 of B and one of C.
func twoTemplates() ([]Page, []article) {
	var pages []Page
	var arts []article
	for k := 0; k < 13; k++ {
		a := makeArticle(k)
		html := templateA(a)
		switch {
		case k == 12:
			html = templateC(a)
		case k%2 == 1:
			html = templateB(a)
		}
		pages = append(pages, Page{URL: fmt.Sprintf("http://portal.test/news/%d.html", k), Body: []byte(html),
			ContentType: "text/html; charset=utf-8", FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		arts = append(arts, a)
	}
	return pages, arts
}

func learnTwoTemplates(t *testing.T) (*Result, []Page, []article) {
	t.Helper()
	pages, arts := twoTemplates()
	res, err := Learn(context.Background(), pages, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rep bytes.Buffer
	res.WriteReport(&rep)
	t.Logf("report:\n%s", rep.String())
	return res, pages, arts
}

// Two templates side by side: the title, published, byline and body
// groups hold one selector per template, and extraction with the learned
// selectors gets every field of every page of the two templates right,
// without the sponsor block or the caption in the body.
func TestLearnTwoTemplates(t *testing.T) {
	res, pages, arts := learnTwoTemplates(t)
	sel := res.Selectors
	for field, group := range map[string]string{"title": sel.Title, "published": sel.Published, "byline": sel.Byline, "body": sel.Body} {
		if n := len(strings.Split(group, ", ")); group == "" || n != 2 {
			t.Errorf("%s: %q, want one selector per template", field, group)
		}
	}
	ex, err := extract.New(extract.Options{Profile: sel.profile()})
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range pages[:12] {
		a, err := ex.Extract(bytes.NewReader(p.Body), extract.Input{ContentType: p.ContentType})
		if err != nil {
			t.Fatalf("%s: %v", p.URL, err)
		}
		want := arts[k]
		if a.Title != want.title || !a.Published.Equal(want.published) || a.Byline != want.byline {
			t.Errorf("%s: title %q published %v byline %q, want %q %v %q", p.URL, a.Title, a.Published, a.Byline, want.title, want.published, want.byline)
		}
		if body := strings.Join(want.paras, "\n\n"); a.Body != body {
			t.Errorf("%s: body\n%q\nwant\n%q", p.URL, a.Body, body)
		}
		for _, f := range []string{"title", "published", "byline", "body"} {
			if a.Fields[f] != extract.MethodProfile {
				t.Errorf("%s: %s decided by %q, not the learned selector", p.URL, f, a.Fields[f])
			}
		}
	}
}

// The page of a template seen once is reported as unexplained for each
// field, and no selector was derived from it.
func TestLearnRareTemplateReported(t *testing.T) {
	res, pages, _ := learnTwoTemplates(t)
	rare := pages[12].URL
	missed := map[string]bool{}
	for _, u := range res.Unexplained {
		if u.URL == rare {
			missed[u.Field] = true
		} else if u.Field == "title" || u.Field == "body" {
			t.Errorf("%s: %s unexplained on a page of a learned template", u.URL, u.Field)
		}
	}
	for _, f := range []string{"title", "body"} {
		if !missed[f] {
			t.Errorf("%s of the rare template's page is not reported", f)
		}
	}
	all := strings.Join([]string{res.Selectors.Title, res.Selectors.Body, res.Selectors.Published, strings.Join(res.Selectors.Remove, " ")}, " ")
	for _, c := range []string{"kicker-head", "story", "when"} {
		if strings.Contains(all, c) {
			t.Errorf("a selector names %q, a class only the rare page has: %+v", c, res.Selectors)
		}
	}
}

// The YAML document has the one top-level key selectors:, whose keys are
// config.yaml's, and the config package accepts its selectors.
func TestLearnYAMLIsConfigSelectors(t *testing.T) {
	res, _, _ := learnTwoTemplates(t)
	var out bytes.Buffer
	if err := res.WriteYAML(&out); err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := yaml.Unmarshal(out.Bytes(), &top); err != nil || len(top) != 1 || top["selectors"] == nil {
		t.Fatalf("not one selectors: document (%v):\n%s", err, out.String())
	}
	var doc struct {
		Selectors config.Selectors `yaml:"selectors"`
	}
	dec := yaml.NewDecoder(&out)
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("keys are not config.yaml's: %v", err)
	}
	if doc.Selectors.Title != res.Selectors.Title || doc.Selectors.Body != res.Selectors.Body || len(doc.Selectors.Remove) != len(res.Selectors.Remove) {
		t.Errorf("round trip: %+v, want %+v", doc.Selectors, res.Selectors)
	}
	if err := doc.Selectors.Profile().Validate(); err != nil {
		t.Errorf("learned selectors do not compile: %v", err)
	}
}

// Selectors are derived from stable names: no class with a run of
// digits (an article's number), and a selector matches in the page.
func TestSelectorsForSkipsNumberedNames(t *testing.T) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<div class="box"><div class="news-12345 body" id="item-9876"><p class="x">t</p></div></div>`))
	if err != nil {
		t.Fatal(err)
	}
	e := doc.Find("p")
	for _, s := range selectorsFor(e) {
		if strings.Contains(s, "12345") || strings.Contains(s, "9876") {
			t.Errorf("selector %q names a numbered class or id", s)
		}
		if doc.Find(s).Length() == 0 {
			t.Errorf("selector %q matches nothing", s)
		}
	}
}

// All the proposed selectors together keep every page of the learned
// templates extractable with its title and publication time: nothing is
// reported under "all".
func TestLearnSelectorsTogether(t *testing.T) {
	res, _, _ := learnTwoTemplates(t)
	for _, u := range res.Unexplained {
		if u.Field == "all" {
			t.Errorf("%s: %s", u.URL, u.Why)
		}
	}
}

// A page generic extraction cannot read (no article in it) gives no hint:
// it is named in Unread and the others are still learned.
func TestLearnNamesUnreadPages(t *testing.T) {
	pages, _ := twoTemplates()
	empty := Page{URL: "http://portal.test/news/empty.html", Body: []byte("<html><body><div class=\"menu\"><a href=\"/\">Trang chủ</a></div></body></html>"), ContentType: "text/html"}
	res, err := Learn(context.Background(), append(pages, empty), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unread) != 1 || res.Unread[0].URL != empty.URL || res.Pages != len(pages) {
		t.Errorf("unread %+v, %d pages read; want only %s unread and %d read", res.Unread, res.Pages, empty.URL, len(pages))
	}
	if res.Selectors.Title == "" || res.Selectors.Body == "" {
		t.Errorf("nothing learned from the other pages: %+v", res.Selectors)
	}
}
