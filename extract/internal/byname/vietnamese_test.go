package byname

import "testing"

func TestIsVietnameseName(t *testing.T) {
	for _, tc := range []struct {
		t    string
		want bool
	}{
		{"Quang Huy", true}, {"Minh Đức", true}, {"Kim Dung", true}, {"Nguyễn Thị Thu Hà", true},
		{"Phạm Thị Lan", true}, {"Trần Quốc Khánh", true}, {"Ngô Nghiêm", true},
		{"Hồng", false},                    // one word
		{"Example Times Hồng Liên", false}, // not Vietnamese syllables
		{"John Smith", false}, {"Anna Lee", false},
		{"Nguyễn Văn An Bình Minh", false},       // five words
		{"quang huy", false},                     // not capitalised
		{"Chia Sẻ", false}, {"Bình Luận", false}, // interface words
		{"Tập đoàn", false},
		{"Quý 3", false},
	} {
		if got := IsVietnameseName(tc.t); got != tc.want {
			t.Errorf("IsVietnameseName(%q) = %v, want %v", tc.t, got, tc.want)
		}
	}
}
