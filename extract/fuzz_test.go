package extract

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/parc-archiver/parc/extract/template"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"seed/page.html", "vieapps/page.html", "rules/captions.html", "rules/sponsor-links.html"} {
		f.Add(readFixture(f, name), "text/html")
	}
	f.Add([]byte("<html><body><h1>a b</h1><p>x</p>"), "text/html; charset=windows-1258")
	f.Add([]byte("\xff\xfe<\x00h\x001\x00>"), "")
	profiles := []Profile{seedProfile, vieappsProfile, {}}
	xs := make([]*Extractor, 0, len(profiles))
	for _, p := range profiles {
		x, err := New(Options{Profile: p})
		if err != nil {
			f.Fatal(err)
		}
		xs = append(xs, x)
	}
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		for _, x := range xs {
			a, err := x.Extract(bytes.NewReader(page), Input{URL: seedURL, ContentType: contentType, FetchedAt: fetchedAt})
			if err != nil {
				if a != nil || (!errors.Is(err, ErrNoArticle) && len(page) == 0) {
					t.Fatalf("article with error %v", err)
				}
				continue
			}
			if a.Title == "" || a.Body == "" {
				t.Fatalf("nil error with empty title or body: %+v", a)
			}
		}
	})
}

// FuzzExtractWithTemplate learns a template model from a fuzzed page
// and a few variants of it (a page's own template, as a portal's pages
// share one), then extracts the page with it: no panic, and the same
// contract as without a model.
func FuzzExtractWithTemplate(f *testing.F) {
	for _, name := range []string{"seed/page.html", "vieapps/page.html", "rules/sponsor-links.html"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("<html><head><title>a - b</title><meta name=author content=x></head><body><div><p>same same same same same same</p></div><h1>a b</h1><p>x</p>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		l := template.NewLearner()
		for i := range template.MinPages {
			v := append(append([]byte(nil), page...), fmt.Sprintf("<p>page %d of the portal, its own text</p>", i)...)
			doc, _, err := htmldoc.Parse(v, "text/html")
			if err != nil {
				return
			}
			l.Add(doc.Nodes[0], seedURL.Hostname())
		}
		m, ok := l.Model(1, fetchedAt)
		if !ok {
			t.Fatal("no model from MinPages pages")
		}
		x, err := New(Options{Template: m, Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		a, err := x.Extract(bytes.NewReader(page), Input{URL: seedURL, FetchedAt: fetchedAt})
		if err != nil {
			if a != nil {
				t.Fatalf("article with error %v", err)
			}
			return
		}
		if a.Title == "" || a.Body == "" {
			t.Fatalf("nil error with empty title or body: %+v", a)
		}
	})
}
