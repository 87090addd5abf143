package extract_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/parc-archiver/parc/extract"
)

func Example() {
	page := `<html><head><meta charset="utf-8"><title>Tin - Vinachem</title></head><body>
<div class="news"><h1>Ban chỉ đạo 35 tổng kết năm 2020</h1>
<span class="date">01:39' PM - Thứ tư, 27/01/2021</span>
<div class="content">
<p>Ngày 27/01/2021, Ban Chỉ đạo 35 Đảng ủy Tập đoàn tổ chức Hội nghị tổng kết.</p>
<p>Hội nghị kết thúc tốt đẹp./.</p>
<p>HỒNG LIÊN</p>
<p><b>Sponsor links (Provided by VIEPortal.net - The web cloud services for enterprises)</b></p>
<a href="/x">Thiết kế web</a>, <a href="/y">Thiết kế website</a>
</div></div></body></html>`
	x, err := extract.New(extract.Options{Profile: extract.Profile{
		Title:     "div.news h1",
		Published: "span.date",
		Body:      "div.content",
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	u, _ := url.Parse("https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Bai/")
	a, err := x.Extract(strings.NewReader(page), extract.Input{URL: u})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Title)
	fmt.Println(a.Published.Format(time.RFC3339))
	fmt.Println(a.Byline)
	fmt.Println(a.Body)
	fmt.Println(a.Extraction, a.Removed[0].Rule)
	// Output:
	// Ban chỉ đạo 35 tổng kết năm 2020
	// 2021-01-27T13:39:00+07:00
	// HỒNG LIÊN
	// Ngày 27/01/2021, Ban Chỉ đạo 35 Đảng ủy Tập đoàn tổ chức Hội nghị tổng kết.
	//
	// Hội nghị kết thúc tốt đẹp./.
	// profile sponsor-links
}

func ExampleParseTime() {
	t, ok := extract.ParseTime("03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024", nil, time.Time{})
	fmt.Println(t.Format(time.RFC3339), ok)
	// Output: 2024-01-08T15:15:00+07:00 true
}

func ExampleProfile_Validate() {
	p := extract.Profile{Title: "h1.Title", Body: "div.Content", Remove: []string{"div.Tools", "div.OtherNews:nth-child("}}
	err := p.Validate()
	var se *extract.SelectorError
	if errors.As(err, &se) {
		fmt.Println(se.Field, se.Selector)
	}
	// Output: remove[1] div.OtherNews:nth-child(
}
