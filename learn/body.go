package learn

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
)

// minOverlap is the share of the hint body's words an element must hold
// to be the body element (generic extraction's body may carry a headline,
// a date line or captions besides the article's text).
const minOverlap = 0.6

// bodyTags are the elements that may hold an article's body.
func bodyTag(tag string) bool {
	switch tag {
	case "div", "article", "section", "main", "td", "span":
		return true
	}
	return false
}

// learnBody learns the body selector group, then the remove selectors of
// the blocks inside it that are not the article's text.
func (l *learner) learnBody(res *Result) {
	hints := make([]string, len(l.samples))
	boxes := make([]*html.Node, len(l.samples))
	var todo []int
	for i, s := range l.samples {
		if s.hint.Body == "" {
			continue
		}
		if boxes[i] = bodyElement(s.doc, s.hint.Body); boxes[i] != nil {
			hints[i] = s.hint.Body
		}
		todo = append(todo, i)
	}
	cands := l.bodyCandidates(boxes, todo)
	set := func(p *extract.Profile, sel string) { p.Body = sel }
	check := func(_ *sample, a *extract.Article, hint string) (bool, bool) {
		used := a.Extraction == extract.MethodProfile
		return used && overlap(words(hint), a.Body) >= minOverlap, used
	}
	chosen, covered := l.cover(cands, hints, todo, target{set: set, check: check})
	l.record(res, "body", chosen, covered, todo)
	res.Selectors.Body = strings.Join(chosen, ", ")
	if len(chosen) > 0 {
		l.learnRemove(res, chosen, covered)
	}
}

// bodyElement is the element with the least text that holds at least
// minOverlap of the hint's words; nil when none does.
func bodyElement(doc *goquery.Document, hint string) *html.Node {
	want := words(hint)
	var best *html.Node
	bestLen := -1
	doc.Find("body *").Each(func(_ int, e *goquery.Selection) {
		if !bodyTag(goquery.NodeName(e)) {
			return
		}
		text := e.Text()
		if bestLen >= 0 && len(text) >= bestLen {
			return
		}
		if overlap(want, text) >= minOverlap {
			best, bestLen = e.Get(0), len(text)
		}
	})
	return best
}

// bodyCandidates derives selectors from each page's body element and
// counts the pages whose first match is that element.
func (l *learner) bodyCandidates(boxes []*html.Node, todo []int) []candidate {
	seen := map[string]bool{}
	var sels []string
	for _, i := range todo {
		if boxes[i] == nil {
			continue
		}
		for _, sel := range selectorsFor(l.samples[i].doc.FindNodes(boxes[i])) {
			if !seen[sel] {
				seen[sel] = true
				sels = append(sels, sel)
			}
		}
	}
	var out []candidate
	for _, sel := range sels {
		c := candidate{sel: sel}
		for _, i := range todo {
			if boxes[i] != nil && l.samples[i].doc.Find(sel).First().Get(0) == boxes[i] {
				c.pages = append(c.pages, i)
			}
		}
		if len(c.pages) >= l.opts.MinPages {
			out = append(out, c)
		}
	}
	sortCandidates(out)
	return out
}

// words is the multiset of s's words.
func words(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(s) {
		m[w]++
	}
	return m
}

// overlap is the share of want's words that text holds.
func overlap(want map[string]int, text string) float64 {
	total := 0
	for _, n := range want {
		total += n
	}
	if total == 0 {
		return 0
	}
	have := words(text)
	hit := 0
	for w, n := range want {
		hit += min(n, have[w])
	}
	return float64(hit) / float64(total)
}
