package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
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
	return &selector{group: g, elements: elements, local: elements && !strings.ContainsAny(s, ":+~")}, nil
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
	return s.group.Match(n)
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

// matchRemove appends to found the elements below n that removing with
// sels[0], then sels[1], … over what the previous ones left would delete,
// in document order, each with the index of the selector that deletes it.
// Every selector must be local, so that what one matches does not depend
// on what another removed: an element is then deleted by the first
// selector matching it unless an ancestor goes before or with it (matched
// by a selector of the same or a lower index). limit is the lowest index
// matching an ancestor (len(sels) when none): only selectors below it can
// still delete n's descendants.
func matchRemove(n *html.Node, sels []*selector, limit int, found []removeMatch) []removeMatch {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		l := limit
		for i, s := range sels[:limit] {
			if s.Match(c) {
				found = append(found, removeMatch{i, c})
				l = i
				break
			}
		}
		if l > 0 {
			found = matchRemove(c, sels, l, found)
		}
	}
	return found
}
