package extract

import (
	"testing"
)

func benchExtract(b *testing.B, p Profile, name string) {
	page := readFixture(b, name)
	x, err := New(Options{Profile: p})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		doc, _, err := Parse(page, "text/html; charset=utf-8")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x.ExtractDocument(doc, Input{URL: seedURL}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractProfile measures Parse + profile extraction of the seed page.
func BenchmarkExtractProfile(b *testing.B) { benchExtract(b, seedProfile, "seed/page.html") }

// BenchmarkExtractGeneric measures Parse + zero-config (generic) extraction.
func BenchmarkExtractGeneric(b *testing.B) { benchExtract(b, Profile{}, "seed/page.html") }
