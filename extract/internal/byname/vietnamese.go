package byname

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parc-archiver/parc/extract/internal/timeparse"
)

// vnSyllable is a Vietnamese syllable without its tone and vowel marks:
// an initial consonant (or none), one to three vowels, a final consonant
// (or none). Most words of other languages are not ("Example", "Times",
// "John", "Anna").
var vnSyllable = regexp.MustCompile(`^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$`)

// notNames are the title-case interface words printed under headlines
// ("Chia Sẻ", "Bình Luận"), folded: never a byline.
var notNames = map[string]bool{"chia se": true, "binh luan": true, "in bai": true, "luu tin": true, "gui bai": true,
	"xem them": true, "doc them": true, "nghe doc": true, "theo doi": true, "tin lien quan": true, "tin moi": true,
	"tin noi bat": true, "tin khac": true, "quay lai": true, "trang chu": true, "dang nhap": true, "dang ky": true}

// IsVietnameseName reports whether t has the shape of a Vietnamese
// personal name as a byline prints it: two to four capitalised words,
// each a Vietnamese syllable ("Quang Huy", "Minh Đức", "Nguyễn Thị Thu
// Hà"), no digit, no interface word.
func IsVietnameseName(t string) bool {
	words := strings.Fields(t)
	if len(words) < 2 || len(words) > 4 || strings.ContainsAny(t, "0123456789") {
		return false
	}
	folded := make([]string, len(words))
	for i, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return false
		}
		f := timeparse.Fold(w)
		if !vnSyllable.MatchString(f) {
			return false
		}
		folded[i] = f
	}
	return !notNames[strings.Join(folded, " ")]
}
