package discover

import (
	"fmt"
	"regexp"
	"testing"
)

const origin = "https://www.example.vn"

// site is a link set: article and listing URLs, and what the sampled
// pages say of them.
type site struct {
	articles, listings []string
}

// pages fakes the fetched pages of s: every article reads as one (and
// links to two others), every listing links to every article.
func (s site) pages() (urls []string, byPath map[string]*page) {
	byPath = map[string]*page{}
	for i, a := range s.articles {
		byPath[pathOf(a)] = &page{ok: true, articleLike: true, dated: true, links: []string{s.articles[(i+1)%len(s.articles)], s.articles[(i+2)%len(s.articles)]}}
	}
	for _, l := range s.listings {
		byPath[pathOf(l)] = &page{ok: true, links: append([]string(nil), s.articles...)}
	}
	return append(append(urls, s.listings...), s.articles...), byPath
}

// infer runs the inference over s and returns the article and listing
// regexps, compiled.
func (s site) infer(t *testing.T) (article, listing *regexp.Regexp, inf *inference) {
	t.Helper()
	urls, byPath := s.pages()
	inf = inferClusters(Clusters(urls), func(p string) *page { return byPath[p] }, "/")
	if len(inf.article) == 0 {
		t.Fatalf("no article pattern among %+v", inf.reports)
	}
	return regexp.MustCompile(Regexp(origin, inf.article)), regexp.MustCompile(Regexp(origin, inf.listing)), inf
}

func checkMatches(t *testing.T, re *regexp.Regexp, what string, match, miss []string) {
	t.Helper()
	for _, u := range match {
		if !re.MatchString(u) {
			t.Errorf("%s pattern %s does not match %s", what, re, u)
		}
	}
	for _, u := range miss {
		if re.MatchString(u) {
			t.Errorf("%s pattern %s matches %s", what, re, u)
		}
	}
}

func urls(format string, n int, args func(i int) []any) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = origin + fmt.Sprintf(format, args(i)...)
	}
	return out
}

// Articles /news/123/slug.html and listings /category/2: the id and the
// slug become classes, "news" and ".html" stay; the listing pattern
// takes the home page and every category, never an article.
func TestInferNewsIDsAndCategories(t *testing.T) {
	s := site{
		articles: urls("/news/%d/story-number-%d.html", 12, func(i int) []any { return []any{1000 + 37*i, i} }),
		listings: append([]string{origin + "/"}, urls("/category/%d", 5, func(i int) []any { return []any{i + 1} })...),
	}
	article, listing, _ := s.infer(t)
	checkMatches(t, article, "article",
		[]string{origin + "/news/99999/another-story.html", "http://example.vn/NEWS/5/x-y.html", origin + "/news/7/slug.html?ref=home"},
		[]string{origin + "/category/9", origin + "/", origin + "/news/7/slug", origin + "/news/7/8.html", "https://example.org/news/1/a.html", origin + "/news/1/a.html/extra"})
	checkMatches(t, listing, "listing",
		[]string{origin + "/", origin + "/category/42", origin + "/category/3?page=2"},
		[]string{origin + "/news/1/a.html", origin + "/category/sports", origin + "/about"})
}

// Date paths /2024/01/08/slug: year, month and day become digit runs of
// their length; a listing of another shape (/section/name) stays apart.
func TestInferDatePaths(t *testing.T) {
	s := site{
		articles: urls("/%d/%02d/%02d/%s", 10, func(i int) []any { return []any{2023 + i%2, 1 + i%12, 1 + 3*i%28, fmt.Sprintf("slug-%c", 'a'+i)} }),
		listings: append([]string{origin + "/"}, urls("/section/%s", 4, func(i int) []any { return []any{[]string{"world", "sport", "tech", "arts"}[i]} })...),
	}
	article, listing, inf := s.infer(t)
	if want := `\d{4}/\d{2}/\d{2}/` + wordClass; len(inf.article) != 1 || inf.article[0] != want {
		t.Errorf("article path patterns %q, want [%q]", inf.article, want)
	}
	checkMatches(t, article, "article",
		[]string{origin + "/2025/12/31/new-year", origin + "/2019/02/03/x"},
		[]string{origin + "/2025/12/31", origin + "/2025/1/31/x", origin + "/section/world", origin + "/2025/12/31/1234"})
	checkMatches(t, listing, "listing",
		[]string{origin + "/", origin + "/section/politics"},
		[]string{origin + "/2025/12/31/new-year"})
}

// A path shape's name, and a lone article of another template: kept as
// its own literal pattern when it reads as a dated article, not when a
// known path is below it (a section page).
func TestClustersAndLoneArticles(t *testing.T) {
	cs := Clusters([]string{origin + "/a/1.html", origin + "/b/2.html", origin + "/A/1.html", origin + "/x/", origin + "/x/y/"})
	keys := map[string]int{}
	for _, c := range cs {
		keys[c.Key] = len(c.Paths)
	}
	if keys["w/n.html"] != 2 || keys["w"] != 1 || keys["w/w"] != 1 {
		t.Errorf("clusters %v: want w/n.html twice (letter case aside), w and w/w once", keys)
	}
	s := site{
		articles: append(urls("/tin/%d/slug-%d.html", 6, func(i int) []any { return []any{i + 10, i} }), origin+"/Desktop.aspx/Tin-tuc/Old_Story/"),
		listings: []string{origin + "/", origin + "/Desktop.aspx/Tin-tuc/"},
	}
	urlsOf, byPath := s.pages()
	byPath["/Desktop.aspx/Tin-tuc/"] = &page{ok: true, articleLike: true, dated: true} // reads as an article, but it is a section
	inf := inferClusters(Clusters(urlsOf), func(p string) *page { return byPath[p] }, "/")
	article := regexp.MustCompile(Regexp(origin, inf.article))
	checkMatches(t, article, "article",
		[]string{origin + "/desktop.aspx/tin-tuc/old_story/", origin + "/tin/99/x.html"},
		[]string{origin + "/Desktop.aspx/Tin-tuc/", origin + "/Desktop.aspx/Tin-tuc/Other_Story/"})
}
