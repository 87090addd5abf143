package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/parc-archiver/parc/internal/htmldoc"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var (
	seedProfile = Profile{
		Title:     "div.Title h1",
		Published: ".PostDate",
		Body:      "div.Content",
		Remove:    []string{"div.OtherNews"},
	}
	vieappsProfile = Profile{
		Title:     "div.cms.view.content > h2",
		Published: "div.cms.view.content div.meta section > span",
		Byline:    "div.cms.view.content div.meta span > label",
		Body:      "div.cms.view.content > section",
		Lead:      "div.cms.view.content span.summary",
		Tags:      "div.cms.view.content div.tags a",
		Remove:    []string{"div.cms.view.internal.relateds", "div.cms.view.external.relateds", "div.cms.view.others"},
	}
	seedURL    = mustURL("https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Ban_chi_dao_35/")
	vieappsURL = mustURL("https://vinachem.com.vn/nd/tin-tap-doan/vinachem-to-chuc-hoi-nghi-nguoi-lao-dong-nam-2024.html")
	fetchedAt  = time.Date(2024, 4, 19, 9, 0, 0, 0, time.UTC)
)

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func extractBytes(tb testing.TB, p Profile, page []byte, u *url.URL) *Article {
	tb.Helper()
	x, err := New(Options{Profile: p})
	if err != nil {
		tb.Fatal(err)
	}
	a, err := x.Extract(bytes.NewReader(page), Input{URL: u, FetchedAt: fetchedAt})
	if err != nil {
		tb.Fatalf("extract: %v", err)
	}
	return a
}

// checkGolden compares a with testdata/<name>; -update rewrites it.
func checkGolden(t *testing.T, name string, a *Article) {
	t.Helper()
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from extraction (run go test -update after checking):\n%s", path, got)
	}
}

func assertHygiene(t *testing.T, a *Article) {
	t.Helper()
	for name, s := range map[string]string{"title": a.Title, "body": a.Body, "byline": a.Byline, "lead": a.Lead} {
		if !norm.NFC.IsNormalString(s) {
			t.Errorf("%s is not NFC", name)
		}
		if strings.ContainsAny(s, "\u00a0\u200b\ufeff") {
			t.Errorf("%s holds NBSP or zero-width characters", name)
		}
	}
	for i, p := range strings.Split(a.Body, "\n\n") {
		if p == "" || p != strings.TrimSpace(p) || strings.Contains(p, "  ") || strings.Contains(p, "\n") {
			t.Errorf("paragraph %d not clean: %q", i, p)
		}
	}
}

func TestSeedArticle(t *testing.T) {
	page := readFixture(t, "seed/page.html")
	for _, tc := range []struct {
		name       string
		profile    Profile
		extraction string
	}{
		{"profile", seedProfile, MethodProfile},
		{"zero-config", Profile{}, MethodFallback},
		{"body-selector-misses", Profile{Title: "div.Title h1", Body: "div.NoSuchBody"}, MethodFallback},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := extractBytes(t, tc.profile, page, seedURL)
			if a.Title != "Ban chỉ đạo 35 Đảng ủy Tập đoàn tổ chức Hội nghị tổng kết hoạt động năm 2020" {
				t.Errorf("title = %q", a.Title)
			}
			if got := a.Published.Format(time.RFC3339); got != "2021-01-27T13:39:00+07:00" {
				t.Errorf("published = %s", got)
			}
			if a.Byline != "HỒNG LIÊN" {
				t.Errorf("byline = %q", a.Byline)
			}
			if !strings.HasPrefix(a.Body, "Ngày 27/01/2021, Ban Chỉ đạo") {
				t.Errorf("body starts %q", shorten(a.Body, 60))
			}
			if !strings.HasSuffix(a.Body, "thế lực thù địch./.") {
				t.Errorf("body ends %q", a.Body[max(0, len(a.Body)-80):])
			}
			if n := strings.Count(a.Body, "\n\n") + 1; n != 7 {
				t.Errorf("body has %d paragraphs, want 7", n)
			}
			all, _ := json.Marshal(struct{ T, B, L, Y string }{a.Title, a.Body, a.Lead, a.Byline})
			for _, bad := range []string{"Sponsor", "VIEPortal", "Thiết kế web", "HỒNG LIÊN\\n", "Toàn cảnh hội nghị", "Gửi email", "Tin cũ"} {
				if strings.Contains(string(all), bad) {
					t.Errorf("output holds %q", bad)
				}
			}
			if a.Extraction != tc.extraction || a.Fields["body"] != tc.extraction {
				t.Errorf("extraction = %q, fields[body] = %q, want %q", a.Extraction, a.Fields["body"], tc.extraction)
			}
			if len(a.Images) != 1 || a.Images[0].URL != "https://www.vinachem.com.vn/Uploads/images/hoi-nghi-bcd35.jpg" || a.Images[0].Caption != "Toàn cảnh hội nghị. Ảnh: Hồng Liên" {
				t.Errorf("images = %+v", a.Images)
			}
			assertHygiene(t, a)
			checkGolden(t, "seed/golden-"+tc.name+".json", a)
		})
	}
}

