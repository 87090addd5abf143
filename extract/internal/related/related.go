// Package related tells a block of links to other articles by the
// heading it prints ("Các tin khác", "Tin liên quan", "Related
// articles"), whatever its class names say: a theme with hashed or
// utility classes ("flex items-center gap-2") names it in words only.
package related

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"github.com/parc-archiver/parc/internal/htmldoc"
)

// headings are the headings of related-article blocks, lower case, NFC.
var headings = map[string]bool{
	"các tin khác": true, "tin khác": true, "tin liên quan": true, "bài viết liên quan": true, "bài liên quan": true,
	"tin cùng chuyên mục": true, "tin cùng chủ đề": true, "xem thêm": true, "đọc thêm": true, "có thể bạn quan tâm": true,
	"related": true, "related articles": true, "related stories": true, "related posts": true, "related news": true,
	"more stories": true, "read more": true, "read next": true, "you may also like": true, "more on this story": true,
	"weitere artikel": true, "mehr zum thema": true, "das könnte sie auch interessieren": true,
	"lire aussi": true, "à lire aussi": true, "sur le même sujet": true,
	"noticias relacionadas": true, "te puede interesar": true, "leia também": true, "leggi anche": true,
}

// IsHeading reports whether text is the heading of a related-article
// block.
func IsHeading(text string) bool {
	t := strings.TrimRight(strings.Join(strings.Fields(strings.ToLower(text)), " "), " :›»")
	return headings[norm.NFC.String(t)]
}

// IsBlock reports whether n is a block that opens with such a heading
// (its first element, an h2 to h6) and links to something after it.
func IsBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	first := n.FirstChild
	for first != nil && first.Type != html.ElementNode {
		if first.Type == html.TextNode && strings.TrimSpace(first.Data) != "" {
			return false // text before the heading: not a block it opens
		}
		first = first.NextSibling
	}
	if first == nil || !isHeading(first.DataAtom) || !IsHeading(htmldoc.Text(first)) {
		return false
	}
	for c := first.NextSibling; c != nil; c = c.NextSibling {
		if hasLink(c) {
			return true
		}
	}
	return false
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func hasLink(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		for _, a := range n.Attr {
			if a.Key == "href" && a.Val != "" {
				return true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasLink(c) {
			return true
		}
	}
	return false
}
