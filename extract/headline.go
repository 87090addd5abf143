package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// headline decides Article.Title: the profile's title element, else
// og:title (less a site-name suffix), the container's first <h1>, the
// JSON-LD headline, and <title> (less a site-name suffix).
func (x *Extractor) headline(pg *pageState) {
	if pg.profileTitle != "" {
		pg.art.Title, pg.art.Fields["title"] = pg.profileTitle, MethodProfile
		return
	}
	fallbackTitle(pg)
}

// fallbackTitle decides the title of a page whose profile names none.
func fallbackTitle(pg *pageState) {
	art, meta := pg.art, pg.meta
	if t := cleanText(meta.meta["og:title"]); t != "" {
		art.Title, art.Fields["title"] = stripTitleSuffix(t, pg.site, pg.host, false), MethodMeta
		return
	}
	if h := findElement(pg.container, func(n *html.Node) bool { return n.DataAtom == atom.H1 }); h != nil {
		if t := nodeText(h); t != "" {
			art.Title, art.Fields["title"] = t, MethodFallback
			return
		}
	}
	if t := cleanText(meta.ldTitle); t != "" {
		art.Title, art.Fields["title"] = t, MethodMeta
		return
	}
	if t := meta.title; t != "" {
		art.Title, art.Fields["title"] = stripTitleSuffix(t, pg.site, pg.host, true), MethodFallback
	}
}
