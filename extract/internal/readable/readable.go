// Package readable decides what go-readability would, without running
// it, on the pages where that is cheap to tell: the element that holds an
// article's paragraphs when one clearly does (DenseBody), whether the
// page prints a standfirst before it (ProseBefore), the blocks
// go-readability drops before scoring (UnlikelyElement, FormWidget) and
// its byline rule (MetaAuthor, ElementByline). go-readability is two fifths of
// generic extraction's time; these walks are a few per cent.
package readable

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/byname"
	"github.com/parc-archiver/parc/extract/internal/classname"
	"github.com/parc-archiver/parc/extract/internal/cleantext"
	"github.com/parc-archiver/parc/extract/internal/nodes"
)

// The thresholds of DenseBody, set on extraction-dev and checked on the
// real-page sets' held-out halves, the generated themes and the
// simulator (docs/EXTRACTION.md, "Generic body").
const (
	denseMinRunes = 500  // the element's own paragraphs print at least this much
	denseShare    = 0.6  // and at least this share of the page's paragraph text
	denseOutside  = 0.05 // its parent's other paragraphs at most this share of its own
	denseBefore   = 60   // runes of a block between headline and body, at most: a meta line
)

// DenseBody is the element whose own <p> children hold most of the
// page's paragraph text (paragraphs of 20 runes or more outside links,
// nav, aside, footer and forms) when one clearly does, with no
// paragraphs of note beside it under its parent (a standfirst or the
// article's first paragraph in a box of its own, which only
// go-readability's sibling rule brings back); nil otherwise.
func DenseBody(root *html.Node) *html.Node {
	own := map[*html.Node]int{}     // text of an element's own paragraphs
	var order []*html.Node          // the elements of own in document order
	subtree := map[*html.Node]int{} // text of all paragraphs below it
	var walk func(n *html.Node) int
	walk = func(n *html.Node) int {
		sum := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || nodes.IsSkip(c.DataAtom) {
				continue
			}
			switch c.DataAtom {
			case atom.Nav, atom.Aside, atom.Footer, atom.Form:
				continue
			case atom.P:
				t, l, _ := nodes.TextLen(c, false)
				if t-l >= 20 {
					if own[n] == 0 {
						order = append(order, n)
					}
					sum += t - l
					own[n] += t - l
				}
				continue
			}
			sum += walk(c)
		}
		if sum > 0 {
			subtree[n] = sum
		}
		return sum
	}
	total := walk(root)
	var best *html.Node
	for _, n := range order {
		if best == nil || own[n] > own[best] {
			best = n
		}
	}
	switch {
	case best == nil || own[best] < denseMinRunes || float64(own[best]) < denseShare*float64(total):
		return nil
	case best.Parent != nil && float64(subtree[best.Parent]-subtree[best]) > denseOutside*float64(subtree[best]):
		return nil
	}
	return best
}

// ProseBefore reports whether a block printed after the headline and
// before body, in document order, holds more than denseBefore runes
// outside links: a standfirst or key points, which go-readability's
// sibling rule may bring back, so the dense path gives way. The meta
// line is shorter; pictures, their captions, menus and asides are not
// counted. It is false when the headline is unknown, inside body or
// after it.
func ProseBefore(body, title *html.Node) bool {
	if title == nil || nodes.IsAncestor(body, title) || nodes.IsAncestor(title, body) || !precedes(title, body) {
		return false
	}
	for n := nextAfter(title); n != nil && n != body; {
		if nodes.IsAncestor(n, body) {
			n = n.FirstChild
			continue
		}
		if !isMedia(n) {
			if t, l, _ := nodes.TextLen(n, false); t-l > denseBefore {
				return true
			}
		}
		n = nextAfter(n)
	}
	return false
}

// precedes reports whether a comes before b in document order, neither
// holding the other.
func precedes(a, b *html.Node) bool {
	ca := nodes.CommonAncestor(a, b)
	if ca == nil {
		return false
	}
	childOf := func(n *html.Node) *html.Node {
		for n.Parent != ca {
			n = n.Parent
		}
		return n
	}
	ac, bc := childOf(a), childOf(b)
	for c := ac.NextSibling; c != nil; c = c.NextSibling {
		if c == bc {
			return true
		}
	}
	return false
}

// mediaBlock names the boxes of pictures and their captions.
var mediaBlock = regexp.MustCompile(`(?i)image|photo|picture|caption|cover|featured|gallery|media|video|share`)

// isMedia reports whether n is a picture, its caption or a box of them,
// a menu, an aside or a form.
func isMedia(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Figure, atom.Figcaption, atom.Picture, atom.Nav, atom.Aside, atom.Form:
		return true
	}
	return mediaBlock.MatchString(nodes.ClassID(n))
}

// nextAfter is the node that follows n's subtree in document order.
func nextAfter(n *html.Node) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}

