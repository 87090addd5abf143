package sim

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// asciiFold removes Vietnamese diacritics: "Sản lượng Đạm" -> "San luong Dam".
func asciiFold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range norm.NFD.String(s) {
		switch {
		case c == 'đ':
			b.WriteByte('d')
		case c == 'Đ':
			b.WriteByte('D')
		case unicode.Is(unicode.Mn, c):
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// slugWords returns the ASCII words of a title (letters and digits only).
func slugWords(title string) []string {
	return strings.FieldsFunc(asciiFold(title), func(c rune) bool {
		return !(c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)))
	})
}

// portalSlug is the VIEPortal slug: title case kept, words joined by "_"
// ("San_luong_lop_xe_cua_Trung_Quoc_tang_trong_thang_8").
func portalSlug(title string) string { return strings.Join(slugWords(title), "_") }

// appsSlug is the VIEApps slug: lower case, words joined by "-".
func appsSlug(title string) string { return strings.ToLower(strings.Join(slugWords(title), "-")) }
