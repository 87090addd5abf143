package template

import (
	"strings"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/nodes"
)

// MinBlock is the shortest text, in bytes, of an element a model may know
// as template: shorter ones (a label, a name, "Trang chủ") are left to
// extraction's own rules.
const MinBlock = 24

// visitFunc is called for each element with text, children first, with
// the element's hash, its text's size in bytes, and what the calls for
// its descendants returned, summed; it returns the element's own count.
type visitFunc func(n *html.Node, h uint64, size int, inner int) int

// hashTree hashes n's subtree: a text node by its text, trimmed; an
// element by its tag and its children's hashes in order (those with text
// only), so two elements hash alike when they print the same text in the
// same elements, whatever attributes, white space, images or scripts
// differ. Elements that hold no text (scripts, styles, the head) are
// left out.
func hashTree(n *html.Node, fn visitFunc) (h uint64, size, count int) {
	switch n.Type {
	case html.TextNode:
		t := strings.TrimSpace(n.Data)
		if t == "" {
			return 0, 0, 0
		}
		return xxhash.Sum64String(t), len(t), 0
	case html.ElementNode:
		if nodes.IsSkip(n.DataAtom) {
			return 0, 0, 0
		}
	case html.DocumentNode:
	default:
		return 0, 0, 0
	}
	h = mix(0x9e3779b97f4a7c15, uint64(n.DataAtom))
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		ch, cs, cc := hashTree(c, fn)
		if cs > 0 {
			h, size, count = mix(h, ch), size+cs, count+cc
		}
	}
	if n.Type == html.ElementNode && size > 0 {
		count = fn(n, h, size, count)
	}
	return h, size, count
}

// mix folds a child's hash into its parent's (splitmix64's finaliser over
// the two, so order matters).
func mix(h, c uint64) uint64 {
	h ^= c + 0x9e3779b97f4a7c15 + h<<6 + h>>2
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// textHash hashes a short text (a title's part, an author) with its white
// space collapsed.
func textHash(s string) uint64 { return xxhash.Sum64String(strings.Join(strings.Fields(s), " ")) }

// pageHead is what a page's head says that a model learns: its <title>
// and its meta[name=author] elements.
func pageHead(root *html.Node) (title string, authors []*html.Node) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type != html.ElementNode:
			case c.DataAtom == atom.Title && title == "" && c.FirstChild != nil:
				title = strings.Join(strings.Fields(c.FirstChild.Data), " ")
			case c.DataAtom == atom.Meta && strings.EqualFold(strings.TrimSpace(nodes.Attr(c, "name")), "author"):
				authors = append(authors, c)
			case c.DataAtom == atom.Body:
				return // the head's elements come before the body
			default:
				walk(c)
			}
		}
	}
	walk(root)
	return title, authors
}

// authorMetas are the page's meta[name=author] elements.
func authorMetas(root *html.Node) []*html.Node {
	_, a := pageHead(root)
	return a
}
