package sim

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/sim/internal/theme"
)

func generated(seed int64, articles int) *Portal {
	return New(Options{Articles: articles, Seed: seed, Layout: LayoutGenerated})
}

// Every page of a generated site parses and carries its truth: the
// headline, each body paragraph, the byline and lead as printed, the date
// in the theme's format (and its instant in <time datetime> when the
// theme has one).
func TestGeneratedPageContainsTruth(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 4, 5, 6, 7, 8} {
		p := generated(seed, 40)
		for _, a := range p.Truth() {
			if a.Layout != LayoutGenerated {
				t.Fatalf("seed %d %s: layout %v", seed, a.Key, a.Layout)
			}
			if a.Published.Location() != vnZone || a.Published.Second() != 0 {
				t.Errorf("seed %d %s: published %v", seed, a.Key, a.Published)
			}
			for _, path := range a.Paths { // canonical, cross-post, print view
				checkGeneratedPage(t, p, seed, path, &a)
			}
		}
	}
}

func checkGeneratedPage(t *testing.T, p *Portal, seed int64, path string, a *Article) {
	t.Helper()
	th := &p.theme
	w := get(t, p, path)
	if w.Code != http.StatusOK {
		t.Fatalf("seed %d %s: status %d", seed, path, w.Code)
	}
	doc := parse(t, w.Body.Bytes())
	text := collapse(doc.Find("body").Text())
	want := []string{a.Title, a.Byline, a.Lead, string(th.AppendDate(nil, a.Published))}
	want = append(want, strings.Split(a.Body, "\n\n")...)
	for _, s := range want {
		if !strings.Contains(text, collapse(s)) {
			t.Fatalf("seed %d %s: page text lacks %.80q", seed, path, s)
		}
	}
	if !strings.Contains(doc.Find("title").Text(), a.Title) {
		t.Errorf("seed %d %s: <title> %q", seed, path, doc.Find("title").Text())
	}
	if th.Is(theme.TimeElement, "present") {
		dt, _ := doc.Find("time[datetime]").First().Attr("datetime")
		if got, err := time.Parse(time.RFC3339, dt); err != nil || !got.Equal(a.Published) {
			t.Errorf("seed %d %s: <time datetime=%q>, want %v", seed, path, dt, a.Published)
		}
	}
}

// The rendered page shows what the theme says on the axes a reader can
// check from outside: the box, its wrappers, metadata, <title>, blocks.
func TestGeneratedPageFollowsTheme(t *testing.T) {
	for seed := int64(1); seed <= 50; seed++ {
		p := generated(seed, 30)
		a := p.Truth()[len(p.Truth())-1]
		doc := parse(t, get(t, p, a.URL).Body.Bytes())
		html, _ := doc.Html()
		th := &p.theme
		box := doc.Find(th.V(theme.BoxTag)).FilterFunction(func(_ int, s *goquery.Selection) bool {
			c, _ := s.Attr("class")
			return c == th.Names.Box
		})
		if box.Length() != 1 {
			t.Errorf("seed %d: no <%s class=%q> box", seed, th.V(theme.BoxTag), th.Names.Box)
		}
		if got := box.ParentsUntil("main").Length(); got != len(th.Wraps) {
			t.Errorf("seed %d: %d wrappers around the box, theme has %d", seed, got, len(th.Wraps))
		}
		checks := map[string][2]bool{
			"og:title":        {doc.Find(`meta[property="og:title"]`).Length() > 0, th.Is(theme.OpenGraph, "present")},
			"json-ld":         {doc.Find(`script[type="application/ld+json"]`).Length() > 0, !th.Is(theme.JSONLD, "absent")},
			"published_time":  {doc.Find(`meta[property="article:published_time"]`).Length() > 0, !th.Is(theme.MetaPublished, "absent")},
			"meta author":     {doc.Find(`meta[name="author"]`).Length() > 0, !th.Is(theme.MetaAuthor, "absent")},
			"sponsor":         {strings.Contains(html, th.V(theme.SponsorHead)), !th.Is(theme.Sponsor, "none")},
			"tags":            {a.Tags != nil, !th.Is(theme.Tags, "none")},
			"lead":            {a.Lead != "", !th.Is(theme.Standfirst, "none")},
			"byline":          {a.Byline != "", !th.Is(theme.Byline, "absent")},
			"title site name": {doc.Find("title").Text() != a.Title, !th.Is(theme.TitleSite, "none")},
		}
		for name, c := range checks {
			if c[0] != c[1] {
				t.Errorf("seed %d: %s on the page %v, in the theme %v", seed, name, c[0], c[1])
			}
		}
	}
}

