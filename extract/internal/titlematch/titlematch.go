// Package titlematch compares a visible headline's text with the page's
// machine-readable titles (<title>, og:title, JSON-LD headline) word by
// word: folded words (lower case, no diacritics), punctuation ignored.
package titlematch

import (
	"strings"
	"unicode"

	"github.com/parc-archiver/parc/extract/internal/timeparse"
)

// minShare: a headline is at least 1/minShare of a reference's words.
const minShare = 3

// Ref is one machine-readable title: its text and its folded words.
type Ref struct {
	Text  string
	words []string
}

// Refs are the page's machine-readable titles.
type Refs []Ref

// NewRefs makes Refs of the non-empty texts, in order.
func NewRefs(texts ...string) Refs {
	var refs Refs
	for _, t := range texts {
		if t != "" {
			refs = append(refs, Ref{Text: t, words: Words(t)})
		}
	}
	return refs
}

// Words splits s into its folded words (runs of letters and digits).
func Words(s string) []string {
	return strings.FieldsFunc(timeparse.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// How a reference title repeats a visible text, worst first.
const (
	None   = iota
	Part   // the reference starts with the text, or ends with it after a site name or kicker
	Kicker // the text is the reference with a kicker before it
	Equal  // the same words
)

// Repeats reports how the references repeat text, and the reference that
// does (for Kicker and Equal, whose printed form may be the better title).
// A reference leaving out a kicker the text prints wins over one printing
// the same words: the kicker is not part of the headline. Text of too few
// words to tell (one word under 8 letters) repeats nothing.
func (refs Refs) Repeats(text string) (int, *Ref) {
	words := Words(text)
	if len(words) == 0 || (len(words) == 1 && len([]rune(words[0])) < 8) {
		return None, nil
	}
	best, ref := None, (*Ref)(nil)
	for i := range refs {
		if m := repeatsOne(refs[i].words, words); m > best || (m == best && m == Kicker) {
			best, ref = m, &refs[i]
		}
	}
	if best == Equal {
		for i := range refs {
			if repeatsOne(refs[i].words, words) == Kicker {
				return Kicker, &refs[i]
			}
		}
	}
	return best, ref
}

// SameWords reports whether a and b have the same folded words.
func SameWords(a, b string) bool {
	wa := Words(a)
	return len(wa) > 0 && equal(wa, Words(b))
}

// repeatsOne is how reference words r repeat words.
func repeatsOne(r, words []string) int {
	switch {
	case equal(r, words):
		return Equal
	case len(r) > len(words) && len(words)*minShare >= len(r) &&
		(equal(r[:len(words)], words) || equal(r[len(r)-len(words):], words)):
		return Part
	case len(r) > 1 && len(r) < len(words) && 2*len(r) >= len(words) && equal(words[len(words)-len(r):], r):
		return Kicker
	}
	return None
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
