package extract

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// extractGeneric extracts a testdata/generic fixture with no selectors,
// in Asia/Ho_Chi_Minh.
func extractGeneric(t *testing.T, name, pageURL string) *Article {
	t.Helper()
	x, err := New(Options{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	in := Input{FetchedAt: fetchedAt}
	if pageURL != "" {
		in.URL = mustURL(pageURL)
	}
	art, err := x.Extract(bytes.NewReader(readFixture(t, "generic/"+name)), in)
	if err != nil {
		t.Fatal(err)
	}
	return art
}

// extractHTMLExplain extracts page with no profile and the audit trail on.
func extractHTMLExplain(t *testing.T, page, pageURL string) *Article {
	t.Helper()
	x, err := New(Options{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	art, err := x.Extract(strings.NewReader(page), Input{FetchedAt: fetchedAt, URL: mustURL(pageURL)})
	if err != nil {
		t.Fatal(err)
	}
	return art
}

func ict(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.FixedZone("ICT", 7*3600))
}

// removedBy reports whether the audit trail holds a removal by rule of text.
func removedBy(art *Article, rule, text string) bool {
	for _, r := range art.Removed {
		if r.Rule == rule && strings.Contains(r.Text, text) {
			return true
		}
	}
	return false
}

func TestGenericVIEAppsNGX(t *testing.T) {
	art := extractGeneric(t, "vieapps-ngx.html", "https://mau.example.vn/nd/tin-tap-doan/hoi-nghi.html")
	if want := "Hội nghị người lao động năm 2024 của Công ty Mẫu"; art.Title != want {
		t.Errorf("title %q, want the h2 %q", art.Title, want)
	}
	if art.Rules["title"] != RuleTitleVisible {
		t.Errorf("title rule %q, want %q", art.Rules["title"], RuleTitleVisible)
	}
	if want := ict(2024, 1, 8, 15, 15); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
	if !strings.HasPrefix(art.Lead, "Ngày 8 tháng 1, Công ty Mẫu") {
		t.Errorf("lead %q, want the span.summary standfirst", art.Lead)
	}
	if art.Rules["lead"] != RuleLeadElement {
		t.Errorf("lead rule %q, want %q", art.Rules["lead"], RuleLeadElement)
	}
	if !strings.HasPrefix(art.Body, "Tại hội nghị") {
		t.Errorf("body starts %q, want the first paragraph", shorten(art.Body, 60))
	}
	if strings.Contains(art.Body, "Tin tập đoàn") {
		t.Errorf("body holds the category label: %q", shorten(art.Body, 60))
	}
}

func TestGenericVIEPortalInline(t *testing.T) {
	art := extractGeneric(t, "vieportal-inline.html", "https://so.mau.example.vn/Desktop.aspx/Tin-tuc/Khanh-thanh-cau/")
	if want := "Khánh thành cầu mới nối hai bờ sông Mẫu"; art.Title != want {
		t.Errorf("title %q, want %q (no site name)", art.Title, want)
	}
	if art.Rules["title"] != RuleTitleVisible {
		t.Errorf("title rule %q, want %q", art.Rules["title"], RuleTitleVisible)
	}
	if want := ict(2021, 1, 27, 13, 39); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
	if !strings.HasPrefix(art.Lead, "Sáng nay, tỉnh Mẫu") {
		t.Errorf("lead %q, want the bold first paragraph", art.Lead)
	}
	if art.Rules["lead"] != RuleLeadParagraph {
		t.Errorf("lead rule %q, want %q", art.Rules["lead"], RuleLeadParagraph)
	}
	if !strings.HasPrefix(art.Body, "Cây cầu được xây dựng") {
		t.Errorf("body starts %q, want the article's first paragraph", shorten(art.Body, 60))
	}
	if !removedBy(art, RuleStartHeadline, "Khánh thành cầu mới") {
		t.Errorf("the repeated headline is not in the audit trail: %+v", art.Removed)
	}
}

// TestGenericUpperBylineUnderDate: on a Vietnamese page, a name in
// capitals printed on its own under the headline and date line, outside
// the body, is the byline.
func TestGenericUpperBylineUnderDate(t *testing.T) {
	art := extractGeneric(t, "upper-byline-under-date.html", "https://mau.example.vn/tin/khoi-cong-duong.html")
	if art.Byline != "MINH TÚ" {
		t.Errorf("byline %q (rule %q), want %q", art.Byline, art.Rules["byline"], "MINH TÚ")
	}
	if !strings.HasPrefix(art.Body, "Sáng nay, tỉnh Mẫu") {
		t.Errorf("body starts %q, want the first paragraph", shorten(art.Body, 60))
	}
	if want := ict(2022, 3, 9, 8, 15); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
}

// TestGenericParagraphHeadline: a headline printed as a <p> that the
// JSON-LD headline repeats is the headline element, so the credit line
// printed under it ("THEO BÁO …", kept as printed) is the byline, and
// not the publisher the JSON-LD names as author.
func TestGenericParagraphHeadline(t *testing.T) {
	art := extractGeneric(t, "p-headline-credit.html", "https://mau.example.vn/nd/gia-lua.html")
	if art.Rules["title"] != RuleTitleVisible || art.Title != "Giá lúa tăng mạnh sau vụ thu hoạch" {
		t.Errorf("title %q (rule %q), want the <p> headline (%s)", art.Title, art.Rules["title"], RuleTitleVisible)
	}
	if art.Byline != "THEO BÁO NÔNG NGHIỆP MẪU" {
		t.Errorf("byline %q (rule %q), want the credit under the headline", art.Byline, art.Rules["byline"])
	}
	if !strings.HasPrefix(art.Body, "Sau vụ thu hoạch") {
		t.Errorf("body starts %q, want the first paragraph", shorten(art.Body, 60))
	}
}

// TestGenericUpdatedOnlyNotARelatedDate: a page whose article prints only
// when it was updated ("Cập nhật: …") has that as its date, never the
// date of an item of the related list beside it.
func TestGenericUpdatedOnlyNotARelatedDate(t *testing.T) {
	art := extractGeneric(t, "updated-only-related-dates.html", "https://mau.example.vn/van-hoa/thu-vien-moi.html")
	if want := ict(2014, 11, 4, 16, 32); !art.Published.Equal(want) {
		t.Errorf("published %v (rule %q), want the update time %v", art.Published, art.Rules["published"], want)
	}
}

// TestGenericMetaLineIsNoStandfirst: the byline-and-date line a theme
// prints between the headline and the body element ("QUANG HUY | Thời
// gian: …") is metadata, not the standfirst, so the bold first paragraph
// of the body is the lead (a page of generated theme 416, where generic
// extraction keeps headline, meta line and body together).
func TestGenericMetaLineIsNoStandfirst(t *testing.T) {
	art := extractGeneric(t, "meta-line-bold-lead.html", "https://mau.example.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/San_luong_quang_apatit_quy_I_tang_23_so_voi_cung_ky_nam_truoc/")
	if !strings.HasPrefix(art.Lead, "Phát biểu tại hội nghị, đồng chí Nguyễn Văn Quý") || art.Rules["lead"] != RuleLeadParagraph {
		t.Errorf("lead %q (rule %q), want the bold first paragraph (%s)", art.Lead, art.Rules["lead"], RuleLeadParagraph)
	}
	if !strings.HasPrefix(art.Body, "Ngày 22/01, Đảng ủy Tập đoàn") {
		t.Errorf("body starts %q, want the paragraph after the lead", shorten(art.Body, 60))
	}
	if art.Byline != "QUANG HUY" {
		t.Errorf("byline %q (rule %q), want QUANG HUY", art.Byline, art.Rules["byline"])
	}
	if want := ict(2014, 7, 6, 0, 32); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
}

// TestGenericTrailingDatelineStandfirst: an update line printed after the
// body element ("Cập nhật: 07:21 CH @ Thứ Ba - 11 Tháng Ba, 2014", as
// many words as a short paragraph) is no body text, so the body element
// is still told and the standfirst printed before it goes to the lead
// (generated theme 518).
func TestGenericTrailingDatelineStandfirst(t *testing.T) {
	art := extractGeneric(t, "trailing-dateline-standfirst.html", "https://mau.example.vn/nong-nghiep/mua-lua-moi.html")
	if !strings.HasPrefix(art.Lead, "Nông dân các tỉnh đồng bằng") {
		t.Errorf("lead %q (rule %q), want the standfirst", art.Lead, art.Rules["lead"])
	}
	if !strings.HasPrefix(art.Body, "Theo sở nông nghiệp") || strings.Contains(art.Body, "Cập nhật") {
		t.Errorf("body %q", shorten(art.Body, 80))
	}
}

// TestGenericRelatedBlockByItsHeading: a block of links to other
// articles named by its heading alone ("Các tin khác" on utility
// classes), one item long, leaves the body (a page of generated theme
// 516, where generic extraction keeps the block with the article).
func TestGenericRelatedBlockByItsHeading(t *testing.T) {
	const pageURL = "https://mau.example.vn/Desktop.aspx/Tin-tuc/Tin-thi-truong-san-pham/Cong_ty_CP_Cao_su_Da_Nang_huong_ung_chuong_trinh_ho_tro_nong_dan/"
	page := string(readFixture(t, "generic/related-by-heading.html"))
	related := page[strings.Index(page, `<div class="flex items-center gap-2"><h3>`):]
	related = related[:strings.Index(related, "</div>")+len("</div>")]
	pages := map[string]string{
		// the block after the article box: the body element ends before it
		"after the box": page,
		// the block inside the body element, before the sponsor block:
		// the related rule cuts it
		"inside the box": strings.Replace(strings.Replace(page, related, "", 1), `<div class="text-sm text-gray-500-Qu">`, related+`<div class="text-sm text-gray-500-Qu">`, 1),
	}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			art := extractHTMLExplain(t, page, pageURL)
			if strings.Contains(art.Body, "Các tin khác") || !strings.HasSuffix(art.Body, "tăng 20,6% so với cùng kỳ năm trước.") {
				t.Errorf("body ends %q, want the article's last paragraph", art.Body[max(0, len(art.Body)-120):])
			}
			if name == "inside the box" && !removedBy(art, RuleRelatedLists, "Các tin khác") {
				t.Errorf("the related block is not in the audit trail as %s: %+v", RuleRelatedLists, art.Removed)
			}
		})
	}
}
