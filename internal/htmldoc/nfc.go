package htmldoc

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

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
		j := refEnd(b, i)
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

// refEnd returns the end of the character reference that starts with the
// '&' at b[i]: an optional '#', letters and digits, an optional ';'.
func refEnd(b []byte, i int) int {
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
	return j
}

// nfcTree normalises text and attribute values to NFC after parsing:
// character references ("e&#769;") can decode to combining sequences that
// the byte-level normalisation before parsing did not see.
func nfcTree(n *html.Node) {
	switch n.Type {
	case html.TextNode, html.CommentNode:
		if !nfc.IsNormalString(n.Data) {
			n.Data = norm.NFC.String(n.Data)
		}
	}
	for i := range n.Attr {
		if !nfc.IsNormalString(n.Attr[i].Val) {
			n.Attr[i].Val = norm.NFC.String(n.Attr[i].Val)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		nfcTree(c)
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
