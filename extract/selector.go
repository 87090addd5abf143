package extract

import (
	"slices"
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
	// subjects, when not nil, is a necessary condition for a match: one
	// entry per selector of the group, with the element name and classes
	// its subject compound requires ("div.x > p.y" can match only a <p>
	// whose class attribute holds "y"). Match tests it before asking
	// cascadia; see subjectsOf.
	subjects []subject
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
	return &selector{group: g, elements: elements, local: elements && !strings.ContainsAny(s, ":+~"), subjects: subjectsOf(s)}, nil
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

// subject is what a selector requires of the element it matches: the
// type and class selectors of its subject (last) compound.
type subject struct {
	tag     string   // lower case; "" for any
	classes []string // as written (class names are case-sensitive)
	attrs   []string // attribute names (lower case) it must have
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
		if sub.tag != "" && sub.tag != n.Data {
			continue
		}
		if allClasses(n, sub.classes) && allAttrs(n, sub.attrs) {
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
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// classHolds reports whether a class attribute of n contains c.
func classHolds(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(a.Val, c) {
			return true
		}
	}
	return false
}

// subjectsOf returns the subjects of a selector group, or nil when that
// is not certain. It reads the source text and only accepts a plain subset
// of CSS: names, ".class", "#id", ":pseudo" without arguments, "[attr…]"
// (quoted values without escapes), the combinators " ", ">", "+", "~",
// and "," between selectors. Anything else (escapes, parentheses,
// comments, "*", "|", non-ASCII) gives nil, and so does a subject that
// requires nothing of those. Within that subset a selector's subject is its
// last compound, where cascadia parses a leading name as a type selector
// (lower-cased), ".name" as a class selector, "#name" as an id selector and
// "[name…]" as an attribute selector (name lower-cased), each a condition
// every match meets. src must compile.
func subjectsOf(src string) []subject {
	var out []subject
	var cur subject      // the compound being read, or the last one
	inCompound := false  // src[i] continues the compound cur
	end := func() bool { // the selector ends with cur
		if cur.tag == "" && len(cur.classes) == 0 && len(cur.attrs) == 0 {
			return false
		}
		out = append(out, cur)
		return true
	}
	for i := 0; i < len(src); {
		c := src[i]
		if !inCompound && c != ',' && !isSpaceOrCombinator(c) {
			cur, inCompound = subject{}, true
			if isASCIILetter(c) {
				j := nameEnd(src, i)
				cur.tag = strings.ToLower(src[i:j])
				i = j
				continue
			}
		}
		switch {
		case c == '.' || c == '#' || c == ':':
			k := i + 1
			if c == ':' && k < len(src) && src[k] == ':' {
				k++
			}
			j := nameEnd(src, k)
			if j == k {
				return nil
			}
			switch c {
			case '.':
				cur.classes = append(cur.classes, src[k:j])
			case '#':
				cur.attrs = append(cur.attrs, "id")
			}
			i = j
		case c == '[':
			j := attrEnd(src, i)
			if j < 0 {
				return nil
			}
			if key := attrKey(src[i+1 : j]); key != "" {
				cur.attrs = append(cur.attrs, key)
			}
			i = j + 1
		case isSpaceOrCombinator(c):
			inCompound = false
			i++
		case c == ',':
			if !end() {
				return nil
			}
			inCompound = false
			i++
		default:
			return nil // a name after "]", "*", an escape, parentheses…
		}
	}
	if !end() {
		return nil
	}
	return out
}

func isSpaceOrCombinator(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '>', '+', '~':
		return true
	}
	return false
}

// nameEnd returns the end of the run of ASCII name characters (letters,
// digits, "-", "_") from src[i].
func nameEnd(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if !isASCIILetter(c) && (c < '0' || c > '9') && c != '-' && c != '_' {
			break
		}
		i++
	}
	return i
}

// attrKey returns the attribute an attribute selector's inside (between
// "[" and "]") requires, lower case: its name when it is plain ASCII and
// followed by "]" or one of the operators "=", "~=", "|=", "^=", "$=", "*="
// (not "!=", which matches elements without it); "" otherwise.
func attrKey(in string) string {
	in = strings.TrimLeft(in, " \t\n\r\f")
	j := nameEnd(in, 0)
	if j == 0 || !isASCIILetter(in[0]) {
		return ""
	}
	rest := strings.TrimLeft(in[j:], " \t\n\r\f")
	if rest != "" && !strings.HasPrefix(rest, "=") && (len(rest) < 2 || rest[1] != '=' || !strings.ContainsRune("~|^$*", rune(rest[0]))) {
		return ""
	}
	return strings.ToLower(in[:j])
}

// attrEnd returns the index of the "]" closing the attribute selector that
// starts at src[i] ("["), or -1 when it has an escape, a parenthesis
// outside quotes (as a "#=" regular expression may) or does not close.
func attrEnd(src string, i int) int {
	var quote byte
	for i++; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\':
			return -1
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == ')':
			return -1
		case c == ']':
			return i
		}
	}
	return -1
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

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
			if sub.tag != "" && !slices.ContainsFunc(l.named, func(ns namedSelectors) bool { return ns.tag == sub.tag }) {
				l.named = append(l.named, namedSelectors{tag: sub.tag})
			}
		}
	}
	for i, s := range sels {
		anyName := s.subjects == nil // no pre-filter: it may match anything
		for _, sub := range s.subjects {
			anyName = anyName || sub.tag == ""
		}
		if anyName {
			l.other = append(l.other, i)
		}
		for k := range l.named {
			ns := &l.named[k]
			if anyName || slices.ContainsFunc(s.subjects, func(sub subject) bool { return sub.tag == ns.tag }) {
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
