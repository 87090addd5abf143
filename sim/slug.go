package sim

import (
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldTable maps every rune below U+2000 to its ASCII base letter or
// digit (0 for anything else): Vietnamese letters lose their marks,
// "đ" becomes "d". Built once, on first use.
var foldTable = sync.OnceValue(func() *[0x2000]byte {
	var t [0x2000]byte
	for r := rune(0); r < 0x2000; r++ {
		switch {
		case r == 'đ':
			t[r] = 'd'
		case r == 'Đ':
			t[r] = 'D'
		default:
			for _, c := range norm.NFD.String(string(r)) {
				if c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
					t[r] = byte(c)
				}
				break
			}
		}
	}
	return &t
})

// slugJoin writes the ASCII words of a title joined by sep, lower-cased
// or not: "Sản lượng Đạm 8%" -> "San_luong_Dam_8".
func slugJoin(title string, sep byte, lower bool) string {
	t := foldTable()
	b := make([]byte, 0, len(title))
	inWord := false
	for _, r := range title {
		var c byte
		if r < 0x2000 {
			c = t[r]
		}
		if c == 0 {
			inWord = false
			continue
		}
		if !inWord && len(b) > 0 {
			b = append(b, sep)
		}
		inWord = true
		if lower && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// portalSlug is the VIEPortal slug: title case kept, words joined by "_"
// ("San_luong_lop_xe_cua_Trung_Quoc_tang_trong_thang_8").
func portalSlug(title string) string { return slugJoin(title, '_', false) }

// appsSlug is the VIEApps slug: lower case, words joined by "-".
func appsSlug(title string) string { return slugJoin(title, '-', true) }
