package learn

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/extract"
)

// A remove selector that takes out the element another learned selector
// reads (the byline element inside the body element) is dropped: with
// both, extraction removes the byline before reading it. Others stay.
func TestRemoveSparesTheFields(t *testing.T) {
	generic, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := &learner{ctx: context.Background(), cache: map[string]*extract.Extractor{}}
	for k := range 4 {
		a := makeArticle(k)
		html := fmt.Sprintf(`<html><head><title>%s</title></head><body><h1>%s</h1><div class="body"><p>%s</p><p>%s</p>`+
			`<div class="ad">Quảng cáo</div><p class="by">%s</p></div></body></html>`, a.title, a.title, a.paras[0], a.paras[1], a.byline)
		s, err := newSample(Page{URL: fmt.Sprintf("http://portal.test/%d.html", k), Body: []byte(html),
			ContentType: "text/html; charset=utf-8", FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, generic)
		if err != nil {
			t.Fatal(err)
		}
		l.samples = append(l.samples, s)
	}
	sel := Selectors{Title: "h1", Body: "div.body", Byline: "p.by", Remove: []string{"div.body > p.by", "div.ad", "div.body"}}
	if got := strings.Join(l.sparingFields(sel), " | "); got != "div.ad" {
		t.Errorf("remove selectors kept: %q, want only div.ad (div.body > p.by is the byline, div.body holds it)", got)
	}
}
