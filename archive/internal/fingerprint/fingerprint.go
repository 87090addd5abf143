// Package fingerprint normalises article text and computes what the
// archive identifies content by: the content hash of the normalised title
// and body (the export record's content_hash) and a 64-bit simhash of the
// body's word shingles for near-duplicate detection (Hamming distance).
// The functions are pure and hot: a crawl calls them once per page, with
// fast paths for Vietnamese text in NFC (see normBodyScan and Simhash).
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parc-archiver/parc/internal/nfc"
)

// Collapse returns s in NFC with runs of white space replaced by one space
// and trimmed.
func Collapse(s string) string {
	return CollapseNFC(nfc.String(s))
}

// CollapseNFC is collapse for text already in NFC.
func CollapseNFC(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Paragraphs splits a body into normalised, non-empty paragraphs.
func Paragraphs(body string) []string {
	body = strings.ReplaceAll(nfc.String(body), "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = CollapseNFC(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// NormBody returns body with each paragraph normalised, joined by "\n\n".
// A body that is already so (as extract produces it) is returned as is,
// after one pass over it when its runes are NFC-inert (Vietnamese in NFC).
func NormBody(body string) string {
	normal, inert := normBodyScan(body)
	if normal && inert {
		return body
	}
	if normal {
		if n := nfc.String(body); n == body || IsNormBody(n) {
			return n
		}
	}
	return strings.Join(Paragraphs(body), "\n\n")
}

// IsNormBody reports whether s (in NFC) is unchanged by normBody: white
// space only as single spaces between words and "\n\n" between
// non-empty paragraphs, none leading or trailing.
func IsNormBody(s string) bool {
	normal, _ := normBodyScan(s)
	return normal
}

// normBodyScan reports whether s is white-space normal (isNormBody) and,
// if so, whether all its runes are NFC-inert (nfc.Inert), which makes it
// NFC without a further check.
//
// The Latin and Vietnamese letters of Vietnamese text in NFC are checked
// from their bytes: U+00C0..U+02FF (lead bytes 0xC3..0xCB) and
// U+1E00..U+1EFF (0xE1 0xB8..0xBB) hold no white space and are all inert.
// U+0080..U+00BF (0xC2) does hold white space (U+0085, U+00A0): it goes
// through the general path with the other runes.
func normBodyScan(s string) (normal, inert bool) {
	inert = true
	prevSpace := true // at the start, as after a separator
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c > ' ' && c < utf8.RuneSelf: // ASCII, not white space
			prevSpace = false
			i++
			continue
		case c >= 0xc3 && c <= 0xcb && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			prevSpace = false // U+00C0..U+02FF: Latin letters
			i += 2
			continue
		case c == 0xe1 && i+2 < len(s) && s[i+1] >= 0xb8 && s[i+1] <= 0xbb && s[i+2]&0xc0 == 0x80:
			prevSpace = false // U+1E00..U+1EFF: Vietnamese letters
			i += 3
			continue
		case c < utf8.RuneSelf: // ASCII control or space
			switch {
			case c == ' ':
				if prevSpace {
					return false, false
				}
				prevSpace = true
				i++
			case c == '\n':
				if prevSpace || i+1 >= len(s) || s[i+1] != '\n' {
					return false, false
				}
				prevSpace = true
				i += 2
			case asciiSpace(c):
				return false, false
			default:
				prevSpace = false
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false, false
		}
		if inert && (size == 1 || !nfc.Inert(r)) { // size 1: invalid UTF-8
			inert = false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace, inert
}

// asciiSpace reports the ASCII white space of unicode.IsSpace.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// ContentHash is "sha256:" + hex of the normalised title, "\n\n", and the
// normalised body (the export record's content_hash).
func ContentHash(title, body string) string {
	return ContentHashNorm(Collapse(title), NormBody(body))
}

// ContentHashNorm is contentHash of an already normalised title and body.
func ContentHashNorm(title, body string) string {
	h := sha256.New()
	var buf [512]byte // strings go in through a small buffer, not copied whole
	for _, s := range [...]string{title, "\n\n", body} {
		for len(s) > 0 {
			n := copy(buf[:], s)
			h.Write(buf[:n])
			s = s[n:]
		}
	}
	var sum [sha256.Size]byte
	return "sha256:" + hex.EncodeToString(h.Sum(sum[:0]))
}

// Simhash is a 64-bit simhash of the lower-cased 3-word shingles of a
// body in NFC. Words are runs of letters and digits after lower-casing;
// each shingle is hashed with FNV-1a over its words, each followed by a
// space. A body of fewer than three words hashes each word alone.
//
// Each byte belongs to three shingles, whose FNV-1a states differ: the
// three hashes advance together, byte by byte, as independent chains of
// multiplications the processor overlaps, instead of one shingle after
// the other over a lower-cased copy of the body.
func Simhash(body string) uint64 {
	const offset64, prime64 = 14695981039346656037, 1099511628211
	var (
		// h0 hashes the shingle starting at the current word, h1 the one
		// starting at the previous word, h2 two words back. (Three
		// variables, not an array, which the compiler would keep in
		// memory: a store and load in every multiplication chain.)
		h0, h1, h2 uint64 = offset64, offset64, offset64
		words      int
		single     [2]uint64 // the first two words hashed alone
		ones       [64]int32 // per bit, how many shingle hashes have it set
		total      int32
		inWord     bool
		// lanes[j] counts bits 8j..8j+7 of the hashes in eight 8-bit
		// lanes, added into ones before a lane can overflow.
		lanes  [8]uint64
		inLane int
	)
	flush := func() {
		for j, l := range lanes {
			for k := range 8 {
				ones[8*j+k] += int32(l >> (8 * k) & 0xff)
			}
		}
		lanes, inLane = [8]uint64{}, 0
	}
	add := func(x uint64) {
		// for j := range lanes { lanes[j] += spreadTable[byte(x>>(8*j))] },
		// unrolled (the compiler does not unroll loops).
		lanes[0] += spreadTable[byte(x)]
		lanes[1] += spreadTable[byte(x>>8)]
		lanes[2] += spreadTable[byte(x>>16)]
		lanes[3] += spreadTable[byte(x>>24)]
		lanes[4] += spreadTable[byte(x>>32)]
		lanes[5] += spreadTable[byte(x>>40)]
		lanes[6] += spreadTable[byte(x>>48)]
		lanes[7] += spreadTable[byte(x>>56)]
		if inLane++; inLane == 255 {
			flush()
		}
		total++
	}
	feed := func(c byte) {
		h0 = (h0 ^ uint64(c)) * prime64
		h1 = (h1 ^ uint64(c)) * prime64
		h2 = (h2 ^ uint64(c)) * prime64
	}
	endWord := func() {
		feed(' ')
		if words < 2 {
			single[words] = h0
		}
		words++
		if words >= 3 {
			add(h2)
		}
		h2, h1, h0 = h1, h0, offset64
		inWord = false
	}
	for i := 0; i < len(body); {
		// x is the rune at i as the shingles take it (see foldRune): its
		// lower case in UTF-8, or 0 between words.
		var x uint32
		switch c := body[i]; {
		case c < utf8.RuneSelf:
			x = fold2[c]
			i++
		case c >= 0xc2 && c <= 0xdf && i+1 < len(body) && body[i+1]&0xc0 == 0x80:
			x = fold2[rune(c&0x1f)<<6|rune(body[i+1]&0x3f)] // U+0080..U+07FF
			i += 2
		case c == 0xe1 && i+2 < len(body) && body[i+1] >= 0xb8 && body[i+1] <= 0xbb && body[i+2]&0xc0 == 0x80:
			x = fold1E[rune(body[i+1]&0x03)<<6|rune(body[i+2]&0x3f)] // U+1E00..U+1EFF
			i += 3
		default:
			r, size := utf8.DecodeRuneInString(body[i:])
			x = foldRune(r)
			i += size
		}
		if x == 0 {
			if inWord {
				endWord()
			}
			continue
		}
		inWord = true
		for ; x != 0; x >>= 8 {
			feed(byte(x))
		}
	}
	if inWord {
		endWord()
	}
	if words < 3 { // hash each word alone
		for _, x := range single[:words] {
			add(x)
		}
	}
	flush()
	return majority(&ones, total)
}

// majority sets bit i where more than half of the total hashes have it.
func majority(ones *[64]int32, total int32) uint64 {
	var out uint64
	for i := range 64 {
		if 2*ones[i] > total {
			out |= 1 << i
		}
	}
	return out
}

// foldRune returns r as simhash takes it into the shingles: 0 if
// unicode.ToLower(r) is neither a letter nor a number (a separator), else
// the UTF-8 of unicode.ToLower(r), its first byte lowest. No byte of it is
// 0: U+0000 is not a letter, and the bytes of a longer encoding are >=
// 0x80, so the bytes can be taken until the rest is 0.
func foldRune(r rune) uint32 {
	r = unicode.ToLower(r)
	if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
		return 0
	}
	var buf [utf8.UTFMax]byte
	var x uint32
	for i, c := range utf8.AppendRune(buf[:0], r) {
		x |= uint32(c) << (8 * i)
	}
	return x
}

// fold2 is foldRune of every rune of one or two bytes (U+0000..U+07FF:
// ASCII, the Latin letters Vietnamese uses, Greek, Cyrillic, ...), and
// fold1E of U+1E00..U+1EFF (Latin Extended Additional, the Vietnamese
// letters with two marks, ạ ả ấ … ỹ), computed once: simhash looks them up
// instead of calling package unicode for every rune.
var (
	fold2  = func() (t [0x800]uint32) { fillFold(t[:], 0); return t }()
	fold1E = func() (t [0x100]uint32) { fillFold(t[:], 0x1e00); return t }()
)

// fillFold sets t[i] to foldRune(first+i).
func fillFold(t []uint32, first rune) {
	for i := range t {
		t[i] = foldRune(first + rune(i))
	}
}

// spreadTable is spreadBits of every byte, computed once: simhash looks
// up eight of them per shingle.
var spreadTable = func() (t [256]uint64) {
	for b := range t {
		t[b] = spreadBits(byte(b))
	}
	return t
}()

// spreadBits returns b with bit k moved to bit 8k (one bit per byte lane).
func spreadBits(b byte) uint64 {
	x := uint64(b)
	x = (x | x<<28) & 0x0000000f0000000f
	x = (x | x<<14) & 0x0003000300030003
	x = (x | x<<7) & 0x0101010101010101
	return x
}

func Hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }
