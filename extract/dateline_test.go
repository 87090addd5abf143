package extract

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestDateline(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 4, 19, 2, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		line, name string
		ok         bool
	}{
		{"NGUYỄN VĂN AN · 20/01/2014 11:16 CH", "NGUYỄN VĂN AN", true},
		{"Theo Báo Công Thương | 12/03/2014 08:02 SA", "Theo Báo Công Thương", true},
		{"PV · 14/02/2014 06:59 SA", "PV", true},
		{"20/01/2014 11:16", "", true},
		{"01:39' PM - Thứ tư, 27/01/2021", "", true},
		{"03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024", "", true},
		{"Thu Hai, 8h30 ngay 08/01/2024 (GMT+7)", "", true},
		{"Cập nhật: 08:16 20/01/2014", "", true},
		{"Lê Phương - 20/01/2014 - 08:16", "Lê Phương", true},
		{"Thanh Thuý - 11/08/2014 06:02", "Thanh Thuý", true},
		{"Hà Nội - 20/01/2014", "", true},
		{"Ngày 20/01/2014, Ban Chỉ đạo họp bàn kế hoạch năm.", "", false},
		{"Giá vàng · Chứng khoán", "", false},
		{"Lê Phương · Hồng Liên · 20/01/2014", "", false},
		{"HỒNG LIÊN", "", false},
		{"nhiều hoạt động · 20/01/2014", "", false},
	} {
		t.Run(tc.line, func(t *testing.T) {
			name, ok := x.dateline(tc.line, now)
			if name != tc.name || ok != tc.ok {
				t.Errorf("dateline(%q) = %q, %v; want %q, %v", tc.line, name, ok, tc.name, tc.ok)
			}
		})
	}
}

// A theme that prints "AUTHOR · date" under the title, outside the text,
// gets its byline from that line, and the line never reaches the body.
func TestDatelineAfterTitle(t *testing.T) {
	page := `<html><head><meta charset="utf-8"><title>T</title></head><body><main><article>
<h1>Sản lượng phân bón NPK quý I tăng 6%</h1><p class="by">NGUYỄN VĂN AN · 20/01/2014 11:16 CH</p>
<div class="txt"><p>` + strings.Repeat("Sản lượng phân bón của Tập đoàn trong quý I tăng mạnh so với cùng kỳ năm trước. ", 4) + `</p>
<p>` + strings.Repeat("Ban Tổng giám đốc phát động kế hoạch bảo dưỡng sửa chữa lớn cho người lao động. ", 4) + `</p></div>
</article></main></body></html>`
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://example.vn/bai/1.html")
	a, err := x.Extract(strings.NewReader(page), Input{URL: u, ContentType: "text/html; charset=utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Byline != "NGUYỄN VĂN AN" {
		t.Errorf("byline = %q", a.Byline)
	}
	if want := time.Date(2014, 1, 20, 23, 16, 0, 0, a.Published.Location()); !a.Published.Equal(want) {
		t.Errorf("published = %v, want %v", a.Published, want)
	}
	if strings.Contains(a.Body, "NGUYỄN VĂN AN") || !strings.HasPrefix(a.Body, "Sản lượng phân bón") {
		t.Errorf("body = %q", a.Body)
	}
}
