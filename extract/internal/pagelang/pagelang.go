// Package pagelang reads the language a page declares on its html
// element, which decides the rules that hold only in one language (a
// byline in capitals, a plain Vietnamese name under the headline).
package pagelang

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Of returns the lang attribute of the page's html element, lower case
// and trimmed; "" when the element or the attribute is missing.
func Of(root *html.Node) string {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Html {
			for _, a := range c.Attr {
				if a.Namespace == "" && strings.EqualFold(a.Key, "lang") {
					return strings.ToLower(strings.TrimSpace(a.Val))
				}
			}
			return ""
		}
	}
	return ""
}

// IsVietnamese reports whether lang names Vietnamese ("vi", "vi-VN").
func IsVietnamese(lang string) bool { return lang == "vi" || strings.HasPrefix(lang, "vi-") }
