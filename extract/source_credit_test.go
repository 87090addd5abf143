package extract

import (
	"strings"
	"testing"
)

// On a VIEApps page read without a profile, the "Nguồn: …" line of
// div.info is the story's source; the author is in div.meta.
func TestSourceCreditDoesNotBeatAuthorElement(t *testing.T) {
	page := `<html><head><title>Sản lượng phân bón NPK tăng</title></head><body>
<div class="cms view content"><h2>Sản lượng phân bón NPK năm 2023 tăng 7%</h2>
<div class="meta"><span><label>QUANG HUY</label></span><section><span>03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024</span></section></div>
<section><p>Năm 2023, sản lượng phân bón NPK của các đơn vị thành viên Tập đoàn tăng 7% so với cùng kỳ năm trước, đạt mức cao nhất trong nhiều năm.</p>
<p>Các đơn vị đã chủ động nguồn nguyên liệu, tối ưu hóa dây chuyền sản xuất và mở rộng thị trường xuất khẩu sang các nước trong khu vực.</p>
<p>Tập đoàn đặt mục tiêu tiếp tục tăng trưởng trong năm 2024 với nhiều dự án đầu tư mới được triển khai.</p></section>
<div class="info"><p>Nguồn: Vinachem</p></div></div></body></html>`
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := x.Extract(strings.NewReader(page), Input{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Byline != "QUANG HUY" {
		t.Errorf("byline = %q, want the author element's QUANG HUY", a.Byline)
	}
	if strings.Contains(a.Body, "Nguồn") {
		t.Errorf("source line left in the body: %q", a.Body)
	}
}
