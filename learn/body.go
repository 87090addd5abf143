package learn

import (
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
)

// A body selector explains a page when the body it yields holds a fair
// part of generic extraction's body, word for word (minRecall), and is
// mostly in it (minPrecision: generic's body may carry a headline, a
// date line or captions besides the article's text) or holds nearly all
// of it (fullRecall: generic extraction may also have missed paragraphs
// that the element has).
const (
	minPrecision = 0.6
	minRecall    = 0.5
	fullRecall   = 0.95
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
		// A hint whose text is mostly not in one element's blocks is
		// generic extraction's mistake: the page is not judged by it.
		if box, credit := bodyElement(s.doc, s.hint.Body); box != nil && 2*credit >= len(norm(s.hint.Body)) {
			boxes[i], hints[i] = box, s.hint.Body
		}
		todo = append(todo, i)
	}
	cands := l.bodyCandidates(boxes, todo)
	set := func(p *extract.Profile, sel string) { p.Body = sel }
	check := func(_ *sample, a *extract.Article, hint string) (bool, bool) {
		if hint == "" {
			return false, false // no reliable hint: neither explained nor harmed
		}
		used := a.Extraction == extract.MethodProfile
		recall := overlap(words(hint), a.Body)
		return used && recall >= minRecall && (recall >= fullRecall || overlap(words(a.Body), hint) >= minPrecision), used
	}
	chosen, covered := l.cover(cands, hints, todo, target{field: "body", set: set, check: check})
	l.record(res, "body", chosen, covered, todo)
	res.Selectors.Body = strings.Join(chosen, ", ")
	if len(chosen) > 0 {
		l.learnRemove(res, chosen, covered, target{field: "body", set: set, check: check}, hints)
	}
}

// bodyElement is the element whose own blocks (children with no block
// inside) carry the most of the hint's text, and that text's length in
// bytes: the parent of the article's paragraphs, as readability scores
// it. nil when no block is in the hint.
func bodyElement(doc *goquery.Document, hint string) (*html.Node, int) {
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
	return best, credit[best]
}

// minBlock is the shortest block (in runes) that counts as article text.
const minBlock = 20

// bodyCandidates derives selectors from each page's body element and
// counts the pages whose first match is that element.
func (l *learner) bodyCandidates(boxes []*html.Node, todo []int) []candidate {
	var sels selectorList
	for _, i := range todo {
		if boxes[i] != nil {
			sels.add(selectorsFor(l.samples[i].doc.FindNodes(boxes[i])))
		}
	}
	return l.countCandidates(sels.list, todo, func(i int, sel string) bool {
		return boxes[i] != nil && firstNode(l.samples[i].doc.Find(sel)) == boxes[i]
	})
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