func TestVIEAppsArticle(t *testing.T) {
	page := readFixture(t, "vieapps/page.html")
	for _, tc := range []struct {
		name       string
		profile    Profile
		extraction string
	}{
		{"profile", vieappsProfile, MethodProfile},
		{"zero-config", Profile{}, MethodFallback},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := extractBytes(t, tc.profile, page, vieappsURL)
			if a.Title != "Vinachem tổ chức hội nghị người lao động năm 2024" {
				t.Errorf("title = %q", a.Title)
			}
			if got := a.Published.Format(time.RFC3339); got != "2024-01-08T15:15:00+07:00" {
				t.Errorf("published = %s (want the article's, not the header's today)", got)
			}
			if a.Byline != "Minh Anh" {
				t.Errorf("byline = %q", a.Byline)
			}
			if !strings.HasPrefix(a.Lead, "(Vinachem) - Sáng 8/1") {
				t.Errorf("lead = %q", a.Lead)
			}
			if !strings.HasPrefix(a.Body, "Phát biểu khai mạc") || !strings.HasSuffix(a.Body, "Công đoàn Hóa chất Việt Nam.") {
				t.Errorf("body = %q", a.Body)
			}
			for _, bad := range []string{"Sáng 8/1", "Quang cảnh", "trackView", "Minh Anh", "hội nghị người lao động\n", "Tin liên quan", "Giá phân bón giảm", "Zalo", "Trang chủ"} {
				if strings.Contains(a.Body, bad) {
					t.Errorf("body holds %q", bad)
				}
			}
			if strings.Join(a.Tags, ",") != "hội nghị,người lao động" {
				t.Errorf("tags = %q", a.Tags)
			}
			if len(a.Images) != 1 || a.Images[0].URL != "https://vinachem.com.vn/images/hoi-nghi-2024.jpg" || a.Images[0].Caption != "Quang cảnh hội nghị. Ảnh: Hoàng Phong" {
				t.Errorf("images = %+v", a.Images)
			}
			if a.Canonical != vieappsURL.String() {
				t.Errorf("canonical = %q", a.Canonical)
			}
			if a.Extraction != tc.extraction {
				t.Errorf("extraction = %q, want %q", a.Extraction, tc.extraction)
			}
			assertHygiene(t, a)
			checkGolden(t, "vieapps/golden-"+tc.name+".json", a)
		})
	}
}

// to1258 encodes NFC text the way windows-1258 pages carry it: base
// letters the charset has (â, ê, ơ, ư, đ …) plus combining tone marks.
func to1258(tb testing.TB, s string) []byte {
	tb.Helper()
	enc := charmap.Windows1258.NewEncoder()
	var out []byte
	for _, r := range s {
		if b, err := enc.Bytes([]byte(string(r))); err == nil {
			out = append(out, b...)
			continue
		}
		d := []rune(norm.NFD.String(string(r)))
		base, marks := d[0], d[1:]
		done := false
		// compose the base with one mark when the charset has that letter
		// (â, ê, ô, ơ, ư, ă), then add the remaining marks as combining ones
		for j, m := range marks {
			b, err := enc.Bytes([]byte(norm.NFC.String(string([]rune{base, m}))))
			if err != nil {
				continue
			}
			out = append(out, b...)
			for k, m2 := range marks {
				if k != j {
					out = append(out, encodeRune(tb, enc, m2)...)
				}
			}
			done = true
			break
		}
		if !done {
			out = append(out, encodeRune(tb, enc, base)...)
			for _, m := range marks {
				out = append(out, encodeRune(tb, enc, m)...)
			}
		}
	}
	return out
}

