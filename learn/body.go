package learn

import (
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
)

// A body selector explains a page when the body it yields is, word for
// word, mostly in generic extraction's body (which may carry a headline,
// a date line or captions besides the article's text: minPrecision) and
// holds a fair part of it (minRecall).
const (
	minPrecision = 0.6
	minRecall    = 0.5
)

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
		return used && hint != "" && overlap(words(a.Body), hint) >= minPrecision && overlap(words(hint), a.Body) >= minRecall, used
	}
	chosen, covered := l.cover(cands, hints, todo, target{field: "body", set: set, check: check})
	l.record(res, "body", chosen, covered, todo)
	res.Selectors.Body = strings.Join(chosen, ", ")
	if len(chosen) > 0 {
		l.learnRemove(res, chosen, covered, target{field: "body", set: set, check: check}, hints)
	}
}

// bodyElement is the element whose own blocks (children with no block
// inside) carry the most of the hint's text: the parent of the article's
// paragraphs, as readability scores it. nil when no block is in the hint.
func bodyElement(doc *goquery.Document, hint string) *html.Node {
	text := norm(hint)
	credit := map[*html.Node]int{}
	var best *html.Node
	doc.Find("body p, body div, body blockquote, body li").Each(func(_ int, e *goquery.Selection) {
		if e.Find("p, div, blockquote, li, ul, ol, table").Length() > 0 {
			return
		}
		t := norm(e.Text())
		if utf8.RuneCountInString(t) < minBlock || !strings.Contains(text, t) {
			return
		}
		parent := e.Get(0).Parent
		if parent == nil {
			return
		}
		credit[parent] += len(t)
		if best == nil || credit[parent] > credit[best] {
			best = parent
		}
	})
	return best
}

// minBlock is the shortest block (in runes) that counts as article text.
const minBlock = 20

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
			if boxes[i] != nil && firstNode(l.samples[i].doc.Find(sel)) == boxes[i] {
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

// firstNode is sel's first node; nil when sel is empty (or the selector
// does not compile: goquery then matches nothing).
func firstNode(sel *goquery.Selection) *html.Node {
	if sel.Length() == 0 {
		return nil
	}
	return sel.Get(0)
}
