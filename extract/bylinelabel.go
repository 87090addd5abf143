package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/byname"
)

// labelAuthor returns the name printed right after a byline label in
// container (see byname.IsLabel), or "".
func labelAuthor(container *html.Node) string {
	var name string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				if name = afterLabel(c); name != "" {
					return true
				}
			case c.Type == html.ElementNode && !isSkip(c.DataAtom):
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	if container != nil {
		walk(container)
	}
	return name
}

// afterLabel returns, when text node t is a byline label alone, the name
// printed after it: the first text after t, or after the element t fills.
func afterLabel(t *html.Node) string {
	s := strings.TrimSpace(t.Data)
	if s == "" || len(s) > 24 {
		return ""
	}
	s = strings.TrimSpace(strings.Trim(s, "|·•-–—"))
	if !byname.IsLabel(s) {
		return ""
	}
	from := t
	if t.NextSibling == nil || isBlank(t.NextSibling) && t.NextSibling.NextSibling == nil {
		// The label fills its element: the name follows the element.
		if p := t.Parent; p != nil && cleanText(nodeText(p)) == cleanText(t.Data) {
			from = p
		}
	}
	for n, i := from.NextSibling, 0; n != nil && i < 6; n, i = n.NextSibling, i+1 {
		var text string
		switch {
		case n.Type == html.TextNode:
			text = cleanText(n.Data)
		case n.Type == html.ElementNode && !isSkip(n.DataAtom) && n.DataAtom != atom.Br:
			text = authorText(n) // without a job title beside the name
		}
		if text != "" {
			return labelledName(text)
		}
	}
	return ""
}

// labelledName is text when it reads as a name (or a few): short, no
// sentence, starting with a capital.
func labelledName(text string) string {
	b, ok := bylineText(text)
	if !ok || !byname.IsShortName(b, 8, 80) || byname.IsLabel(b) {
		return ""
	}
	if r, _ := utf8.DecodeRuneInString(b); !unicode.IsUpper(r) {
		return ""
	}
	return b
}

func isBlank(n *html.Node) bool {
	return n.Type == html.TextNode && strings.TrimSpace(n.Data) == ""
}