func encodeRune(tb testing.TB, enc *encoding.Encoder, r rune) []byte {
	tb.Helper()
	b, err := enc.Bytes([]byte(string(r)))
	if err != nil {
		tb.Fatalf("cannot encode %q in windows-1258", r)
	}
	return b
}

func TestWindows1258(t *testing.T) {
	utf := readFixture(t, "seed/page.html")
	legacy := to1258(t, strings.Replace(string(utf), "charset=utf-8", "charset=windows-1258", 1))
	if bytes.Equal(legacy, utf) {
		t.Fatal("encoding did nothing")
	}
	for _, tc := range []struct {
		name, contentType string
		page              []byte
	}{
		{"meta-declared", "text/html", legacy},
		{"header-declared", "text/html; charset=windows-1258", legacy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, cs, err := htmldoc.Parse(tc.page, tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if cs != "windows-1258" {
				t.Errorf("charset = %q", cs)
			}
			x, _ := New(Options{Profile: seedProfile})
			got, err := x.ExtractDocument(doc, Input{URL: seedURL})
			if err != nil {
				t.Fatal(err)
			}
			want := extractBytes(t, seedProfile, utf, seedURL)
			if got.Title != want.Title || got.Body != want.Body || got.Byline != want.Byline || !got.Published.Equal(want.Published) {
				t.Errorf("windows-1258 page differs from the UTF-8 one:\n%q\n%q", shorten(got.Body, 200), shorten(want.Body, 200))
			}
			assertHygiene(t, got)
		})
	}
}

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		file    string
		rule    string
		gone    []string
		tags    []string
		images  int
		caption string
	}{
		{file: "sponsor-links", rule: RuleSponsorLinks, gone: []string{"Sponsor", "Thiết kế web", "Giải pháp portal", "Quảng cáo"}},
		{file: "sponsor-class", rule: RuleSponsorLinks, gone: []string{"Mua ngay", "Khuyến mãi"}},
		{file: "scripts", rule: RuleScripts, gone: []string{"alert", "color:red", "khung nhúng", "bật javascript"}},
		{file: "navigation", rule: RuleNavigation, gone: []string{"điều hướng", "Đường dẫn vụn", "phân trang"}},
		{file: "share-bars", rule: RuleShareBars, gone: []string{"Facebook", "Zalo", "In trang"}},
		{file: "related-lists", rule: RuleRelatedLists, gone: []string{"liên quan", "Tin khác nữa"}},
		{file: "tags", rule: RuleTags, gone: []string{"Từ khóa", "phân bón,"}, tags: []string{"phân bón", "hóa chất"}},
		{file: "captions", rule: RuleCaptions, gone: []string{"Chú thích"}, images: 3, caption: "Chú thích hình một. Ảnh: Hoàng Phong"},
		{file: "link-density", rule: RuleLinkDensity, gone: []string{"Liên kết số"}},
		{file: "dateline", rule: RuleDateline, gone: []string{"TRẦN THỊ MAI", "Cập nhật"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			page := readFixture(t, "rules/"+tc.file+".html")
			a := extractBytes(t, Profile{Title: "h1", Body: "#body"}, page, mustURL("https://example.vn/bai/1.html"))
			paras := strings.Split(a.Body, "\n\n")
			if len(paras) < 2 || !strings.HasPrefix(paras[0], "Đoạn văn thứ nhất") || !strings.HasPrefix(paras[len(paras)-1], "Đoạn văn thứ hai") {
				t.Errorf("article text damaged: %q", a.Body)
			}
			for _, g := range tc.gone {
				if strings.Contains(a.Body, g) {
					t.Errorf("body still holds %q", g)
				}
			}
			found := false
			for _, r := range a.Removed {
				if r.Rule == tc.rule {
					found = true
				}
			}
			if !found {
				t.Errorf("no removal by %q recorded: %+v", tc.rule, a.Removed)
			}
			if tc.tags != nil && strings.Join(a.Tags, "|") != strings.Join(tc.tags, "|") {
				t.Errorf("tags = %q, want %q", a.Tags, tc.tags)
			}
			if len(a.Images) != tc.images {
				t.Errorf("images = %+v, want %d", a.Images, tc.images)
			}
			if tc.caption != "" && (len(a.Images) == 0 || a.Images[0].Caption != tc.caption || a.Images[0].URL != "https://example.vn/img/a.jpg") {
				t.Errorf("first image = %+v", a.Images)
			}
		})
	}
}

