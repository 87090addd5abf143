package htmldoc

import (
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// BenchmarkParse measures charset detection, decoding, NFC and parsing.
func BenchmarkParse(b *testing.B) {
	for _, tc := range []struct {
		name  string
		pages func(testing.TB) []testPage
	}{
		{"sim-seed", func(tb testing.TB) []testPage { return []testPage{simSeedPage(tb)} }},
		{"sim-vieapps", func(tb testing.TB) []testPage { return simPages(tb, sim.LayoutVIEApps, 8) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			pages := tc.pages(b)
			size := 0
			for _, pg := range pages {
				size += len(pg.body)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, pg := range pages {
					if _, _, err := Parse(pg.body, pg.contentType); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
