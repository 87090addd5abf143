package extract

import (
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract/internal/nodes"
	"github.com/parc-archiver/parc/extract/internal/selsubject"
)

// selector is a compiled CSS selector group (cascadia): Match, MatchFirst
// and MatchAll in document order.
type selector struct {
	group cascadia.SelectorGroup
	// elements is set when the selector can only match elements: it has
	// none of the pseudo-classes that match text nodes too (":contains",
	// ":matches", ":lang") and no escape that could spell one. The walks
	// then test elements only.
	elements bool
	// local is set when, moreover, it has no pseudo-class (":") and no
	// sibling combinator ("+", "~"): whether it matches an element then
	// depends only on the names and attributes of the element and its
	// ancestors, so detaching other subtrees never changes what it
	// matches.
	//
	// Both tests are on the source text and conservative: a word like
	// "lang" or a ":" inside an attribute value only costs the fast path.
	local bool
	// subjects, when not nil, is a necessary condition for a match: one
	// entry per selector of the group, with the element name and classes
	// its subject compound requires ("div.x > p.y" can match only a <p>
	// whose class attribute holds "y"). Match tests it before asking
	// cascadia; see selsubject.Of.
	subjects []selsubject.Subject
}

// compileSelector compiles a selector group; the error is cascadia's.
func compileSelector(s string) (*selector, error) {
	g, err := cascadia.ParseGroup(s)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(s)
	elements := !strings.Contains(s, `\`) &&
		!strings.Contains(lower, "contains") && !strings.Contains(lower, "matches") && !strings.Contains(lower, "lang")
	return &selector{group: g, elements: elements, local: elements && !strings.ContainsAny(s, ":+~"), subjects: selsubject.Of(s)}, nil
}

// mustSelector compiles one of parc's built-in selectors.
func mustSelector(s string) *selector {
	sel, err := compileSelector(s)
	if err != nil {
		panic("extract: built-in selector " + s + ": " + err.Error())
	}
	return sel
}

// Match reports whether s matches n.
func (s *selector) Match(n *html.Node) bool {
	if s.subjects != nil && !s.mayMatch(n) {
		return false
	}
	return s.group.Match(n)
}

// mayMatch reports whether n is an element that one of s.subjects allows.
// cascadia's type selector matches an element whose Data equals its
// lower-cased name; its class selector an element with a class attribute
// holding the name as a word (holding it at all is checked here); its id
// and attribute selectors (but "!=") an element with the attribute.
func (s *selector) mayMatch(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for i := range s.subjects {
		sub := &s.subjects[i]
		if sub.Tag != "" && sub.Tag != n.Data {
			continue
		}
		if allClasses(n, sub.Classes) && allAttrs(n, sub.Attrs) {
			return true
		}
	}
	return false
}

// allClasses reports whether classHolds(n, c) for every c of cs.
func allClasses(n *html.Node, cs []string) bool {
	for _, c := range cs {
		if !classHolds(n, c) {
			return false
		}
	}
	return true
}

// allAttrs reports whether n has every attribute of keys.
func allAttrs(n *html.Node, keys []string) bool {
	for _, k := range keys {
		if !hasAttr(n, k) {
			return false
		}
	}
	return true
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool { return nodes.HasAttr(n, key) }

// classHolds reports whether a class attribute of n contains c.
func classHolds(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(a.Val, c) {
			return true
		}
	}
	return false
}

// MatchFirst returns the first node that s matches, n and its descendants
// in document order (as cascadia's Selector.MatchFirst).
func (s *selector) MatchFirst(n *html.Node) *html.Node {
	if s.Match(n) {
		return n
	}
	return s.first(n)
}

// first returns the first node below n that s matches.
func (s *selector) first(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if (c.Type == html.ElementNode || !s.elements) && s.Match(c) {
			return c
		}
		if c.FirstChild != nil {
			if m := s.first(c); m != nil {
				return m
			}
		}
	}
	return nil
}

// MatchAll returns the nodes that s matches, n and its descendants in
// document order (as cascadia's Selector.MatchAll).
func (s *selector) MatchAll(n *html.Node) []*html.Node {
	var out []*html.Node
	if s.Match(n) {
		out = append(out, n)
	}
	return s.all(n, out)
}

// all appends the nodes below n that s matches to out.
func (s *selector) all(n *html.Node, out []*html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if (c.Type == html.ElementNode || !s.elements) && s.Match(c) {
			out = append(out, c)
		}
		if c.FirstChild != nil {
			out = s.all(c, out)
		}
	}
	return out
}

// removeMatch is one element the profile's remove selectors delete: the
// index of the first selector that matches it, and the element.
type removeMatch struct {
	sel int
	n   *html.Node
}

// selectorList is a list of selectors indexed by the element names their
// subjects require: the selectors that may match an element are found
// without asking each one.
type selectorList struct {
	sels  []*selector
	named []namedSelectors // the names some subject requires
	other []int            // indices of the selectors that may match other names
}

// namedSelectors lists, in ascending order, the indices of the selectors
// that may match an element named tag.
type namedSelectors struct {
	tag string
	idx []int
}

func newSelectorList(sels []*selector) *selectorList {
	l := &selectorList{sels: sels}
	for _, s := range sels {
		for _, sub := range s.subjects {
			if sub.Tag != "" && !slices.ContainsFunc(l.named, func(ns namedSelectors) bool { return ns.tag == sub.Tag }) {
				l.named = append(l.named, namedSelectors{tag: sub.Tag})
			}
		}
	}
	for i, s := range sels {
		anyName := s.subjects == nil // no pre-filter: it may match anything
		for _, sub := range s.subjects {
			anyName = anyName || sub.Tag == ""
		}
		if anyName {
			l.other = append(l.other, i)
		}
		for k := range l.named {
			ns := &l.named[k]
			if anyName || slices.ContainsFunc(s.subjects, func(sub selsubject.Subject) bool { return sub.Tag == ns.tag }) {
				ns.idx = append(ns.idx, i)
			}
		}
	}
	return l
}

// candidates returns, in ascending order, the indices of the selectors
// that may match n: those whose subjects allow its name.
func (l *selectorList) candidates(n *html.Node) []int {
	for i := range l.named {
		if l.named[i].tag == n.Data {
			return l.named[i].idx
		}
	}
	return l.other
}

// matchRemove appends to found the elements below n that removing with
// sels[0], then sels[1], … (l.sels) over what the previous ones left would
// delete, in document order, each with the index of the selector that
// deletes it. Every selector must be local, so that what one matches does
// not depend on what another removed: an element is then deleted by the
// first selector matching it unless an ancestor goes before or with it
// (matched by a selector of the same or a lower index). limit is the
// lowest index matching an ancestor (len(l.sels) when none): only
// selectors below it can still delete n's descendants.
func matchRemove(n *html.Node, l *selectorList, limit int, found []removeMatch) []removeMatch {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		lim := limit
		for _, i := range l.candidates(c) {
			if i >= limit {
				break
			}
			if l.sels[i].Match(c) {
				found = append(found, removeMatch{i, c})
				lim = i
				break
			}
		}
		if lim > 0 {
			found = matchRemove(c, l, lim, found)
		}
	}
	return found
}
