package nfc

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestInert checks every rune Inert claims against the norm tables:
// combining class 0, no composition with a rune before it, and unchanged
// by NFC. Together these make a string of such runes NFC.
func TestInert(t *testing.T) {
	claimed := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !Inert(r) || !utf8.ValidRune(r) {
			continue
		}
		claimed++
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if p.CCC() != 0 || !p.BoundaryBefore() || !norm.NFC.IsNormalString(s) {
			t.Errorf("U+%04X claimed NFC-inert: ccc=%d boundaryBefore=%v normal=%v", r, p.CCC(), p.BoundaryBefore(), norm.NFC.IsNormalString(s))
		}
	}
	if claimed < 0x300 {
		t.Fatalf("only %d runes claimed inert", claimed)
	}
}

func TestIsNormalString(t *testing.T) {
	for _, s := range []string{"", "Ban Chỉ đạo 35", "Thứ tư, 27/01/2021 – “HỒNG LIÊN” … ₫", "Thu\u031b\u0301 tu\u031b",
		"e\u0301", "\u0301abc", "10 \u2126", "a\u2000b", "a\xffb\xe1\x80", "tin vui 🎉", "\uf900"} {
		want := norm.NFC.IsNormalString(s)
		if got := IsNormalString(s); got != want {
			t.Errorf("IsNormalString(%q) = %v, norm says %v", s, got, want)
		}
		if got, want := String(s), norm.NFC.String(s); got != want {
			t.Errorf("String(%q) = %q, want %q", s, got, want)
		}
	}
}
