// Package cleantext cleans and measures the text extraction reads from a
// page: NFC with white space collapsed (Clean), cut to a length with a
// mark (Shorten, Short), and the counts extraction's rules compare
// (MoreRunes, MoreWords, CountVisible). It works on strings and bytes
// only, no HTML.
package cleantext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean returns s in NFC with whitespace collapsed: NBSP and other
// spaces become one space, zero-width characters and soft hyphens go,
// leading and trailing spaces are trimmed.
func Clean(s string) string {
	k := cleanSpan(s)
	if k == len(s) {
		return s
	}
	var buf [256]byte // a short text is cleaned on the stack
	dst := buf[:0]
	if len(s) > len(buf) {
		dst = make([]byte, 0, len(s))
	}
	return composed(appendCleanFrom(append(dst, s[:k]...), 0, s, k))
}

// CleanBytes is Clean(string(b)); it cleans b in place, so b's content
// is lost.
func CleanBytes(b []byte) string {
	k := cleanSpan(b)
	if k == len(b) {
		return string(b)
	}
	return composed(appendCleanFrom(b[:k], 0, b, k))
}

// stringOrBytes is what Clean and its helpers read.
type stringOrBytes interface{ ~string | ~[]byte }

// cleanSpan returns the length of a prefix of s that Clean leaves as it
// is and that ends with a kept character: characters kept as they are (no
// combining mark among them) with single spaces between them. When that is
// all of s, Clean(s) is s (most text is clean already: titles,
// attribute values, short runs); otherwise Clean(s) begins with the
// prefix and appendCleanFrom resumes after it, so that no text is scanned
// twice. The prefix may end inside a run of kept characters (before a
// combining mark): resuming appends the rest of the run as it is, as the
// whole run would have been.
func cleanSpan[T stringOrBytes](s T) int {
	end := 0 // s[:end] is clean and ends with a kept character
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c > ' ' && c < 0x7f: // printable ASCII, the common case
			i++
			end = i
		case c == ' ' && i == end && i > 0: // one space after a kept character
			i++
		default:
			j, marks := keptRun(s, i)
			if j == i || marks {
				return end // a leading, doubled or other space, a character to drop, a mark
			}
			i, end = j, j
		}
	}
	return end // all of s, or all but a trailing space
}

// appendClean appends s with whitespace collapsed (as Clean, before
// NFC) to dst, and reports whether it holds a combining mark. dst may be
// s[:0] (for bytes): what it writes never overtakes what it reads.
func appendClean[T stringOrBytes](dst []byte, s T) ([]byte, bool) {
	return appendCleanFrom(dst, len(dst), s, 0)
}

// appendCleanFrom is appendClean resumed at s[i]: dst[start:] is what it
// appended for s[:i], and s[:i] is empty or ends with a kept character (see
// cleanSpan), without combining marks. dst may be s[:i] (start 0, for
// bytes).
func appendCleanFrom[T stringOrBytes](dst []byte, start int, s T, i int) ([]byte, bool) {
	space, marks := false, false
	for i < len(s) {
		if j, m := keptRun(s, i); j > i {
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			marks = marks || m
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		// s[i] starts a space, or a character that is dropped.
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = true
			}
			continue // other ASCII controls are dropped
		}
		r, n := decodeRune(s, i)
		i += n
		if n > 1 && (IsSpace(r) || r == '\u00a0') {
			space = true
		}
		// invalid UTF-8, zero-width characters, soft hyphens and
		// controls are dropped
	}
	return dst, marks
}

// composed returns b as a string, in NFC when marks (b holds a combining
// mark) says it may not be.
func composed(b []byte, marks bool) string {
	s := string(b)
	if marks && !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) for strings and bytes.
func decodeRune[T stringOrBytes](s T, i int) (rune, int) {
	// At most four bytes are converted: the compiler does it on the stack.
	return utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
}

// keptRun returns the end of the run of characters from s[i] that
// Clean copies as they are (no space, control, zero-width character,
// soft hyphen or invalid byte), and whether the run holds a combining mark
// (after which the text may need composing).
func keptRun[T stringOrBytes](s T, i int) (end int, marks bool) {
	for i < len(s) {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if c <= ' ' || c == 0x7f {
				return i, marks
			}
			i++
			continue
		case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			// U+0080..U+07FF; Latin letters (U+00A1..U+02FF but the soft
			// hyphen) are the common case.
			if r := rune(c&0x1f)<<6 | rune(s[i+1]&0x3f); r >= 0xa1 && r < 0x300 && r != 0xad {
				i += 2
				continue
			}
		case c == 0xe1 && i+2 < len(s) && s[i+1] >= 0xb8 && s[i+1] <= 0xbb && s[i+2]&0xc0 == 0x80:
			i += 3 // U+1E00..U+1EFF, Vietnamese letters
			continue
		}
		r, n := decodeRune(s, i)
		switch {
		case n == 1, // invalid UTF-8
			r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad',
			IsSpace(r) || r == '\u00a0',
			unicode.IsControl(r):
			return i, marks
		}
		if r >= 0x300 && IsCombining(r) {
			marks = true
		}
		i += n
	}
	return i, marks
}

