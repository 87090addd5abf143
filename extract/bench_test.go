package extract

import (
	"github.com/parc-archiver/parc/extract/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// benchPage is one page a benchmark parses and extracts.
type benchPage struct {
	name        string
	body        []byte
	contentType string
	url         *url.URL
}

// simBenchBase is the origin the simulated pages are rendered for; nothing
// goes over the network (the portal's handler is called directly).
const simBenchBase = "http://sim.parc.test"

// simProfile is the shipped profile of the simulated portal (sim.Config).
func simProfile() Profile {
	return Profile{
		Title: sim.SelTitle, Published: sim.SelPublished, Body: sim.SelBody, Byline: sim.SelByline,
		Category: sim.SelCategory, Remove: sim.RemoveSelectors(),
	}
}

// simPages renders the first n articles of a simulated portal in layout.
func simPages(tb testing.TB, layout sim.Layout, n int) []benchPage {
	tb.Helper()
	p := sim.New(sim.Options{Articles: n + 1, Seed: 11, Layout: layout})
	if layout == sim.LayoutRedesign {
		p = sim.New(sim.Options{Articles: n + 1, Seed: 11})
		p.SetLayout(layout)
	}
	var out []benchPage
	for _, a := range p.Truth() {
		if a.Key == "seed" {
			continue // the seed page is benchmarked from testdata
		}
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, simBenchBase+a.URL, nil))
		if rec.Code != http.StatusOK {
			tb.Fatalf("%s: status %d", a.URL, rec.Code)
		}
		out = append(out, benchPage{name: a.URL, body: rec.Body.Bytes(), contentType: rec.Header().Get("Content-Type"), url: mustURL(simBenchBase + a.URL)})
		if len(out) == n {
			break
		}
	}
	if len(out) == 0 {
		tb.Fatal("no simulated pages")
	}
	return out
}

// benchExtract parses and extracts every page once per iteration; ns/op
// is per page set, so it is divided by the page count in b.ReportMetric.
func benchExtract(b *testing.B, p Profile, pages []benchPage) {
	b.Helper()
	benchExtractWith(b, Options{Profile: p}, pages)
}

// benchExtractWith is benchExtract with every option.
func benchExtractWith(b *testing.B, o Options, pages []benchPage) {
	b.Helper()
	x, err := New(o)
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, pg := range pages {
		size += len(pg.body)
		// Fail early on a page that does not extract, outside the timing.
		doc, _, err := htmldoc.Parse(pg.body, pg.contentType)
		if err != nil {
			b.Fatalf("%s: %v", pg.name, err)
		}
		if _, err := x.ExtractDocument(doc, Input{URL: pg.url}); err != nil {
			b.Fatalf("%s: %v", pg.name, err)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, pg := range pages {
			doc, _, err := htmldoc.Parse(pg.body, pg.contentType)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := x.ExtractDocument(doc, Input{URL: pg.url}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
}

func fixturePage(tb testing.TB, name string, u *url.URL) []benchPage {
	return []benchPage{{name: name, body: readFixture(tb, name), contentType: "text/html; charset=utf-8", url: u}}
}

// BenchmarkExtractProfile measures Parse + profile extraction.
func BenchmarkExtractProfile(b *testing.B) {
	b.Run("seed", func(b *testing.B) { benchExtract(b, seedProfile, fixturePage(b, "seed/page.html", seedURL)) })
	b.Run("vieapps", func(b *testing.B) { benchExtract(b, vieappsProfile, fixturePage(b, "vieapps/page.html", vieappsURL)) })
	b.Run("sim-vieportal", func(b *testing.B) { benchExtract(b, simProfile(), simPages(b, sim.LayoutVIEPortal, 8)) })
	b.Run("sim-vieapps", func(b *testing.B) { benchExtract(b, simProfile(), simPages(b, sim.LayoutVIEApps, 8)) })
}

// BenchmarkExtractGeneric measures Parse + zero-config (generic) extraction.
func BenchmarkExtractGeneric(b *testing.B) {
	b.Run("seed", func(b *testing.B) { benchExtract(b, Profile{}, fixturePage(b, "seed/page.html", seedURL)) })
	b.Run("vieapps", func(b *testing.B) { benchExtract(b, Profile{}, fixturePage(b, "vieapps/page.html", vieappsURL)) })
	b.Run("sim-vieportal", func(b *testing.B) { benchExtract(b, Profile{}, simPages(b, sim.LayoutVIEPortal, 8)) })
	b.Run("sim-vieapps", func(b *testing.B) { benchExtract(b, Profile{}, simPages(b, sim.LayoutVIEApps, 8)) })
	b.Run("sim-redesign", func(b *testing.B) { benchExtract(b, Profile{}, simPages(b, sim.LayoutRedesign, 8)) })
}

// BenchmarkExtractTemplate measures Parse + generic extraction of
// simulated pages with no template model and with one learned from 24
// other pages of the same layout (issue 15 item 6): what applying a
// model costs per page.
func BenchmarkExtractTemplate(b *testing.B) {
	for name, layout := range map[string]sim.Layout{"sim-vieapps": sim.LayoutVIEApps, "sim-generated": sim.LayoutGenerated} {
		all := simPages(b, layout, 32)
		l := template.NewLearner()
		for _, pg := range all[8:] {
			doc, _, err := htmldoc.Parse(pg.body, pg.contentType)
			if err != nil {
				b.Fatal(err)
			}
			l.Add(doc.Nodes[0], pg.url.Hostname())
		}
		m, ok := l.Model(1, time.Now())
		if !ok {
			b.Fatal("no model")
		}
		b.Run(name+"/none", func(b *testing.B) { benchExtractWith(b, Options{}, all[:8]) })
		b.Run(name+"/model", func(b *testing.B) { benchExtractWith(b, Options{Template: m}, all[:8]) })
	}
}

// BenchmarkExtractDocument measures ExtractDocument alone: the pages are
// parsed outside the timing (ExtractDocument modifies its document, so each
// iteration extracts from fresh parses).
func BenchmarkExtractDocument(b *testing.B) {
	for _, tc := range []struct {
		name   string
		p      Profile
		layout sim.Layout
	}{
		{"sim-vieportal", simProfile(), sim.LayoutVIEPortal},
		{"sim-vieapps", simProfile(), sim.LayoutVIEApps},
		{"generic-sim-vieapps", Profile{}, sim.LayoutVIEApps},
	} {
		b.Run(tc.name, func(b *testing.B) {
			x, err := New(Options{Profile: tc.p})
			if err != nil {
				b.Fatal(err)
			}
			pages := simPages(b, tc.layout, 8)
			docs := make([]*goquery.Document, len(pages))
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				for i, pg := range pages {
					if docs[i], _, err = htmldoc.Parse(pg.body, pg.contentType); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				for i, pg := range pages {
					if _, err := x.ExtractDocument(docs[i], Input{URL: pg.url}); err != nil {
						b.Fatalf("%s: %v", pg.name, err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
		})
	}
}
