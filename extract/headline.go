package extract

import (
	"strings"

	"github.com/parc-archiver/parc/extract/internal/titlematch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// headline decides Article.Title: the profile's title element, else the
// visible headline that <title>, og:title or the JSON-LD headline repeats,
// else the headline <h1> (see findH1), og:title (less the site's name),
// the container's first <h1>, the JSON-LD headline, and <title> (less the
// site's name). Article.Rules names the rule that decided.
func (x *Extractor) headline(pg *pageState) {
	art := pg.art
	switch {
	case pg.profileTitle != "":
		art.Title, art.Fields["title"] = pg.profileTitle, MethodProfile
		art.Rules["title"] = RuleTitleProfile
	case pg.seenTitle != "":
		art.Title, art.Fields["title"] = pg.seenTitle, MethodHeuristic
		art.Rules["title"] = RuleTitleVisible
	default:
		fallbackTitle(pg)
	}
}

// fallbackTitle decides the title of a page whose profile names none and
// whose visible headline no machine-readable title repeats.
func fallbackTitle(pg *pageState) {
	art, meta := pg.art, pg.meta
	m := pg.meta
	names := titlematch.SiteNames(m.meta["og:site_name"], m.meta["application-name"], strings.TrimPrefix(m.meta["twitter:site"], "@"), m.ldSiteName, m.logoAlt, pg.site)
	set := func(t, method, rule string) {
		art.Title, art.Fields["title"], art.Rules["title"] = t, method, rule
	}
	if h := pg.titleEl; h != nil && h.DataAtom == atom.H1 {
		if t := nodeText(h); t != "" {
			set(t, MethodFallback, RuleTitleH1)
			return
		}
	}
	if t := cleanText(meta.meta["og:title"]); t != "" {
		set(titlematch.StripSiteName(t, names, pg.host, false), MethodMeta, RuleTitleOG)
		return
	}
	if h := findElement(pg.container, func(n *html.Node) bool { return n.DataAtom == atom.H1 }); h != nil {
		if t := nodeText(h); t != "" {
			set(t, MethodFallback, RuleTitleH1)
			return
		}
	}
	if t := cleanText(meta.ldTitle); t != "" {
		set(t, MethodMeta, RuleTitleLD)
		return
	}
	if t := meta.title; t != "" {
		set(titlematch.StripSiteName(t, names, pg.host, true), MethodFallback, RuleTitleHTMLTitle)
	}
}