func TestScriptsInsideParagraphKeepSentence(t *testing.T) {
	a := extractBytes(t, Profile{Title: "h1", Body: "#body"}, readFixture(t, "rules/scripts.html"), nil)
	if !strings.Contains(a.Body, "Câu có mã nhúng ở giữa đoạn.") {
		t.Errorf("sentence around the script broken: %q", a.Body)
	}
}

const bylineBody = `<p>Đoạn văn đầu tiên của bài viết có đủ dài để là nội dung chính của bài báo, nói về sản xuất phân bón.</p>
<p>Đoạn văn thứ hai của bài viết tiếp tục mô tả kết quả kinh doanh và kế hoạch của doanh nghiệp năm tới.</p>`

func bylinePage(head, end string) []byte {
	return []byte(`<html><head><meta charset="utf-8"><title>T</title>` + head + `</head><body><h1>Tiêu đề bài viết thử nghiệm</h1><div class="meta-line"></div><div id="body">` + bylineBody + end + `</div></body></html>`)
}

func TestBylines(t *testing.T) {
	for _, tc := range []struct {
		name, head, end, want string
		bodyKeeps             string // text that must stay in the body
	}{
		{name: "right-aligned-bold", end: `<p style="text-align:right;"><strong>Lê Phương</strong></p>`, want: "Lê Phương"},
		{name: "align-right-b", end: `<p align="right"><b>Thanh Hà</b></p>`, want: "Thanh Hà"},
		{name: "upper-case", end: `<p>HỒNG LIÊN</p>`, want: "HỒNG LIÊN"},
		{name: "upper-case-nfd", end: `<p>` + norm.NFD.String("HỒNG LIÊN") + `</p>`, want: "HỒNG LIÊN"},
		{name: "theo-ttxvn", end: `<p>Theo TTXVN</p>`, want: "Theo TTXVN"},
		{name: "pv", end: `<p>PV</p>`, want: "PV"},
		{name: "bai-va-anh", end: `<p>Bài và ảnh: Ngọc Hà</p>`, want: "Bài và ảnh: Ngọc Hà"},
		{name: "nguon", end: `<p>Nguồn: Báo Công Thương</p>`, want: "Nguồn: Báo Công Thương"},
		{name: "reposted", end: `<p><strong>Phương Thảo</strong> (theo <em>Robb Report</em>)</p>`, want: "Phương Thảo (theo Robb Report)"},
		{name: "name-then-credit", end: `<p><strong>Kim Dung AGROINFO</strong></p><p>Theo European Rubber Journal</p>`, want: "Kim Dung AGROINFO - Theo European Rubber Journal"},
		{name: "author-mail-class", end: `<p class="author_mail"><strong>Anh Minh</strong></p>`, want: "Anh Minh"},
		{name: "whitespace-collapsed", end: `<p style="text-align: right"><b>  Lê&nbsp;&nbsp;Phương </b></p>`, want: "Lê Phương"},
		{name: "json-ld-author", head: `<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Trần Văn An"},"publisher":{"name":"Báo Mẫu"}}</script>`, want: "Trần Văn An"},
		{name: "meta-author-person", head: `<meta name="author" content="Nguyễn Thu Trang">`, want: "Nguyễn Thu Trang"},
		// negatives
		{name: "meta-author-site-name", head: `<meta property="og:site_name" content="Dân Trí"><meta name="author" content="Dân Trí">`, want: ""},
		{name: "meta-author-host", head: `<meta name="author" content="VnExpress">`, want: ""},
		{name: "json-ld-author-site", head: `<meta property="og:site_name" content="Báo Mẫu"><script type="application/ld+json">{"@type":"NewsArticle","author":{"name":"Báo Mẫu"}}</script>`, want: ""},
		{name: "photo-credit-caption", end: `<figure><img src="/a.jpg"><figcaption>Ảnh: Hoàng Phong</figcaption></figure>`, want: ""},
		{name: "photo-credit-paragraph", end: `<p>Ảnh: Hoàng Phong</p>`, want: "", bodyKeeps: "Ảnh: Hoàng Phong"},
		{name: "sentence-last-paragraph", end: `<p>Hội nghị kết thúc tốt đẹp.</p>`, want: "", bodyKeeps: "Hội nghị kết thúc tốt đẹp."},
		{name: "long-bold-last-paragraph", end: `<p><strong>Đây là một đoạn văn in đậm khá dài không phải tên tác giả của bài</strong></p>`, want: "", bodyKeeps: "Đây là một đoạn văn in đậm"},
		{name: "agency-prefix-on-lead", end: ``, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := bylinePage(tc.head, tc.end)
			if tc.name == "agency-prefix-on-lead" {
				page = bytes.Replace(page, []byte("<p>Đoạn văn đầu"), []byte("<p>(Dân trí) - Đoạn văn đầu"), 1)
			}
			a := extractBytes(t, Profile{Title: "h1", Body: "#body"}, page, mustURL("https://vnexpress.net/a.html"))
			if a.Byline != tc.want {
				t.Errorf("byline = %q, want %q", a.Byline, tc.want)
			}
			if tc.want != "" && strings.Contains(a.Body, tc.want) {
				t.Errorf("byline left in body: %q", a.Body)
			}
			if tc.bodyKeeps != "" && !strings.Contains(a.Body, tc.bodyKeeps) {
				t.Errorf("body lost %q: %q", tc.bodyKeeps, a.Body)
			}
			if !strings.HasSuffix(a.Body, "kế hoạch của doanh nghiệp năm tới.") && tc.bodyKeeps == "" && !strings.Contains(tc.end, "figure") {
				t.Errorf("body end = %q", a.Body)
			}
		})
	}
}

