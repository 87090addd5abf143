package htmldoc

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// testPage is one page as a server sent it.
type testPage struct {
	name        string
	body        []byte
	contentType string
}

// simPortal is the simulated portal the tests and benchmarks render
// pages of: n articles besides the reference one, in layout.
func simPortal(layout sim.Layout, n int) *sim.Portal {
	return sim.New(sim.Options{Articles: n + 1, Seed: 11, Layout: layout})
}

// render fetches path from p, calling its handler directly.
func render(tb testing.TB, p *sim.Portal, path string) testPage {
	tb.Helper()
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://sim.parc.test"+path, nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s: status %d", path, rec.Code)
	}
	return testPage{name: path, body: rec.Body.Bytes(), contentType: rec.Header().Get("Content-Type")}
}

// simPages renders the first n articles of a simulated portal in layout,
// the reference article left out.
func simPages(tb testing.TB, layout sim.Layout, n int) []testPage {
	tb.Helper()
	p := simPortal(layout, n)
	var out []testPage
	for _, a := range p.Truth() {
		if a.Key == sim.SeedKey {
			continue
		}
		out = append(out, render(tb, p, a.URL))
	}
	if len(out) == 0 {
		tb.Fatal("no simulated pages")
	}
	return out
}

// simSeedPage renders the simulated portal's reference article (a
// VIEPortal page, the portal's copy of the reference article, sim/seed.txt).
func simSeedPage(tb testing.TB) testPage {
	tb.Helper()
	p := simPortal(sim.LayoutMixed, 0)
	for _, a := range p.Truth() {
		if a.Key == sim.SeedKey {
			return render(tb, p, a.URL)
		}
	}
	tb.Fatal("no reference article")
	return testPage{}
}
