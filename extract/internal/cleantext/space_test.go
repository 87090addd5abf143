package cleantext

import (
	"testing"
	"unicode"
)

// IsSpace is unicode.IsSpace, faster.
func TestIsSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if IsSpace(r) != unicode.IsSpace(r) {
			t.Errorf("IsSpace(U+%04X) = %v, unicode.IsSpace says %v", r, IsSpace(r), unicode.IsSpace(r))
		}
	}
}