func TestProfileBylineRemovedFromBody(t *testing.T) {
	page := bylinePage("", `<p class="tacgia">Hoàng Nam</p>`)
	a := extractBytes(t, Profile{Title: "h1", Body: "#body", Byline: "#body .tacgia"}, page, nil)
	if a.Byline != "Hoàng Nam" || a.Fields["byline"] != MethodProfile {
		t.Errorf("byline = %q (%s)", a.Byline, a.Fields["byline"])
	}
	if strings.Contains(a.Body, "Hoàng Nam") {
		t.Errorf("profile byline left in body")
	}
}

func TestLead(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"sapo-class", `<p class="sapo">Câu mở đầu tóm tắt nội dung bài viết về ngành hóa chất năm nay.</p>` + bylineBody, "Câu mở đầu tóm tắt nội dung bài viết về ngành hóa chất năm nay."},
		{"bold-first", `<p><strong>Câu mở đầu in đậm tóm tắt nội dung bài viết về ngành hóa chất năm nay.</strong></p>` + bylineBody, "Câu mở đầu in đậm tóm tắt nội dung bài viết về ngành hóa chất năm nay."},
		{"short-bold-heading-is-not-lead", `<p><strong>Tin vắn</strong></p>` + bylineBody, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := []byte(`<html><body><h1>Tiêu đề bài viết</h1><div id="body">` + tc.body + `</div></body></html>`)
			a := extractBytes(t, Profile{Title: "h1", Body: "#body"}, page, nil)
			if a.Lead != tc.want {
				t.Errorf("lead = %q, want %q", a.Lead, tc.want)
			}
			if tc.want != "" && strings.Contains(a.Body, tc.want) {
				t.Errorf("lead left in body")
			}
		})
	}
}

