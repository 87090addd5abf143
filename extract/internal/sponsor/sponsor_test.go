package sponsor

import (
	"strings"
	"testing"
)

func TestIsHeading(t *testing.T) {
	for s, want := range map[string]bool{
		"Sponsor links (Provided by VIEPortal.net - Thiết kế website chuyên nghiệp)": true,
		"SPONSORED LINKS":                        true,
		"Liên kết tài trợ":                       true,
		"LIÊN KẾT TÀI TRỢ":                       true,
		"Được tài trợ bởi provided by VIEPortal": true,
		"Tin liên quan":                          false,
		"Our sponsors":                           false,
		"":                                       false,
		strings.Repeat("x", 400) + " sponsor links": false, // longer than a heading
	} {
		if got := IsHeading(s); got != want {
			t.Errorf("IsHeading(%q) = %v, want %v", s, got, want)
		}
	}
}