// Same seed, same bytes: home, listings and every article; another seed,
// another site.
func TestGeneratedDeterministic(t *testing.T) {
	a, b, other := generated(9, 60), generated(9, 60), generated(10, 60)
	paths := []string{"/"}
	for _, x := range a.Truth() {
		paths = append(paths, x.Paths...)
	}
	for c := range categories {
		paths = append(paths, listingPath(a.entries[0].shape, uint8(c), 1))
	}
	for _, path := range paths {
		wa, wb := get(t, a, path), get(t, b, path)
		if wa.Code != wb.Code || !bytes.Equal(wa.Body.Bytes(), wb.Body.Bytes()) {
			t.Fatalf("%s: two portals of seed 9 differ", path)
		}
	}
	if bytes.Equal(get(t, a, "/").Body.Bytes(), get(t, other, "/").Body.Bytes()) {
		t.Error("seeds 9 and 10 render the same home page")
	}
}

// skeleton is a page's markup without text or URLs: the elements in
// document order with their class attributes.
func skeleton(t *testing.T, b []byte) string {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(b))
	var s strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return s.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, attr := z.TagName()
			s.Write(name)
			for attr {
				var k, v []byte
				k, v, attr = z.TagAttr()
				if string(k) == "class" || string(k) == "style" {
					s.WriteString("." + string(v))
				}
			}
			s.WriteByte(' ')
		}
	}
}

// Over 50 seeds no two sites share an article template, and the rendered
// headline takes most of its tags.
func TestGeneratedVarietyOver50Seeds(t *testing.T) {
	skeletons := map[string]int64{}
	tags := map[string]int{}
	bylines := map[string]int{}
	for seed := int64(1); seed <= 50; seed++ {
		p := generated(seed, 12)
		a := p.Truth()[len(p.Truth())-1] // a generated article (not the seed's)
		body := get(t, p, a.URL).Body.Bytes()
		sk := skeleton(t, body)
		if other, dup := skeletons[sk]; dup {
			t.Errorf("seeds %d and %d render the same template", other, seed)
		}
		skeletons[sk] = seed
		doc := parse(t, body)
		found := ""
		doc.Find("body *").EachWithBreak(func(_ int, s *goquery.Selection) bool {
			if goquery.NodeName(s) != "a" && collapse(s.Text()) == a.Title {
				found = goquery.NodeName(s)
				return false
			}
			return true
		})
		if want := p.theme.V(theme.HeadlineTag); found != want {
			t.Errorf("seed %d: headline in <%s>, theme says %s", seed, found, want)
		}
		tags[found]++
		bylines[p.theme.V(theme.Byline)]++
		if p.theme.Is(theme.Byline, "top_label") && !isCredit(a.Byline) && !strings.Contains(collapse(doc.Text()), "Tác giả: "+a.Byline) {
			t.Errorf("seed %d: no \"Tác giả:\" byline", seed)
		}
	}
	if len(tags) < 6 || len(bylines) < 5 {
		t.Errorf("headline tags %v, byline positions %v: want 6 and 5 kinds over 50 seeds", tags, bylines)
	}
}

// Config for a generated site has no selectors: it is for generic
// extraction.
func TestGeneratedConfigHasNoSelectors(t *testing.T) {
	cfg := generated(3, 5).Config("http://127.0.0.1:1")
	if strings.Contains(cfg, "selectors:") || !strings.Contains(cfg, "generic extraction") {
		t.Errorf("config:\n%s", cfg)
	}
}
