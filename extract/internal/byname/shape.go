package byname

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parc-archiver/parc/extract/internal/cleantext"
)

// The shape of a line that may be a name: short, capitalised or in
// capitals, no sentence.

// EndsSentence reports whether t ends like a sentence, not a name.
func EndsSentence(t string) bool {
	r, _ := utf8.DecodeLastRuneInString(t)
	switch r {
	case '.', '!', '?', ':', ';', ',', '…':
		return !strings.HasSuffix(t, "./.") || len(t) < 4
	}
	return false
}

// IsShortName reports whether t is short enough to be a name or credit:
// at most maxWords words and maxRunes runes, a letter in it, no sentence end.
func IsShortName(t string, maxWords, maxRunes int) bool {
	if t == "" || cleantext.MoreRunes(t, maxRunes) || cleantext.MoreWords(t, maxWords) || EndsSentence(t) {
		return false
	}
	return strings.IndexFunc(t, unicode.IsLetter) >= 0
}

// IsUpperName reports whether t is a short line in capitals with no
// digit ("HỒNG LIÊN").
func IsUpperName(t string) bool {
	if !IsShortName(t, 6, 60) {
		return false
	}
	letters := 0
	for _, r := range t {
		if unicode.IsDigit(r) {
			return false // a date or time in capitals ("24-02-2014 - 19:21 PM"), a code
		}
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) && unicode.ToUpper(r) != r {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// Capitalised reports whether every word of t starts with a capital or a
// non-letter ("Lê Phương", "Phương Thảo (theo Robb Report)").
func Capitalised(t string) bool {
	for w := range strings.FieldsSeq(t) {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "(\"'“"))
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			switch strings.ToLower(strings.Trim(w, "()")) {
			case "theo", "và", "của", "nguồn", "by", "and", "de", "van", "von":
				continue
			}
			return false
		}
	}
	return true
}

// HasVietnamese reports whether s has a letter only Vietnamese writes
// (ă, ơ, ư, đ, or one of the Latin Extended Additional letters with a
// tone mark, U+1EA0 to U+1EF9).
func HasVietnamese(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return r >= 0x1EA0 && r <= 0x1EF9 || strings.ContainsRune("ăĂơƠưƯđĐ", r)
	}) >= 0
}
