package extract

import (
	"bytes"
	"errors"
	"testing"
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
