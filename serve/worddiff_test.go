package serve

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestDiffParagraphs: kept paragraphs are the same, an edited one is
// changed with only its differing words marked, and an added or removed
// one is whole; the first row that differs is marked first.
func TestDiffParagraphs(t *testing.T) {
	a := []string{"Một hai ba.", "Bốn năm sáu bảy.", "Tám chín.", "Mười."}
	b := []string{"Một hai ba.", "Bốn năm SÁU bảy.", "Tám chín.", "Mới thêm."}
	got := fmt.Sprint(diffParagraphs(a, b))
	want := "[{same [{Một hai ba. false}] [{Một hai ba. false}] false} " +
		"{changed [{Bốn năm  false} {sáu true} { bảy. false}] [{Bốn năm  false} {SÁU true} { bảy. false}] true} " +
		"{same [{Tám chín. false}] [{Tám chín. false}] false} " +
		"{changed [{Mười. true}] [{Mới thêm. true}] false}]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = fmt.Sprint(diffParagraphs([]string{"A."}, []string{"A.", "B."}))
	if want := "[{same [{A. false}] [{A. false}] false} {added [] [{B. true}] true}]"; got != want {
		t.Errorf("added: got %s, want %s", got, want)
	}
}

// TestStalePortal: a portal without a new article for a week is marked
// stale on the home page, one with an article this week is not.
func TestStalePortal(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		now   time.Time
		stale bool
	}{{time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC), true}, {time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), false}} {
		s, err := New(Options{Source: &Opener{Path: f.path}, Now: func() time.Time { return c.now }})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		_, body := get(t, "GET", srv.URL+"/")
		srv.Close()
		if got := strings.Contains(body, `<span class="stale">`); got != c.stale {
			t.Errorf("at %s: stale %v, want %v", c.now, got, c.stale)
		}
	}
}

// TestChart: one bar a month from the oldest to the newest, gaps as bars
// of height 0, the tallest bar the busiest month; past two years only
// Januaries are labelled.
func TestChart(t *testing.T) {
	bars, width := chart(map[string]int{"2024-01": 2, "2024-03": 4})
	if len(bars) != 3 || bars[0].Month != "2024-01" || bars[1].Count != 0 || bars[2].H != 120 || bars[0].H != 60 || width <= 0 {
		t.Errorf("three months: %+v, width %d", bars, width)
	}
	if bars[0].Text != "01" {
		t.Errorf("label %q, want 01", bars[0].Text)
	}
	bars, _ = chart(map[string]int{"2015-05": 1, "2020-03": 1})
	if len(bars) != 59 || bars[0].Month != "2015-05" || bars[58].Month != "2020-03" {
		t.Fatalf("five years: %d bars, %s to %s", len(bars), bars[0].Month, bars[len(bars)-1].Month)
	}
	for _, b := range bars {
		if want := map[bool]string{true: b.Month[:4], false: ""}[b.Month[5:] == "01"]; b.Text != want {
			t.Errorf("%s labelled %q, want %q", b.Month, b.Text, want)
		}
	}
	bars, _ = chart(map[string]int{"2000-01": 1, "2024-12": 1})
	if len(bars) != chartMonths || bars[len(bars)-1].Month != "2024-12" {
		t.Errorf("25 years: %d bars ending %s", len(bars), bars[len(bars)-1].Month)
	}
}