func TestDatesOnPage(t *testing.T) {
	wrap := func(head, article string) []byte {
		return []byte(`<html><head><meta charset="utf-8"><title>Bài</title>` + head + `</head><body>
<div class="header"><span>Thứ Sáu, Ngày 19 tháng 04 năm 2024</span></div>
<div class="detail"><h1>Tiêu đề bài viết có ngày</h1>` + article + `<div id="body">` + bylineBody + `</div></div></body></html>`)
	}
	for _, tc := range []struct {
		name, head, article string
		profile             Profile
		pub, mod, method    string
	}{
		{name: "meta-published", head: `<meta property="article:published_time" content="2025-10-22T19:25:52+07:00"><meta property="article:modified_time" content="2025-10-23T08:00:00+07:00">`, article: `<p class="date">01/01/2020</p>`, pub: "2025-10-22T19:25:52+07:00", mod: "2025-10-23T08:00:00+07:00", method: MethodMeta},
		{name: "json-ld", head: `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","datePublished":"2023-11-02T19:20:45+07:00","dateModified":"2023-11-03T10:00:00+07:00"}]}</script>`, pub: "2023-11-02T19:20:45+07:00", mod: "2023-11-03T10:00:00+07:00", method: MethodMeta},
		{name: "json-ld-unix", head: `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":1698927645}</script>`, pub: "2023-11-02T19:20:45+07:00", method: MethodMeta},
		{name: "time-element", article: `<time datetime="2022-07-25T08:30:00+07:00">25/07/2022</time>`, pub: "2022-07-25T08:30:00+07:00", method: MethodMeta},
		{name: "profile-selector", article: `<div class="x"><em>Thứ năm, 25/02/2021 - 15:52</em></div>`, profile: Profile{Title: "h1", Body: "#body", Published: ".x em"}, pub: "2021-02-25T15:52:00+07:00", method: MethodProfile},
		{name: "date-class", article: `<div class="post-date">Thứ tư, 22/10/2025, 19:25 (GMT+7)</div>`, pub: "2025-10-22T19:25:00+07:00", method: MethodHeuristic},
		{name: "clock-icon", article: `<span><i class="far fa-clock"></i> 08/01/2024 03:15 CH</span>`, pub: "2024-01-08T15:15:00+07:00", method: MethodHeuristic},
		{name: "plain-text-line", article: `<p>Thanh Thuý - 11/08/2014 06:02</p>`, pub: "2014-08-11T06:02:00+07:00", method: MethodHeuristic},
		{name: "updated", article: `<div class="meta">Ngày đăng: 21/01/2026 | Cập nhật: 22/01/2026 10:00</div>`, pub: "2026-01-21T00:00:00+07:00", mod: "2026-01-22T10:00:00+07:00", method: MethodHeuristic},
		{name: "comment", article: `<!-- 14:05 03/11/2025 -->`, pub: "2025-11-03T14:05:00+07:00", method: MethodHeuristic},
		{name: "relative", article: `<span class="time">2 giờ trước</span>`, pub: "2024-04-19T14:00:00+07:00", method: MethodHeuristic},
		{name: "header-today-only", article: ``, pub: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p.Body == "" {
				p = Profile{Title: "h1", Body: "#body"}
			}
			a := extractBytes(t, p, wrap(tc.head, tc.article), nil)
			got := ""
			if !a.Published.IsZero() {
				got = a.Published.Format(time.RFC3339)
			}
			if got != tc.pub {
				t.Errorf("published = %q, want %q", got, tc.pub)
			}
			gotMod := ""
			if !a.Modified.IsZero() {
				gotMod = a.Modified.Format(time.RFC3339)
			}
			if gotMod != tc.mod {
				t.Errorf("modified = %q, want %q", gotMod, tc.mod)
			}
			if tc.method != "" && a.Fields["published"] != tc.method {
				t.Errorf("fields[published] = %q, want %q", a.Fields["published"], tc.method)
			}
		})
	}
}

