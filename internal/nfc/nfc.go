// Package nfc answers "is this text in Unicode NFC?" quickly for the text
// parc handles: Vietnamese, which is Latin letters with precomposed tone
// marks, plus punctuation, currency signs, CJK and emoji. Such text is NFC
// whatever surrounds each rune, so a scan that decodes runes answers without
// the normalisation tables; anything else is asked of
// golang.org/x/text/unicode/norm, so the answers always agree with it.
package nfc

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Inert reports whether NFC leaves r alone whatever surrounds it: r has
// canonical combining class 0, never composes with a preceding rune and is
// not replaced by NFC (NFC_Quick_Check=Yes). A string made of such runes
// only is in NFC. The ranges cover ASCII, the Latin blocks Vietnamese is
// written in, punctuation, currency signs, CJK ideographs and emoji;
// TestInert checks every rune claimed here against the norm tables.
func Inert(r rune) bool {
	switch {
	case r < 0x300: // ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers
		return true
	case r < 0x1e00:
		return false
	case r <= 0x1eff: // Latin Extended Additional (ạ ả ấ … ỹ)
		return true
	case r < 0x2002:
		return false // U+2000, U+2001 decompose to U+2002, U+2003
	case r <= 0x206f: // spaces, dashes, quotes, ellipsis, invisible operators
		return true
	case r < 0x20a0:
		return false
	case r <= 0x20c0: // currency signs (₫ U+20AB)
		return true
	case r < 0x4e00:
		return false
	case r <= 0x9fff: // CJK unified ideographs
		return true
	case r < 0x1f300:
		return r == utf8.RuneError // U+FFFD from decoding
	case r <= 0x1faff: // emoji and pictographs
		return true
	}
	return false
}

// IsNormalString reports whether s is in NFC, as norm.NFC.IsNormalString.
func IsNormalString(s string) bool {
	return allInert(s) || norm.NFC.IsNormalString(s)
}

// IsNormal is IsNormalString for bytes, as norm.NFC.IsNormal.
func IsNormal(b []byte) bool {
	return allInert(b) || norm.NFC.IsNormal(b)
}

// allInert reports whether s is valid UTF-8 of NFC-inert runes only, which
// makes it NFC without the full check.
func allInert[T ~string | ~[]byte](s T) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		// At most four bytes are converted: on the stack for []byte.
		r, n := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if n == 1 || !Inert(r) { // n == 1: invalid UTF-8
			return false
		}
		i += n
	}
	return true
}

// String returns s in NFC: s itself when it is already.
func String(s string) string {
	if IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}
