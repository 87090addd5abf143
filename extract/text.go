package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/cleantext"
	"github.com/parc-archiver/parc/extract/internal/nodes"
)

// nodeText, appendText and textLen are package nodes' Text, AppendText
// and TextLen.
func nodeText(n *html.Node) string             { return nodes.Text(n) }
func appendText(b []byte, n *html.Node) []byte { return nodes.AppendText(b, n) }
func textLen(n *html.Node, inLink bool) (total, link, links int) {
	return nodes.TextLen(n, inLink)
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

// The text helpers of package cleantext, under the names extraction's
// rules use.
func cleanText(s string) string            { return cleantext.Clean(s) }
func cleanBytes(b []byte) string           { return cleantext.CleanBytes(b) }
func shortText(raw []byte, max int) string { return cleantext.Short(raw, max) }
func shorten(s string, n int) string       { return cleantext.Shorten(s, n) }
func moreRunes(s string, n int) bool       { return cleantext.MoreRunes(s, n) }
func moreWords(s string, n int) bool       { return cleantext.MoreWords(s, n) }
func countVisible(s string) int            { return cleantext.CountVisible(s) }

// The element helpers of package nodes, under the names extraction's
// rules use.
func isSkip(a atom.Atom) bool                   { return nodes.IsSkip(a) }
func isBlock(a atom.Atom) bool                  { return nodes.IsBlock(a) }
func attr(n *html.Node, key string) string      { return nodes.Attr(n, key) }
func classID(n *html.Node) string               { return nodes.ClassID(n) }
func describe(n *html.Node) string              { return nodes.Describe(n) }
func isAncestor(a, n *html.Node) bool           { return nodes.IsAncestor(a, n) }
func commonAncestor(a, b *html.Node) *html.Node { return nodes.CommonAncestor(a, b) }
func findElement(root *html.Node, f func(*html.Node) bool) *html.Node {
	return nodes.FindElement(root, f)
}
