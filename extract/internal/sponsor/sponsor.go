// Package sponsor recognises, in text, the heading of a sponsor block
// ("Sponsor links (Provided by VIEPortal.net …)", "Liên kết tài trợ"),
// which package extract removes with everything after it in its box.
package sponsor

import (
	"unicode"
	"unicode/utf8"
)

// headings are the lower-case phrases that open a sponsor block.
var headings = [...]string{"sponsor links", "provided by vieportal", "sponsored links", "liên kết tài trợ"}

// IsHeading reports whether strings.ToLower(s) holds one of the
// phrases that open a sponsor block, without lower-casing all of s.
func IsHeading(s string) bool {
	if len(s) > 400 {
		return false
	}
	// Every phrase starts with an ASCII letter, to which only the letter
	// and its capital lower-case: a phrase can start only at an ASCII byte
	// (bytes of multi-byte runes are all >= 0x80) whose lower case starts
	// one.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || !starts[c|0x20] {
			continue
		}
		for _, h := range headings {
			if c|0x20 == h[0] && hasLowerPrefix(s[i:], h) {
				return true
			}
		}
	}
	return false
}

// starts marks the first bytes of headings.
var starts = func() (t [utf8.RuneSelf]bool) {
	for _, h := range headings {
		t[h[0]] = true
	}
	return t
}()

// hasLowerPrefix reports whether strings.ToLower(s) starts with prefix
// (lower case, valid UTF-8).
func hasLowerPrefix(s, prefix string) bool {
	for _, p := range prefix {
		if s == "" {
			return false
		}
		r, n := utf8.DecodeRuneInString(s)
		if unicode.ToLower(r) != p {
			return false
		}
		s = s[n:]
	}
	return true
}
