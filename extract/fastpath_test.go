package extract

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/parc-archiver/parc/extract/internal/cleantext"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// The text helpers have fast paths for ASCII and Vietnamese; these tests
// hold them to the plain definitions they replace.

// cleanTextPlain is cleanText written plainly: drop invalid UTF-8,
// controls and zero-width characters, collapse white space, and NFC when
// a combining mark was seen.
func cleanTextPlain(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	var b strings.Builder
	space, marks := false, false
	for _, r := range s {
		if cleantext.IsCombining(r) {
			marks = true
		}
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if marks {
		return norm.NFC.String(b.String())
	}
	return b.String()
}

// countVisiblePlain counts the runes of s that unicode.IsSpace rejects.
func countVisiblePlain(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// textSamples are hand-picked strings plus random ones built from
// ASCII, Vietnamese, spaces of every kind, marks, controls and stray bytes.
func textSamples() []string {
	samples := []string{
		"", " ", "Ban Chỉ đạo 35", "  HỒNG\u00a0LIÊN \n", "a\u200bb\u00adc\ufeffd", "Thu\u031b\u0301 tu\u031b",
		"x\u2000y\u2028z\u3000w\u1680v\u205fu\u202ft\u0085s", "\x01\x7f\u0080\u009f", "a\xffb\xe2\x80", "\xf0\xe2\x80\x80",
		"e\u0301\u0316", "₫ “trích” — … ạ ỹ Ă ơ ư", "\u1100\u1161", "tab\tvt\vff\fcr\r",
	}
	pieces := []string{"a", "Z", " ", "\t", "\n", "\r", "\v", "\f", "ạ", "ỹ", "đ", "Ư", "é", "\u00a0", "\u0085", "\u1680",
		"\u2000", "\u200a", "\u200b", "\u2028", "\u202f", "\u205f", "\u3000", "\u0301", "\u0323", "\u0338", "<", "\u00ad",
		"\ufeff", "\x00", "\x1f", "\u0080", "\xff", "\xe2\x80", "\xc2", "\xe1\x9a", "€", "🎉", "\u1ab0", "\u20d0", "\u0e31", "\u2126", "\u0387"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for j := rng.IntN(12); j >= 0; j-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		samples = append(samples, b.String())
	}
	return samples
}

func TestCleanTextMatchesPlainDefinition(t *testing.T) {
	for _, s := range textSamples() {
		if got, want := cleanText(s), cleanTextPlain(s); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestCountVisibleMatchesPlainDefinition(t *testing.T) {
	for _, s := range textSamples() {
		if got, want := countVisible(s), countVisiblePlain(s); got != want {
			t.Errorf("countVisible(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestLinkCountMatchesTextLen(t *testing.T) {
	checked := 0
	for name, doc := range selectorPages(t) {
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if _, _, k := textLen(n, false); linkCount(n) != k {
				t.Errorf("%s: <%s>: linkCount = %d, textLen says %d", name, n.Data, linkCount(n), k)
			}
			if _, _, k := textLen(n, false); k > 0 {
				checked++
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	if checked == 0 {
		t.Fatal("no links in the test pages")
	}
}

// selectorPages are the fixture pages, parsed, by file name.
func selectorPages(t *testing.T) map[string]*html.Node {
	t.Helper()
	names := []string{"seed/page.html", "vieapps/page.html"}
	rules, err := filepath.Glob(filepath.Join("testdata", "rules", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		names = append(names, strings.TrimPrefix(filepath.ToSlash(r), "testdata/"))
	}
	docs := map[string]*html.Node{}
	for _, name := range names {
		doc, _, err := htmldoc.Parse(readFixture(t, name), "text/html; charset=utf-8")
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = doc.Nodes[0]
	}
	return docs
}
