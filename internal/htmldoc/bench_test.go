package htmldoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

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

// BenchmarkParseCode compares Parse with ParseFull on a simulated page
// whose head carries its CSS and JavaScript inline, as news pages' do
// (half of extraction-dev's pages are more than a third code).
func BenchmarkParseCode(b *testing.B) {
	pg := simSeedPage(b)
	code := "<style>" + strings.Repeat(".a-b > .c:hover{color:#123456;margin:0 auto}\n", 800) + "</style>" +
		"<script>" + strings.Repeat("window.dataLayer=window.dataLayer||[];if(a<b){f('</p>')}\n", 600) + "</script></head>"
	body := bytes.Replace(pg.body, []byte("</head>"), []byte(code), 1)
	for _, tc := range []struct {
		name  string
		parse func([]byte, string) (*goquery.Document, string, error)
	}{
		{"full", ParseFull},
		{"without-code", Parse},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := tc.parse(body, pg.contentType); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