// IsCombining reports whether r is a combining mark that NFC may compose
// (the only way text decoded and normalised by Parse can be non-NFC again).
func IsCombining(r rune) bool {
	return r >= 0x300 && r <= 0x36f || r >= 0x1ab0 && r <= 0x1aff || r >= 0x1dc0 && r <= 0x1dff ||
		r >= 0x20d0 && r <= 0x20ff || r >= 0xfe20 && r <= 0xfe2f || r >= 0x3099 && r <= 0x309a ||
		r >= 0x1100 && r <= 0x11ff || r < 0x1000 && unicode.Is(unicode.Mn, r)
}

// Short is Shorten(Clean(string(raw)), max); it may clean raw in
// place. A long raw text is cleaned only as far as needed when that gives
// the same result: with no combining mark anywhere Clean never
// recomposes, so the cleaned form of a prefix (cut at a rune start) is a
// prefix of the cleaned whole.
func Short(raw []byte, max int) string {
	if cut := 8 * max; len(raw) > cut && !hasMarks(raw) {
		for cut < len(raw) && !utf8.RuneStart(raw[cut]) {
			cut++
		}
		var buf [1024]byte
		if b, _ := appendClean(buf[:0], raw[:cut]); utf8.RuneCount(b) > max {
			return shortenBytes(b, max)
		}
	}
	k := cleanSpan(raw)
	if k == len(raw) {
		return shortenBytes(raw, max)
	}
	b, marks := appendCleanFrom(raw[:k], 0, raw, k)
	if marks {
		return Shorten(composed(b, marks), max)
	}
	return shortenBytes(b, max)
}

// shortenBytes is Shorten(string(b), n).
func shortenBytes(b []byte, n int) string {
	i := 0
	for j := 0; j < len(b); i++ {
		if i == n {
			return string(b[:j]) + "…"
		}
		_, size := utf8.DecodeRune(b[j:])
		j += size
	}
	return string(b)
}

// hasMarks reports whether b holds a combining mark that would make
// Clean check its result for NFC (see keptRun).
func hasMarks(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < utf8.RuneSelf:
			i++
			continue
		case c >= 0xc2 && c < 0xcc && i+1 < len(b) && b[i+1]&0xc0 == 0x80:
			i += 2 // U+0080..U+02FF
			continue
		case c == 0xe1 && i+2 < len(b) && b[i+1] >= 0xb8 && b[i+1] <= 0xbb && b[i+2]&0xc0 == 0x80:
			i += 3 // U+1E00..U+1EFF
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if n > 1 && r >= 0x300 && IsCombining(r) {
			return true
		}
		i += n
	}
	return false
}

// CountVisible counts the runes of s that are not white space, as a
// range loop with !unicode.IsSpace would (invalid bytes count as one rune
// each). Two- and three-byte sequences are validated and classified from
// their bytes, without decoding.
func CountVisible(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if c != ' ' && (c < '\t' || c > '\r') {
				n++
			}
			i++
			continue
		case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			if c != 0xc2 || s[i+1] != 0x85 && s[i+1] != 0xa0 {
				n++
			}
			i += 2
			continue
		case c >= 0xe1 && c <= 0xec && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			if !isSpace3(c, s[i+1], s[i+2]) {
				n++
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !IsSpace(r) {
			n++
		}
		i += size
	}
	return n
}

// isSpace3 reports whether the three bytes encode a White_Space rune.
func isSpace3(c0, c1, c2 byte) bool {
	switch c0 {
	case 0xe1:
		return c1 == 0x9a && c2 == 0x80 // U+1680
	case 0xe2:
		if c1 == 0x80 {
			return c2 >= 0x80 && c2 <= 0x8a || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf
		}
		return c1 == 0x81 && c2 == 0x9f // U+205F
	case 0xe3:
		return c1 == 0x80 && c2 == 0x80 // U+3000
	}
	return false
}

// Shorten cuts s to at most n runes, marking the cut with "…".
func Shorten(s string, n int) string {
	if !MoreRunes(s, n) {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// MoreRunes reports whether s has more than n runes, counting them only
// when its length leaves a doubt (a rune takes one to four bytes, an
// invalid byte counts as one rune).
func MoreRunes(s string, n int) bool {
	switch {
	case len(s) <= n:
		return false
	case len(s) > 4*n:
		return true
	}
	return utf8.RuneCountInString(s) > n
}

// MoreWords reports whether s has more than n words (len(strings.Fields(s))
// > n), without splitting it.
func MoreWords(s string, n int) bool {
	k := 0
	for range strings.FieldsSeq(s) {
		if k++; k > n {
			return true
		}
	}
	return false
}

// IsSpace is unicode.IsSpace without its table lookup: the White_Space
// runes are listed (TestIsSpace checks every rune against unicode.IsSpace).
func IsSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == ' ' || r >= '\t' && r <= '\r'
	case r < 0x1680:
		return r == 0x85 || r == 0xa0
	case r <= 0x3000:
		return r == 0x1680 || r >= 0x2000 && r <= 0x200a || r == 0x2028 || r == 0x2029 ||
			r == 0x202f || r == 0x205f || r == 0x3000
	}
	return false
}
