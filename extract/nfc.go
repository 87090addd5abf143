package extract

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/internal/nfc"
)

// scanText reports whether b is valid UTF-8 (as utf8.Valid) and, if it
// is, whether every rune of it is NFC-inert, which makes b NFC. It runs
// over ASCII eight bytes at a time.
func scanText(b []byte) (valid, inert bool) {
	for i := 0; i < len(b); {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
			continue
		}
		switch c := b[i]; {
		case c < utf8.RuneSelf:
			i++
			continue
		case c >= 0xc2 && c <= 0xcb && i+1 < len(b) && b[i+1]&0xc0 == 0x80:
			i += 2 // U+0080..U+02FF: Latin letters, inert
			continue
		case c == 0xe1 && i+2 < len(b) && b[i+1] >= 0xb8 && b[i+1] <= 0xbb && b[i+2]&0xc0 == 0x80:
			i += 3 // U+1E00..U+1EFF: Vietnamese letters, inert
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if n == 1 {
			return false, false
		}
		if !nfc.Inert(r) {
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
				if !nfc.Inert(r) {
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
