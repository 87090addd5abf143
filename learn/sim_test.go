package learn

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/sim"
)

// simPages fetches the article pages of a generated theme in-process.
func simPages(t testing.TB, seed int64, n int) ([]Page, *sim.Portal) {
	t.Helper()
	p := sim.New(sim.Options{Articles: n, Seed: seed, Layout: sim.LayoutGenerated})
	var out []Page
	for _, a := range p.Truth() {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest("GET", "http://sim.test"+a.URL, nil))
		b, err := io.ReadAll(rec.Result().Body)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Page{URL: "http://sim.test" + a.URL, Body: b, ContentType: rec.Header().Get("Content-Type"), FetchedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	return out, p
}

func TestLearnSimDebug(t *testing.T) {
	if os.Getenv("LEARN_DEBUG") == "" {
		t.Skip("LEARN_DEBUG=seed")
	}
	pages, _ := simPages(t, map[string]int64{"1": 1, "2": 2, "3": 3}[os.Getenv("LEARN_DEBUG")], 60)
	res, err := Learn(context.Background(), pages, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	res.WriteReport(&b)
	_ = res.WriteYAML(&b)
	t.Log(b.String())
	if os.Getenv("LEARN_PAGE") != "" {
		t.Log(string(pages[0].Body))
	}
}
