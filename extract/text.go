package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// cleanText returns s in NFC with whitespace collapsed: NBSP and other
// spaces become one space, zero-width characters and soft hyphens go,
// leading and trailing spaces are trimmed.
func cleanText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, marks := false, false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = true
				continue
			}
			if c < 0x20 || c == 0x7f {
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if n == 1 {
			continue // invalid UTF-8 is dropped
		}
		if r >= 0xa1 && r < 0x300 && r != 0xad || r >= 0x1e00 && r <= 0x1eff {
			// Latin and Vietnamese letters: never space, control, mark
			// or zero-width; copied as they are.
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i-n : i])
			continue
		}
		if r >= 0x300 && isCombining(r) {
			marks = true
		}
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			continue
		case isSpace(r) || r == '\u00a0':
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	if marks && !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// isCombining reports whether r is a combining mark that NFC may compose
// (the only way text decoded and normalised by Parse can be non-NFC again).
func isCombining(r rune) bool {
	return r >= 0x300 && r <= 0x36f || r >= 0x1ab0 && r <= 0x1aff || r >= 0x1dc0 && r <= 0x1dff ||
		r >= 0x20d0 && r <= 0x20ff || r >= 0xfe20 && r <= 0xfe2f || r >= 0x3099 && r <= 0x309a ||
		r >= 0x1100 && r <= 0x11ff || unicode.Is(unicode.Mn, r) && r < 0x1000
}

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
	var b strings.Builder
	appendText(&b, n)
	return cleanText(b.String())
}

func appendText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return
		}
		if n.DataAtom == atom.Br || isBlock(n.DataAtom) {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c)
	}
	if n.Type == html.ElementNode && isBlock(n.DataAtom) {
		b.WriteByte(' ')
	}
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

// countVisible counts the runes of s that are not white space, as a
// range loop with !unicode.IsSpace would (invalid bytes count as one rune
// each). Two- and three-byte sequences are validated and classified from
// their bytes, without decoding.
func countVisible(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if c != ' ' && (c < '\t' || c > '\r') {
				n++
			}
			i++
			continue
		case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			if c != 0xc2 || s[i+1] != 0x85 && s[i+1] != 0xa0 {
				n++
			}
			i += 2
			continue
		case c >= 0xe1 && c <= 0xec && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			if !isSpace3(c, s[i+1], s[i+2]) {
				n++
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			n++
		}
		i += size
	}
	return n
}

// isSpace3 reports whether the three bytes encode a White_Space rune.
func isSpace3(c0, c1, c2 byte) bool {
	switch c0 {
	case 0xe1:
		return c1 == 0x9a && c2 == 0x80 // U+1680
	case 0xe2:
		if c1 == 0x80 {
			return c2 >= 0x80 && c2 <= 0x8a || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf
		}
		return c1 == 0x81 && c2 == 0x9f // U+205F
	case 0xe3:
		return c1 == 0x80 && c2 == 0x80 // U+3000
	}
	return false
}

// hasText reports whether textLen(n, false) > 0, stopping at the first
// rune it would count.
func hasText(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if !isSpace(r) {
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
	buf     strings.Builder
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
					w.buf.WriteByte(' ')
				}
				continue
			}
			if a == atom.Td || a == atom.Th {
				if w.cells > 0 && w.buf.Len() > 0 {
					w.buf.WriteString(" | ")
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
		if !isSpace(r) && r != '\u00a0' && r != '\u200b' {
			w.brs = 0
			if bold {
				w.boldN++
			} else {
				w.plainN++
			}
			break
		}
	}
	w.buf.WriteString(s)
}

func (w *paraWalker) flush() {
	raw := w.buf.String()
	w.buf.Reset()
	bold := w.boldN > 0 && w.plainN == 0
	w.boldN, w.plainN, w.brs = 0, 0, 0
	if raw == "" {
		return
	}
	t := cleanText(raw)
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
	var b strings.Builder
	b.WriteString(n.Data)
	if id := attr(n, "id"); id != "" {
		b.WriteString("#" + id)
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		b.WriteString("." + c)
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

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
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