func TestNoArticle(t *testing.T) {
	x, _ := New(Options{})
	for name, page := range map[string]string{
		"empty":      "",
		"no-body":    "<html><head><title>Chỉ có tiêu đề</title></head><body></body></html>",
		"binary":     "\x00\x01\x02\xff\xfe",
		"only-links": `<html><body><h1>Trang</h1><a href="/a">a</a></body></html>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := x.Extract(strings.NewReader(page), Input{})
			if !errors.Is(err, ErrNoArticle) {
				t.Errorf("err = %v, want ErrNoArticle", err)
			}
		})
	}
}

func TestSelectorError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     Profile
		field string
	}{
		{"body", Profile{Body: "div[["}, "body"},
		{"remove", Profile{Remove: []string{".ok", "p:nth-child("}}, "remove[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Profile: tc.p})
			var se *SelectorError
			if !errors.As(err, &se) || se.Field != tc.field || se.Err == nil {
				t.Fatalf("err = %v, want *SelectorError for %s", err, tc.field)
			}
		})
	}
}

func TestProfileRemoveRecorded(t *testing.T) {
	a := extractBytes(t, seedProfile, readFixture(t, "seed/page.html"), seedURL)
	var hit bool
	for _, r := range a.Removed {
		if r.Rule == RuleProfileRemove && r.What == "div.OtherNews" {
			hit = true
		}
		if utf8Len(r.Text) > 81 {
			t.Errorf("removal text not shortened without Explain: %q", r.Text)
		}
	}
	if !hit {
		t.Errorf("profile-remove not recorded: %+v", a.Removed)
	}
	x, _ := New(Options{Profile: seedProfile, Explain: true})
	b, err := x.Extract(bytes.NewReader(readFixture(t, "seed/page.html")), Input{URL: seedURL})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range b.Removed {
		if r.Rule == RuleSponsorLinks && !strings.Contains(r.Text, "Phần mềm quản trị tác nghiệp nội bộ công ty") {
			t.Errorf("explain did not keep the full text: %q", r.Text)
		}
	}
}

func utf8Len(s string) int { return len([]rune(s)) }

func TestHostileInput(t *testing.T) {
	deep := strings.Repeat("<div>", 20000) + "chữ" + strings.Repeat("</div>", 100)
	huge := "<html><body><h1>Tiêu đề lớn</h1><div id='b'>" + strings.Repeat("<p>Một đoạn văn rất dài lặp lại nhiều lần để thử.</p>", 40000) + "</div>"
	unclosed := "<html><body><h1>Tiêu đề<p>đoạn<table><tr><td>ô<div><span>chưa đóng <b>đậm <i>nghiêng"
	junk := string(bytes.Repeat([]byte{0xff, 0x00, '<', 0xc3, '>', 0x28}, 5000))
	x, _ := New(Options{Profile: Profile{Title: "h1", Body: "#b", Published: "time", Byline: ".a"}})
	for name, page := range map[string]string{"deep": deep, "huge": huge, "unclosed": unclosed, "junk": junk, "comments": "<!--" + strings.Repeat("<!-- 01/01/2020", 1000)} {
		t.Run(name, func(t *testing.T) {
			a, err := x.Extract(strings.NewReader(page), Input{FetchedAt: fetchedAt})
			if name == "deep" {
				// html.Parse refuses more than 512 open elements: an error, no panic.
				if err == nil {
					t.Errorf("deep nesting extracted: %q", a.Body)
				}
				return
			}
			if err != nil && !errors.Is(err, ErrNoArticle) {
				t.Errorf("unexpected error kind: %v", err)
			}
			if err == nil && (a.Title == "" || a.Body == "") {
				t.Errorf("nil error with empty article")
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	x, _ := New(Options{Profile: seedProfile})
	page := readFixture(t, "seed/page.html")
	done := make(chan string, 4)
	for range 4 {
		go func() {
			a, err := x.Extract(bytes.NewReader(page), Input{URL: seedURL})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- a.Byline
		}()
	}
	for range 4 {
		if got := <-done; got != "HỒNG LIÊN" {
			t.Errorf("concurrent extraction: %q", got)
		}
	}
}
