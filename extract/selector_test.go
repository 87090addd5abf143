package extract

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// TestSelectorPrefilter checks that the tag pre-filter never changes what a
// selector matches: every node of the test pages against every selector
// parc and its tests use.
func TestSelectorPrefilter(t *testing.T) {
	sels := []string{
		sim.SelTitle, sim.SelPublished, sim.SelBody, sim.SelByline, sim.SelCategory,
		"div p", "p[style] > b", "li a", "svg", "foreignobject", "table.image td", "h1, h2, h3",
		".cms.view", "div.content > .cms, span.summary", "p.x.y", ".Title", "div.meta section > span.time, a.c",
		"[class]", "#main", `[id="main"], p[class|="x"]`, `a[href^="http"], a[href$=".vn"]`, `[itemprop="datePublished"]`,
	}
	sels = append(sels, sim.RemoveSelectors()...)
	for _, p := range []Profile{seedProfile, vieappsProfile} {
		sels = append(sels, p.Title, p.Published, p.Body, p.Byline, p.Lead, p.Tags)
		sels = append(sels, p.Remove...)
	}
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	builtin := []*selector{x.articleSel, x.authorSel, x.leadSel, x.leadPageSel, x.tagsSel, x.timeSel}
	var compiled []*selector
	filtered := 0
	for _, s := range sels {
		if strings.TrimSpace(s) == "" {
			continue
		}
		c, err := compileSelector(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if c.subjects != nil {
			filtered++
		}
		compiled = append(compiled, c)
	}
	compiled = append(compiled, builtin...)
	if filtered < len(sels)/2 {
		t.Errorf("only %d of %d selectors pre-filtered", filtered, len(sels))
	}
	pages := [][]byte{readFixture(t, "seed/page.html"), readFixture(t, "vieapps/page.html"),
		[]byte(`<svg><foreignObject><p>x</p></foreignObject></svg>`),
		[]byte(`<div class="cmsx view" class="cms"><p class="x" class="y">a</p><span class="summary-x">b</span><span class="a summary">c</span><a class=C>d</a><a class="c" href="http://x.vn">e</a><p id=main itemprop=datePublished></p><p ID="main" class="x-y"></p></div>`)}
	for _, layout := range []sim.Layout{sim.LayoutVIEPortal, sim.LayoutVIEApps} {
		for _, pg := range simPages(t, layout, 4) {
			pages = append(pages, pg.body)
		}
	}
	list := newSelectorList(compiled)
	nodes, matched := 0, 0
	for _, page := range pages {
		doc, _, err := htmldoc.Parse(page, "text/html; charset=utf-8")
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			nodes++
			for _, s := range compiled {
				want := s.group.Match(n)
				if got := s.Match(n); got != want {
					t.Fatalf("%v on <%s>: Match = %v, cascadia %v", s.group, n.Data, got, want)
				}
				if want {
					matched++
				}
			}
			cands := list.candidates(n)
			if !slices.IsSorted(cands) {
				t.Fatalf("candidates of <%s> not sorted: %v", n.Data, cands)
			}
			for i, s := range compiled {
				if s.Match(n) && !slices.Contains(cands, i) {
					t.Fatalf("%v matches <%s> but is not a candidate", s.group, n.Data)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc.Nodes[0])
	}
	if matched == 0 {
		t.Fatal("no selector matched")
	}
	t.Logf("%d nodes × %d selectors, %d matches", nodes, len(compiled), matched)
}
