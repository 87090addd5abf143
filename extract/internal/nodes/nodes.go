// Package nodes holds what extraction asks of an HTML element: whether it
// holds text and starts a paragraph, its attributes, class words and
// selector-like name, and where it sits in the tree.
package nodes

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/cleantext"
)

// IsSkip reports whether elements of type a hold no text (scripts,
// styles, embedded objects, form controls, the document head).
func IsSkip(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe,
		atom.Template, atom.Object, atom.Embed, atom.Svg,
		atom.Select, atom.Textarea, atom.Button, atom.Head,
		atom.Canvas, atom.Video, atom.Audio:
		return true
	}
	return false
}

// IsBlock reports whether elements of type a start a new paragraph.
func IsBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul,
		atom.Ol, atom.Blockquote, atom.Table, atom.Tr,
		atom.Section, atom.Article, atom.Pre, atom.Figure,
		atom.Header, atom.Footer, atom.Dl, atom.Dt,
		atom.Dd, atom.Aside, atom.Main, atom.Hr,
		atom.Address, atom.Form, atom.Nav, atom.Center,
		atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption,
		atom.Figcaption, atom.Details, atom.Summary:
		return true
	}
	return false
}

// Attr returns the value of n's attribute key.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// ClassID is n's class and id attributes, lower case, space separated.
// Callers look for words and substrings without spaces in it.
func ClassID(n *html.Node) string {
	c, id := "", ""
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			c = a.Val
		case "id":
			id = a.Val
		}
	}
	switch {
	case id == "":
		return strings.ToLower(c)
	case c == "":
		return strings.ToLower(id)
	}
	return strings.ToLower(c + " " + id)
}

// Describe names an element like a CSS selector: div#id.class1.class2.
func Describe(n *html.Node) string {
	if n.Type == html.TextNode {
		return "#text"
	}
	if n.Type == html.CommentNode {
		return "#comment"
	}
	id, class := Attr(n, "id"), Attr(n, "class")
	if id == "" && class == "" {
		return n.Data
	}
	var b strings.Builder
	b.Grow(len(n.Data) + 1 + len(id) + 1 + len(class))
	b.WriteString(n.Data)
	if id != "" {
		b.WriteByte('#')
		b.WriteString(id)
	}
	for c := range strings.FieldsSeq(class) {
		b.WriteByte('.')
		b.WriteString(c)
	}
	return b.String()
}

// IsAncestor reports whether a is n or one of its ancestors.
func IsAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// CommonAncestor is the lowest element holding both a and b.
func CommonAncestor(a, b *html.Node) *html.Node {
	for x := a; x != nil; x = x.Parent {
		if IsAncestor(x, b) {
			return x
		}
	}
	return nil
}

// FindElement returns the first element for which f holds, in document
// order below root (root included).
func FindElement(root *html.Node, f func(*html.Node) bool) *html.Node {
	if root.Type == html.ElementNode && f(root) {
		return root
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if n := FindElement(c, f); n != nil {
			return n
		}
	}
	return nil
}

// HasAttr reports whether n has the attribute key, whatever its value.
func HasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// Text is the collapsed text of n (script and style excluded).
func Text(n *html.Node) string {
	var buf [256]byte // most element texts fit: no growing
	return cleantext.CleanBytes(AppendText(buf[:0], n))
}

// AppendText appends the raw text of n (what Text collapses) to b.
func AppendText(b []byte, n *html.Node) []byte {
	switch n.Type {
	case html.TextNode:
		return append(b, n.Data...)
	case html.ElementNode:
		if IsSkip(n.DataAtom) {
			return b
		}
		if n.DataAtom == atom.Br || IsBlock(n.DataAtom) {
			b = append(b, ' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = AppendText(b, c)
	}
	if n.Type == html.ElementNode && IsBlock(n.DataAtom) {
		b = append(b, ' ')
	}
	return b
}

// TextLen counts the non-space runes of n's text, those inside links (all
// of them when inLink) and the links.
func TextLen(n *html.Node, inLink bool) (total, link, links int) {
	switch n.Type {
	case html.TextNode:
		total = cleantext.CountVisible(n.Data)
		if inLink {
			link = total
		}
		return total, link, 0
	case html.ElementNode:
		if IsSkip(n.DataAtom) {
			return 0, 0, 0
		}
		if n.DataAtom == atom.A {
			inLink = true
			links = 1
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l, k := TextLen(c, inLink)
		total += t
		link += l
		links += k
	}
	return total, link, links
}
