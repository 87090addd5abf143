package extract

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// nfcInert reports whether NFC leaves r alone whatever surrounds it: r has
// canonical combining class 0, never composes with a preceding rune and is
// not replaced by NFC (NFC_Quick_Check=Yes). A string made of such runes
// only is in NFC. The ranges cover ASCII, the Latin blocks Vietnamese is
// written in, punctuation, currency signs, CJK ideographs and emoji;
// TestNFCInert checks every rune claimed here against the norm tables.
func nfcInert(r rune) bool {
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

// isNFCString reports whether s is in Unicode NFC. It answers from a
// quick scan when every rune is NFC-inert (nfcInert) and asks the norm
// package otherwise, so it agrees with norm.NFC.IsNormalString.
func isNFCString(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if n == 1 || !nfcInert(r) { // n == 1: invalid UTF-8
			return norm.NFC.IsNormalString(s)
		}
		i += n
	}
	return true
}

// scanText reports whether b is valid UTF-8 (as utf8.Valid) and, if it
// is, whether every rune of it is NFC-inert, which makes b NFC. It runs
// over ASCII eight bytes at a time.
func scanText(b []byte) (valid, inert bool) {
	for i := 0; i < len(b); {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
			continue
		}
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if n == 1 {
			return false, false
		}
		if !nfcInert(r) {
			return utf8.Valid(b[i:]), false
		}
		i += n
	}
	return true, true
}

// refsInert reports whether every character reference in b (numeric or
// named, as the HTML tokenizer decodes them in text and attribute values)
// decodes to NFC-inert runes. A page of inert runes whose references are
// inert parses to text and attributes that are NFC already.
func refsInert(b []byte) bool {
	i := bytes.IndexByte(b, '&')
	for i >= 0 {
		j := i + 1
		if j < len(b) && b[j] == '#' {
			j++
		}
		for j < len(b) && (isLetter(b[j]) || isDigit(b[j])) {
			j++
		}
		if j < len(b) && b[j] == ';' {
			j++
		}
		switch ref := b[i:j]; string(ref) {
		case "&", "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#39;", "&apos;":
		default:
			// The tokenizer decodes a reference from these bytes alone
			// (in an attribute it may leave it as it is).
			for _, r := range html.UnescapeString(string(ref)) {
				if !nfcInert(r) {
					return false
				}
			}
		}
		k := bytes.IndexByte(b[j:], '&')
		if k < 0 {
			break
		}
		i = j + k
	}
	return true
}

// isNFC is isNFCString for bytes; it agrees with norm.NFC.IsNormal.
func isNFC(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if n == 1 || !nfcInert(r) {
			return norm.NFC.IsNormal(b)
		}
		i += n
	}
	return true
}

// isSpace is unicode.IsSpace without its table lookup: the White_Space
// runes are listed (TestIsSpace checks every rune against unicode.IsSpace).
func isSpace(r rune) bool {
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

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
