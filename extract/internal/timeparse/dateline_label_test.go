package timeparse

import (
	"testing"
	"time"
)

func TestIsDateLineLabels(t *testing.T) {
	p := New()
	loc := DefaultLocation()
	now := time.Date(2024, 4, 19, 2, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Thời gian: 09:21 CH @ Thứ Ba - 25 Tháng Hai, 2014", true},
		{"Ngày đăng: 25 Tháng 3 2014 lúc 08:15", true},
		{"Thời gian: 08:27 SA @ Thứ Ba - 16 Tháng Tám, 2016", true},
		{"Cập nhật: 10:00 CH @ Thứ Sáu - 09 Tháng Chín, 2016", true},
		// Month names of two words: 12 words with the separators, 11 without.
		{"Ngày đăng: 07:52 SA @ Thứ Hai - 16 Tháng Mười Một, 2015", true},
		// A date written with hyphens is one word: 12 words.
		{"Đăng lúc 19:21 PM Thứ Hai 24-02-2014 cập nhật 20:05 PM 25-02-2014", true},
		{"Thời gian qua, 25 đơn vị đã hoàn thành kế hoạch năm 2014", false},
	} {
		if got := p.IsDateLine(tc.line, loc, now); got != tc.want {
			t.Errorf("IsDateLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
