package fingerprint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/parc-archiver/parc/internal/nfc"
)

// The fast paths of simhash and normBodyScan (table look-ups for the
// Latin and Vietnamese letters) must give exactly what the plain code
// gave: refSimhash (text_test.go) is simhash's definition and
// normBodyScanRef the scan as it was, kept verbatim; the tests below
// compare against them on every rune of U+0000..U+2FFF, a sample above,
// every short invalid sequence and fuzzed strings.

// normBodyScanRef is normBodyScan as it was before the fast paths.
func normBodyScanRef(s string) (normal, inert bool) {
	inert = true
	prevSpace := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
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
		if inert && (size == 1 || !nfc.Inert(r)) {
			inert = false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace, inert
}

// checkFast fails t if simhash or normBodyScan differs from its
// reference on s.
func checkFast(t testing.TB, s string) {
	t.Helper()
	if got, want := Simhash(s), refSimhash(s); got != want {
		t.Fatalf("Simhash(%q) = %016x, want %016x", s, got, want)
	}
	gn, gi := normBodyScan(s)
	wn, wi := normBodyScanRef(s)
	if gn != wn || gi != wi {
		t.Fatalf("normBodyScan(%q) = %v, %v, want %v, %v", s, gn, gi, wn, wi)
	}
}

// runeContexts are the surroundings a rune is tested in, "%" standing for
// it: alone, inside, before and after words (ASCII, Latin, Vietnamese,
// upper case), next to white space and paragraph breaks, repeated, and
// next to a truncated sequence.
var runeContexts = []string{
	"%", "%%", "%%%", "a%", "%a", "a%b", "A%B", "9%9", "Hà%Nội", "Ạ%Ạ",
	"Hà Nội % mưa to", "Hà Nội%mưa to", "% x", "x %", " %", "% ", "x  % y",
	"x\n\n%", "%\n\nx", "x\n%", "%\n", "% % % %", "ĐẢNG%ủy TẬP ĐOÀN",
	"%\xe1\xba", "\xc3%", "%\xe1", "% \xff",
}

// testRunes calls fn with every rune of U+0000..U+2FFF and a sample of the
// runes above, up to beyond U+10FFFF (surrogates and runes beyond
// U+10FFFF encode as U+FFFD).
func testRunes(fn func(r rune)) {
	for r := rune(0); r < 0x3000; r++ {
		fn(r)
	}
	for r := rune(0x3000); r <= 0x110000; r += 61 {
		fn(r)
		fn(r | 0xff) // the last rune of a 256-rune row
	}
	for _, r := range []rune{0xd800, 0xdfff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x10400, 0x1e900, 0x10ffff, -1} {
		fn(r)
	}
}

func TestFastPathsEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	testRunes(func(r rune) {
		for _, ctx := range runeContexts {
			checkFast(t, strings.ReplaceAll(ctx, "%", string(r)))
		}
	})
}

// TestFastPathsShortBytes checks every one-, two- and three-byte string
// with a lead byte the fast paths look at, valid or not, in a few
// contexts: the guards of the fast paths must send everything they do not
// handle to the plain code.
func TestFastPathsShortBytes(t *testing.T) {
	ctxs := []string{"%", "a%b", "Hà %", "% Nội", "x%\n\ny"}
	check := func(b string) {
		for _, ctx := range ctxs {
			checkFast(t, strings.ReplaceAll(ctx, "%", b))
		}
	}
	for b0 := range 256 {
		check(string([]byte{byte(b0)}))
		for b1 := range 256 {
			check(string([]byte{byte(b0), byte(b1)}))
		}
	}
	if testing.Short() {
		return
	}
	// Three bytes from the lead of the Vietnamese letters (U+1E00..U+1EFF
	// is 0xE1 0xB8..0xBB xx) and its neighbours; the other leads differ
	// from two bytes only in what follows them, as above.
	for b0 := 0xe0; b0 <= 0xe2; b0++ {
		for b1 := range 256 {
			for b2 := range 256 {
				checkFast(t, string([]byte{byte(b0), byte(b1), byte(b2)}))
			}
		}
	}
}

// TestFoldTablesMatchFoldRune checks the tables entry by entry against
// foldRune, which is the code simhash runs for the runes outside them.
func TestFoldTablesMatchFoldRune(t *testing.T) {
	for r := range rune(len(fold2)) {
		if got, want := fold2[r], foldRune(r); got != want {
			t.Fatalf("fold2[%U] = %08x, want %08x", r, got, want)
		}
	}
	for k := range rune(len(fold1E)) {
		r := 0x1e00 + k
		if got, want := fold1E[k], foldRune(r); got != want {
			t.Fatalf("fold1E[%U] = %08x, want %08x", r, got, want)
		}
	}
}

// TestLatinNotSpace checks the premise of normBodyScan's fast paths: no
// rune of U+00C0..U+02FF or U+1E00..U+1EFF is white space, and all are
// NFC-inert.
func TestLatinNotSpace(t *testing.T) {
	for _, rg := range [][2]rune{{0xc0, 0x2ff}, {0x1e00, 0x1eff}} {
		for r := rg[0]; r <= rg[1]; r++ {
			if unicode.IsSpace(r) || !nfc.Inert(r) {
				t.Fatalf("%U: IsSpace %v, Inert %v", r, unicode.IsSpace(r), nfc.Inert(r))
			}
		}
	}
}

func fastSeeds(f *testing.F) {
	for _, body := range textCases {
		f.Add(body)
	}
	f.Add(seedArticle(f))
	f.Add("ĐẠI HỘI ĐẢNG ỦY Ẩ ẞ ß İ Ⱥ ǅ Σ ΣΑ Ω Ж ж µ ª ² ¼ ٣ \u00a0\u0085\u2028")
	f.Add("x\xc3\x80\xe1\xbb\xa0\xe1\xbb\xc3\xe1\xb7\xbf\xe1\xbc\x80\xc2\xa0\xcc\x81")
}

func FuzzSimhashFast(f *testing.F) {
	fastSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Simhash(s), refSimhash(s); got != want {
			t.Fatalf("Simhash(%q) = %016x, want %016x", s, got, want)
		}
	})
}

func FuzzNormBodyScanFast(f *testing.F) {
	fastSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		gn, gi := normBodyScan(s)
		wn, wi := normBodyScanRef(s)
		if gn != wn || gi != wi {
			t.Fatalf("normBodyScan(%q) = %v, %v, want %v, %v", s, gn, gi, wn, wi)
		}
	})
}

// seedArticle is the body of the seed article (the first export fixture
// record), real Vietnamese news text in NFC, as extract produces it.
func seedArticle(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "export", "testdata", "export", "records.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var recs []struct{ Body string }
	if err := json.Unmarshal(b, &recs); err != nil || len(recs) == 0 {
		tb.Fatalf("export fixture: %v", err)
	}
	return recs[0].Body
}

func BenchmarkSimhashSeed(b *testing.B) {
	body := seedArticle(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Simhash(body)
	}
}

func BenchmarkNormBodySeed(b *testing.B) {
	body := seedArticle(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		NormBody(body)
	}
}
