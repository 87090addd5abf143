// Package titlematch compares a visible headline's text with the page's
// machine-readable titles (<title>, og:title, JSON-LD headline) word by
// word: folded words (lower case, no diacritics), punctuation ignored.
package titlematch

import (
	"slices"
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
	Part   // the reference starts with the text, or holds it after a site name or kicker
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

// repeatsOne is how reference words r repeat words.
func repeatsOne(r, words []string) int {
	switch {
	case equal(r, words):
		return Equal
	case len(r) > len(words) && len(words)*minShare >= len(r) &&
		(equal(r[:len(words)], words) || equal(r[len(r)-len(words):], words)):
		return Part
	case len(r) > len(words) && 2*len(words) >= len(r) && inside(r, words):
		return Part // "Kicker – Headline | Site"
	case len(r) > 1 && len(r) < len(words) && 2*len(r) >= len(words) && equal(words[len(words)-len(r):], r):
		return Kicker
	}
	return None
}

// inside reports whether words occur in r, one after the other.
func inside(r, words []string) bool {
	for i := 0; i+len(words) <= len(r); i++ {
		if equal(r[i:i+len(words)], words) {
			return true
		}
	}
	return false
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

// CutWordPrefix returns s less prefix p when s is p or starts with p and a
// space; p must not be empty.
func CutWordPrefix(s, p string) (string, bool) {
	if p == "" || !strings.HasPrefix(s, p) {
		return s, false
	}
	rest := s[len(p):]
	if rest != "" && rest[0] != ' ' {
		return s, false
	}
	return strings.TrimSpace(rest), true
}

// titleSeps are the separators between a page title's headline and the
// site's name ("Headline | Site", "Site - Headline").
var titleSeps = [...]string{" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " « ", ": "}

// Parts are the parts of a page title before and after its separators
// (the first and the last of each kind), trimmed, each once: where a
// site's name is printed ("Headline | Site", "Site - Section - Headline").
func Parts(t string) []string {
	var parts []string
	add := func(p string) {
		if p = strings.TrimSpace(p); p != "" && p != t && !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	for _, sep := range titleSeps {
		if i := strings.Index(t, sep); i > 0 {
			add(t[:i])
			add(t[i+len(sep):])
			j := strings.LastIndex(t, sep)
			add(t[:j])
			add(t[j+len(sep):])
		}
	}
	return parts
}

// isAnySiteName reports whether s names the site: one of names, or the
// host's labels (see isSiteName).
func isAnySiteName(s string, names []string, host string) bool {
	if len(names) == 0 {
		return IsSiteName(s, "", host)
	}
	for _, n := range names {
		if IsSiteName(s, n, host) {
			return true
		}
	}
	return false
}

// StripSiteName removes the site's name from a page title, printed before
// the headline or after it ("Site | Headline", "Headline - Site"); the
// part left must keep two words. With loose (the <title> element), a short
// last part (at most three words) goes too, whatever it names.
func StripSiteName(t string, names []string, host string, loose bool) string {
	for _, sep := range titleSeps {
		if i := strings.LastIndex(t, sep); i > 0 {
			head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
			if len(strings.Fields(head)) > 1 && (isAnySiteName(tail, names, host) || (loose && sep != ": " && len(strings.Fields(tail)) <= 3)) {
				return StripSiteName(head, names, host, false)
			}
		}
		if i := strings.Index(t, sep); i > 0 {
			head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
			if len(strings.Fields(tail)) > 1 && isAnySiteName(head, names, host) {
				return tail
			}
		}
	}
	return t
}

// IsSiteName reports whether s names the site rather than a person: equal
// to the site's name, or its letters are the host's name ("VnExpress" on
// vnexpress.net, "Dân Trí" on dantri.com.vn), also with a tagline after
// a dash ("L-MAG – Das Magazin für Lesben" on l-mag.de); or it names an
// organisation by its legal form or address ("Hanns-Seidel-Stiftung
// e.V.", "Web Commerce GmbH www.w-commerce.de": a publisher or its web
// agency, as metadata names them).
func IsSiteName(s, site, host string) bool {
	if isOrganisation(s) {
		return true
	}
	if name, _, ok := strings.Cut(s, " – "); ok && name != s && IsSiteName(strings.TrimSpace(name), site, host) {
		return true
	}
	f := lettersOnly(timeparse.Fold(s))
	if f == "" {
		return true
	}
	if site != "" && f == lettersOnly(timeparse.Fold(site)) {
		return true
	}
	h := lettersOnly(strings.TrimPrefix(strings.ToLower(host), "www."))
	return h != "" && len(f) >= 3 && strings.HasPrefix(h, f)
}

func lettersOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && r != '\u00a0' && !isSpaceRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u2007' || r == '\u202f'
}

// Title is the title of a visible headline text that a reference
// repeats as match says: the text, but the reference's where the
// reference leaves out the kicker printed with the headline, or prints
// the same words with the separators inline elements leave out.
func Title(text string, match int, ref *Ref) string {
	switch {
	case match == Kicker:
		return ref.Text
	case match == Equal && len(ref.Text) > len(text):
		return ref.Text
	case match == Part && colonKicker(ref.Text, text):
		return ref.Text
	}
	return text
}

// colonKicker reports whether ref is "Kicker: text", the kicker printed
// before a colon as part of the title (a site name is not: "Site: text"
// is not a page title's form, and "Site :: text" is a separator).
func colonKicker(ref, text string) bool {
	head, ok := strings.CutSuffix(ref, text)
	head = strings.TrimSpace(head)
	return ok && strings.HasSuffix(head, ":") && !strings.HasSuffix(head, "::") && len(strings.Fields(head)) <= 4 // "Site :: text" is a separator
}

// WithoutKicker is a headline's text t less the kicker printed at its
// start and the separator after it. A kicker that a reference prints
// before a colon ("Kicker: Headline") is part of the title and stays.
func WithoutKicker(t, kicker string, refs Refs) string {
	rest, ok := strings.CutPrefix(t, kicker)
	if !ok || kicker == "" {
		return t
	}
	for _, r := range refs {
		if strings.HasPrefix(r.Text, kicker+":") {
			return t
		}
	}
	if rest = strings.TrimLeft(rest, " –—-:|·"); rest == "" {
		return t
	}
	return rest
}

// SiteNames are the names a page gives its site (og:site_name,
// application-name, twitter:site, the JSON-LD publisher, the logo's alt
// text), white space collapsed, without empty ones and duplicates.
func SiteNames(values ...string) []string {
	var names []string
	for _, v := range values {
		if v = strings.Join(strings.Fields(v), " "); v != "" && !slices.Contains(names, v) {
			names = append(names, v)
		}
	}
	return names
}
