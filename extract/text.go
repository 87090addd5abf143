package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/cleantext"
)

// isSkip reports whether elements of type a hold no text (scripts,
// styles, embedded objects, form controls, the document head).
func isSkip(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe,
		atom.Template, atom.Object, atom.Embed, atom.Svg,
		atom.Select, atom.Textarea, atom.Button, atom.Head,
		atom.Canvas, atom.Video, atom.Audio:
		return true
	}
	return false
}

// isBlock reports whether elements of type a start a new paragraph.
func isBlock(a atom.Atom) bool {
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

// nodeText is the collapsed text of n (script and style excluded).
func nodeText(n *html.Node) string {
	var buf [256]byte // most element texts fit: no growing
	return cleanBytes(appendText(buf[:0], n))
}

// appendText appends the raw text of n (what nodeText collapses) to b.
func appendText(b []byte, n *html.Node) []byte {
	switch n.Type {
	case html.TextNode:
		return append(b, n.Data...)
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return b
		}
		if n.DataAtom == atom.Br || isBlock(n.DataAtom) {
			b = append(b, ' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = appendText(b, c)
	}
	if n.Type == html.ElementNode && isBlock(n.DataAtom) {
		b = append(b, ' ')
	}
	return b
}

// textLen counts the non-space runes of n's text, and those inside links.
func textLen(n *html.Node, inLink bool) (total, link, links int) {
	switch n.Type {
	case html.TextNode:
		total = countVisible(n.Data)
		if inLink {
			link = total
		}
		return total, link, 0
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return 0, 0, 0
		}
		if n.DataAtom == atom.A {
			inLink = true
			links = 1
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l, k := textLen(c, inLink)
		total += t
		link += l
		links += k
	}
	return total, link, links
}

// hasText reports whether textLen(n, false) > 0, stopping at the first
// rune it would count.
func hasText(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if !cleantext.IsSpace(r) {
				return true
			}
		}
		return false
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return false
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasText(c) {
			return true
		}
	}
	return false
}

// para is one paragraph of body text with what the byline and lead rules
// need to know about how it was printed.
type para struct {
	text  string
	node  *html.Node // innermost block element holding the text
	bold  bool       // all its text is inside <b>/<strong>
	right bool       // it or a block around it is right-aligned
}

// paraWalker turns a body element into paragraphs.
type paraWalker struct {
	root    *html.Node
	buf     []byte // the raw text of the open paragraph, reused
	boldN   int
	plainN  int
	brs     int
	block   *html.Node
	cells   int
	paras   []para
	lastTxt string
}

func paragraphs(root *html.Node) []para {
	w := &paraWalker{root: root, block: root}
	w.walk(root, 0)
	w.flush()
	return w.paras
}

func (w *paraWalker) walk(n *html.Node, bold int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.addText(c.Data, bold > 0)
		case html.ElementNode:
			a := c.DataAtom
			if isSkip(a) {
				continue
			}
			if a == atom.Br {
				w.brs++
				if w.brs >= 2 {
					w.flush()
				} else {
					w.buf = append(w.buf, ' ')
				}
				continue
			}
			if a == atom.Td || a == atom.Th {
				if w.cells > 0 && len(w.buf) > 0 {
					w.buf = append(w.buf, " | "...)
				}
				w.cells++
			}
			block := isBlock(a)
			prev := w.block
			if block {
				w.flush()
				w.block = c
				if a == atom.Tr {
					w.cells = 0
				}
			}
			b := bold
			if a == atom.B || a == atom.Strong {
				b++
			}
			w.walk(c, b)
			if block {
				w.flush()
				w.block = prev
			}
		}
	}
}

func (w *paraWalker) addText(s string, bold bool) {
	for _, r := range s {
		if !cleantext.IsSpace(r) && r != '\u00a0' && r != '\u200b' {
			w.brs = 0
			if bold {
				w.boldN++
			} else {
				w.plainN++
			}
			break
		}
	}
	w.buf = append(w.buf, s...)
}

func (w *paraWalker) flush() {
	bold := w.boldN > 0 && w.plainN == 0
	w.boldN, w.plainN, w.brs = 0, 0, 0
	if len(w.buf) == 0 {
		return
	}
	t := cleanBytes(w.buf)
	w.buf = w.buf[:0]
	t = strings.TrimPrefix(t, "| ")
	if t == "" || t == "|" || t == w.lastTxt {
		return
	}
	w.lastTxt = t
	w.paras = append(w.paras, para{text: t, node: w.block, bold: bold, right: rightAligned(w.block, w.root)})
}

// rightAligned reports whether n or a block between it and root is
// right-aligned (align="right" or style text-align:right).
func rightAligned(n, root *html.Node) bool {
	for ; n != nil; n = n.Parent {
		for _, a := range n.Attr {
			switch a.Key {
			case "align":
				if strings.EqualFold(strings.TrimSpace(a.Val), "right") {
					return true
				}
			case "style":
				v := strings.ToLower(a.Val)
				if i := strings.Index(v, "text-align"); i >= 0 {
					rest := strings.TrimLeft(v[i+len("text-align"):], " :")
					if strings.HasPrefix(rest, "right") {
						return true
					}
				}
			}
		}
		if n == root {
			break
		}
	}
	return false
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// classID is n's class and id attributes, lower case, space separated.
// Callers look for words and substrings without spaces in it.
func classID(n *html.Node) string {
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

// describe names an element like a CSS selector: div#id.class1.class2.
func describe(n *html.Node) string {
	if n.Type == html.TextNode {
		return "#text"
	}
	if n.Type == html.CommentNode {
		return "#comment"
	}
	id, class := attr(n, "id"), attr(n, "class")
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

// isAncestor reports whether a is n or one of its ancestors.
func isAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// commonAncestor is the lowest element holding both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	for x := a; x != nil; x = x.Parent {
		if isAncestor(x, b) {
			return x
		}
	}
	return nil
}

// findElement returns the first element for which f holds, in document
// order below root (root included).
func findElement(root *html.Node, f func(*html.Node) bool) *html.Node {
	if root.Type == html.ElementNode && f(root) {
		return root
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if n := findElement(c, f); n != nil {
			return n
		}
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// The text helpers of package cleantext, under the names extraction's
// rules use.
func cleanText(s string) string            { return cleantext.Clean(s) }
func cleanBytes(b []byte) string           { return cleantext.CleanBytes(b) }
func shortText(raw []byte, max int) string { return cleantext.Short(raw, max) }
func shorten(s string, n int) string       { return cleantext.Shorten(s, n) }
func moreRunes(s string, n int) bool       { return cleantext.MoreRunes(s, n) }
func moreWords(s string, n int) bool       { return cleantext.MoreWords(s, n) }
func countVisible(s string) int            { return cleantext.CountVisible(s) }