// Readability's byline rule (Mozilla's Readability.js, as go-readability
// ports it), for the pages whose body parc finds without running
// go-readability (DenseBody): the metadata's author (MetaAuthor), else
// the text of the first visible element, in document order outside
// unlikely blocks, that rel, itemprop or its class and id call an author
// and that prints fewer than 100 characters, its itemprop="name"
// descendant when it has one (ElementByline). The class and id words
// are lower case: go-readability's case-blind regular expressions as
// substring lists, which cost a tenth.
var (
	bylineWords   = []string{"byline", "author", "dateline", "writtenby"}
	unlikelyWords = []string{"-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote"}
	maybeWords    = []string{"and", "article", "body", "column", "content", "main", "mathjax", "shadow"}
	styleHidden   = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)
)

// MetaAuthor is the author go-readability reads from the meta tags
// (dc:creator, dcterm:creator, author, parsely-author, then an
// article:author that is not a URL): of several meta[name=author], the
// last (extract then sees it is one of a list and gives them all), and
// never a template's placeholder ("null"). It leaves JSON-LD to extract's
// metadata byline rules, which know an Organization author from a
// person.
func MetaAuthor(meta map[string]string, lastAuthor string) string {
	for _, k := range []string{"dc:creator", "dcterm:creator", "author", "parsely-author"} {
		v := meta[k]
		if k == "author" && lastAuthor != "" {
			v = lastAuthor
		}
		if v != "" && !byname.IsPlaceholder(v) {
			return v
		}
	}
	if v := meta["article:author"]; v != "" && !byname.IsPlaceholder(v) && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		return v
	}
	return ""
}

// ElementByline is the text of the first author element readability
// would take, or "".
func ElementByline(root *html.Node) string {
	var found string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || nodes.IsSkip(c.DataAtom) || !probablyVisible(c) {
				continue
			}
			match := nodes.ClassID(c) // lower case
			if isBylineElement(c, match) {
				if t := itempropName(c); t != "" {
					found = t
					return true
				}
				if t := strings.TrimSpace(string(nodes.AppendText(nil, c))); t != "" && utf8.RuneCountInString(t) < 100 {
					found = cleantext.Clean(t)
					return true
				}
			}
			if UnlikelyElement(c, match) {
				continue
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	return found
}

func isBylineElement(n *html.Node, match string) bool {
	return classname.ContainsAny(match, bylineWords...) || nodes.Attr(n, "rel") == "author" || strings.Contains(nodes.Attr(n, "itemprop"), "author")
}

// UnlikelyElement is readability's test for a block it drops before
// scoring (comments, menus, sidebars), whose contents it never reads.
func UnlikelyElement(n *html.Node, match string) bool {
	if n.DataAtom == atom.Body || n.DataAtom == atom.A || !classname.ContainsAny(match, unlikelyWords...) || classname.ContainsAny(match, maybeWords...) {
		return false
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Table || p.DataAtom == atom.Code {
			return false
		}
	}
	return true
}

// FormWidget reports whether n is a widget rather than text: a block
// holding a form control (input, select, textarea, button) and no
// paragraph, with under 200 runes of text (an embed's consent toggle, a
// newsletter box), which go-readability's conditional cleaning drops for
// its inputs.
func FormWidget(n *html.Node) bool {
	if n.Type != html.ElementNode || !nodes.IsBlock(n.DataAtom) {
		return false
	}
	control, text := false, 0
	// walk stops at the first paragraph or at 200 runes of text: a
	// rule calls FormWidget on every block of a body, top down, and the
	// large ones are no widget.
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				if text += cleantext.CountVisible(c.Data); text >= 200 {
					return false
				}
			case c.Type != html.ElementNode:
			case c.DataAtom == atom.P:
				return false
			case c.DataAtom == atom.Input || c.DataAtom == atom.Select || c.DataAtom == atom.Textarea || c.DataAtom == atom.Button:
				control = true
			case nodes.IsSkip(c.DataAtom):
			default:
				if !walk(c) {
					return false
				}
			}
		}
		return true
	}
	return walk(n) && control
}

func probablyVisible(n *html.Node) bool {
	if s := nodes.Attr(n, "style"); s != "" && styleHidden.MatchString(s) {
		return false
	}
	if nodes.HasAttr(n, "hidden") {
		return false
	}
	if nodes.Attr(n, "aria-hidden") == "true" && !strings.Contains(nodes.Attr(n, "class"), "fallback-image") {
		return false
	}
	return !(nodes.Attr(n, "aria-modal") == "true" && nodes.Attr(n, "role") == "dialog")
}

// itempropName is the text of n's first descendant whose itemprop
// contains "name", or "".
func itempropName(n *html.Node) string {
	e := nodes.FindElement(n, func(d *html.Node) bool { return d != n && strings.Contains(nodes.Attr(d, "itemprop"), "name") })
	if e == nil {
		return ""
	}
	return nodes.Text(e)
}
