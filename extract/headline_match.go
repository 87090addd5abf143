package extract

import (
	"strings"
	"unicode"

	"github.com/parc-archiver/parc/extract/internal/classname"
	"github.com/parc-archiver/parc/extract/internal/titlematch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Rules that decide the title, recorded in Article.Rules["title"].
const (
	RuleTitleProfile   = "headline/profile"       // the profile's title element
	RuleTitleVisible   = "headline/visible-match" // a visible headline that <title>, og:title or JSON-LD headline repeats
	RuleTitleOG        = "headline/og-title"      // og:title, less the site's name
	RuleTitleH1        = "headline/h1"            // the container's first <h1>
	RuleTitleLD        = "headline/jsonld"        // JSON-LD headline
	RuleTitleHTMLTitle = "headline/title-element" // <title>, less the site's name: the last resort
	maxHeadlineRunes   = 400                      // longer text is not a headline
	maxHeadlineCands   = 300                      // elements looked at for a visible headline
	headlineMinShare   = 3                        // a headline is at least 1/3 of the reference's words
)

// newHeadRefs collects og:title, twitter:title, the JSON-LD headline and
// <title>: the titles a visible headline is checked against.
func newHeadRefs(m *pageMeta) titlematch.Refs {
	return titlematch.NewRefs(cleanText(m.meta["og:title"]), cleanText(m.meta["twitter:title"]), cleanText(m.ldTitle), m.title)
}

// headCand is one element that may be the visible headline.
type headCand struct {
	n     *html.Node
	text  string
	rank  int // element kind: 3 <h1>, 2 a title-like class or <h2>, 1 other headings and inline text
	match int // how a reference repeats its text (titlematch.Repeats)
	ref   *titlematch.Ref
}

// title is the candidate's title (see titlematch.Title).
func (c headCand) title() string { return titlematch.Title(c.text, c.match, c.ref) }

// visibleHeadline returns the visible headline element that a reference
// title repeats: among the elements that one repeats, the best ranked, the
// best matched, the first in document order. Page chrome (navigation,
// footers, sidebars, breadcrumbs, related lists) is not looked at.
func visibleHeadline(root *html.Node, refs titlematch.Refs) headCand {
	if len(refs) == 0 {
		return headCand{}
	}
	var best headCand
	seen := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && seen < maxHeadlineCands; c = c.NextSibling {
			if c.Type != html.ElementNode || isSkip(c.DataAtom) || isHeadlineChrome(c) {
				continue
			}
			if rank := headlineRank(c); rank > 0 && rank >= best.rank {
				seen++
				if t, ok := boundedText(c, maxHeadlineRunes); ok {
					t = withoutKicker(c, t, refs)
					if m, ref := refs.Repeats(t); m > 0 && (rank > best.rank || m > best.match) {
						best = headCand{n: c, text: t, rank: rank, match: m, ref: ref}
						continue // its children are no better
					}
				}
			}
			walk(c)
		}
	}
	walk(root)
	return best
}

// headlineRank ranks an element as a headline: 3 for <h1>, 2 for <h2> and
// elements whose class names a title, 1 for <h3> and short inline
// elements and paragraphs holding text of their own, 0 for the rest.
func headlineRank(n *html.Node) int {
	switch n.DataAtom {
	case atom.H1:
		return 3
	case atom.H2:
		return 2
	case atom.H3:
		return 1
	}
	cls := classID(n)
	if classname.IsKicker(cls) {
		return 0
	}
	if classname.IsTitle(cls) {
		return 2
	}
	switch n.DataAtom {
	case atom.Span, atom.Div, atom.Strong, atom.B, atom.P:
		if ownText(n) {
			return 1
		}
	}
	return 0
}

// withoutKicker is a headline's text t less the kicker it starts with: a
// first child element whose class names one ("overline", "kicker",
// "supertitle", "titleheader"), and the separator after it. A kicker that
// a reference title prints before a colon ("Kicker: Headline") is part
// of the title and stays.
func withoutKicker(n *html.Node, t string, refs titlematch.Refs) string {
	c := n.FirstChild
	for c != nil && (c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" || c.Type == html.CommentNode) {
		c = c.NextSibling
	}
	if c == nil || c.Type != html.ElementNode || !classname.IsKicker(classID(c)) {
		return t
	}
	return titlematch.WithoutKicker(t, nodeText(c), refs)
}

// boundedText is n's text when it has at most max runes (counted in
// bytes first, so that a long block is not copied), else false.
func boundedText(n *html.Node, max int) (string, bool) {
	raw := 0
	var count func(*html.Node) bool
	count = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				if raw += len(c.Data); raw > 4*max {
					return false
				}
			case c.Type == html.ElementNode && !isSkip(c.DataAtom):
				if !count(c) {
					return false
				}
			}
		}
		return true
	}
	if !count(n) {
		return "", false
	}
	t := nodeText(n)
	return t, t != "" && !moreRunes(t, max)
}

// ownText reports whether a text child of n holds a letter.
func ownText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.IndexFunc(c.Data, unicode.IsLetter) >= 0 {
			return true
		}
	}
	return false
}

// isHeadlineChrome reports whether n is page chrome no headline sits in,
// or a link, list item or label (a headline's text is not one of those).
// A <header> is not: article headers hold the headline.
func isHeadlineChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.A, atom.Li, atom.Button, atom.Label:
		return true
	}
	return isPageChrome(n) || isChromeByClass(n)
}

// isChromeByClass reports whether n's class or id names chrome; never
// for <body>, <main> and <article>, whose classes describe the page
// ("single-post white-menu").
func isChromeByClass(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Body, atom.Main, atom.Article, atom.Html:
		return false
	}
	return classname.IsChrome(classID(n))
}

// isPageChrome reports whether n is navigation, a footer or an aside.
func isPageChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Footer, atom.Aside, atom.Menu:
		return true
	}
	return false
}
