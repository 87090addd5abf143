package fingerprint

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/parc-archiver/parc/internal/testtool"
)

// refSimhash is the straightforward simhash the archive's stored values
// were computed with (lower-case the body, split it into words, hash each
// shingle): simhash must give the same values.
func refSimhash(body string) uint64 {
	words := strings.FieldsFunc(strings.ToLower(body), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	const n = 3
	var ones [64]int32
	total := int32(0)
	const offset64, prime64 = 14695981039346656037, 1099511628211
	add := func(ws []string) {
		x := uint64(offset64)
		for _, w := range ws {
			for i := 0; i < len(w); i++ {
				x = (x ^ uint64(w[i])) * prime64
			}
			x = (x ^ ' ') * prime64
		}
		for i := range 64 {
			ones[i] += int32(x >> i & 1)
		}
		total++
	}
	if len(words) < n {
		for _, w := range words {
			add([]string{w})
		}
	} else {
		for i := 0; i+n <= len(words); i++ {
			add(words[i : i+n])
		}
	}
	var out uint64
	for i := range 64 {
		if 2*ones[i] > total {
			out |= 1 << i
		}
	}
	return out
}

// refNormBody is normBody without its fast path.
func refNormBody(body string) string { return strings.Join(Paragraphs(body), "\n\n") }

// textCases are bodies with the white space, case and encoding corners
// that the fast paths must handle like the plain code.
var textCases = map[string]string{
	"empty":             "",
	"one word":          "Hà",
	"two words":         "Hà Nội",
	"three words":       "Hà Nội mưa",
	"normalised":        "Tập đoàn Hóa chất Việt Nam tổ chức hội nghị.\n\nPhân bón urê giá tăng 12% trong quý 1.",
	"upper case":        "TẬP ĐOÀN HÓA CHẤT Việt Nam ĐÃ TỔ CHỨC",
	"punctuation only":  "... -- !!",
	"leading space":     " Hà Nội mưa to",
	"trailing space":    "Hà Nội mưa to ",
	"double space":      "Hà  Nội mưa to",
	"tab":               "Hà\tNội mưa to",
	"single newline":    "Hà Nội\nmưa to",
	"triple newline":    "Hà Nội\n\n\nmưa to",
	"four newlines":     "Hà Nội\n\n\n\nmưa to",
	"crlf":              "Hà Nội\r\n\r\nmưa to",
	"leading paragraph": "\n\nHà Nội mưa to",
	"trailing newlines": "Hà Nội mưa to\n\n",
	"space at break":    "Hà Nội \n\nmưa to",
	"nbsp":              "Hà\u00a0Nội mưa to",
	"ideographic space": "Hà\u3000Nội mưa to",
	"decomposed":        "Tie\u0302\u0301ng Vie\u0323\u0302t có dấu",
	"invalid utf-8":     "Hà \xff Nội \xc3 mưa\xe1\xba to",
	"digits and marks":  "Năm 2021, giá urê tăng 15,5% so với 2020 — theo VINACHEM.",
	"turkish and greek": "İSTANBUL ΣΟΦΙΑ ǅemal straße",
	"only spaces":       "   \n\n  ",
}

func TestSimhashMatchesReference(t *testing.T) {
	for name, body := range textCases {
		t.Run(name, func(t *testing.T) {
			if got, want := Simhash(body), refSimhash(body); got != want {
				t.Errorf("Simhash(%q) = %016x, want %016x", body, got, want)
			}
		})
	}
	t.Run("long", func(t *testing.T) { // more shingles than a lane holds
		for i := range 20 {
			body := testtool.Body(i, 1+i*3)
			if got, want := Simhash(body), refSimhash(body); got != want {
				t.Fatalf("body %d: simhash = %016x, want %016x", i, got, want)
			}
		}
	})
	t.Run("random", func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 7))
		for i := range 2000 {
			body := randomText(r, r.IntN(80))
			if got, want := Simhash(body), refSimhash(body); got != want {
				t.Fatalf("case %d: Simhash(%q) = %016x, want %016x", i, body, got, want)
			}
		}
	})
}

func TestNormBodyMatchesReference(t *testing.T) {
	for name, body := range textCases {
		t.Run(name, func(t *testing.T) {
			if got, want := NormBody(body), refNormBody(body); got != want {
				t.Errorf("NormBody(%q) = %q, want %q", body, got, want)
			}
		})
	}
	t.Run("random", func(t *testing.T) {
		r := rand.New(rand.NewPCG(8, 8))
		for i := range 2000 {
			body := randomText(r, r.IntN(40))
			if got, want := NormBody(body), refNormBody(body); got != want {
				t.Fatalf("case %d: NormBody(%q) = %q, want %q", i, body, got, want)
			}
		}
	})
}

// TestIsNormBody checks the fast path is taken for what extract produces,
// so that the common case does not fall back to splitting and joining.
func TestIsNormBody(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"paragraphs", textCases["normalised"], true},
		{"one word", "Hà", true},
		{"empty", "", false},
		{"double space", "Hà  Nội", false},
		{"triple newline", "Hà\n\n\nNội", false},
		{"trailing newline", "Hà Nội\n", false},
		{"nbsp", "Hà\u00a0Nội", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsNormBody(tt.body); got != tt.want {
				t.Errorf("IsNormBody(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

// randomText joins n tokens drawn from words, white space (some of it
// exotic), punctuation, upper case and broken UTF-8.
func randomText(r *rand.Rand, n int) string {
	tokens := []string{"Hà", "NỘI", "mưa", "to", "Tập", "đoàn", "2021", "urê", " ", " ", "  ", "\n", "\n\n", "\n\n\n",
		"\t", "\r\n", "\u00a0", ",", ".", "—", "\xff", "e\u0301", "İ", "ǅ", "A1b2"}
	var sb strings.Builder
	for range n {
		sb.WriteString(tokens[r.IntN(len(tokens))])
	}
	return sb.String()
}

func BenchmarkSimhash(b *testing.B) {
	body := testtool.Body(1, 16)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Simhash(body)
	}
}

func BenchmarkNormBody(b *testing.B) {
	body := testtool.Body(1, 16)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		NormBody(body)
	}
}

func TestSpreadBits(t *testing.T) {
	for b := range 256 {
		got := spreadBits(byte(b))
		for k := range 8 {
			if lane, bit := got>>(8*k)&0xff, uint64(b>>k&1); lane != bit {
				t.Fatalf("spreadBits(%08b) lane %d = %d, want %d", b, k, lane, bit)
			}
		}
	}
}
