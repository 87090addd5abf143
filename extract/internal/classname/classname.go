// Package classname holds the words of class names and ids that mark
// what an element is: a headline, or page chrome and blocks of other pages.
// Class strings are lower case (extract's classID).
package classname

import "strings"

// IsTitle reports whether a class or id names a title ("title",
// "ArticleTitle", "news-headline"), not a subtitle.
func IsTitle(cls string) bool {
	if cls == "" || ContainsAny(cls, "subtitle", "sub-title", "sub_title", "widget-title", "section-title", "block-title", "box-title") {
		return false
	}
	for _, w := range titleWords {
		if strings.Contains(cls, w) {
			return true
		}
	}
	return false
}

// titleWords name a headline in class names.
var titleWords = [...]string{"title", "headline", "head-line", "tieude", "tieu-de", "heading"}

// IsChrome reports whether a class or id names page chrome or a
// block of other pages: breadcrumbs, sidebars, widgets, related lists,
// menus, footers, comments, teasers and sliders. A token counts when it
// starts with such a word, or (but for "widget": Elementor's page builder
// names every block "elementor-widget") holds one and is at most 12
// characters longer: a long token only mentioning one
// ("layoutTwoColumnsRightSidebar", a page wrapper) does not count.
func IsChrome(cls string) bool {
	return hasPrefixToken(cls, "nav", "widget") || HasWord(cls, chromeWords[:]...)
}

// HasWord reports whether a token of cls starts with one of words, or
// holds one and is at most 12 characters longer (a long token that only
// mentions a word, "layoutTwoColumnsRightSidebar", does not count).
func HasWord(cls string, words ...string) bool {
	for tok := range strings.FieldsSeq(cls) {
		for _, w := range words {
			if strings.HasPrefix(tok, w) || len(tok) <= len(w)+12 && strings.Contains(tok, w) {
				return true
			}
		}
	}
	return false
}

func hasPrefixToken(cls string, prefixes ...string) bool {
	for tok := range strings.FieldsSeq(cls) {
		for _, p := range prefixes {
			if strings.HasPrefix(tok, p) {
				return true
			}
		}
	}
	return false
}

// chromeWords name page chrome and blocks of other pages in class names.
var chromeWords = [...]string{"breadcrumb", "sidebar", "related", "menu", "navbar", "footer", "comment", "teaser", "slider", "carousel"}

// IsRelatedList reports whether a class or id names a list of other
// articles: related, other or more news, "read more" ("tin-lien-quan",
// "tin-khac", "xem-them" on Vietnamese portals).
func IsRelatedList(cls string) bool {
	return ContainsAny(cls, "related", "lien-quan", "lienquan", "tin-khac", "tinkhac",
		"other-news", "othernews", "more-news", "morenews", "box-news", "tin-lien", "xem-them", "xemthem", "read-more", "readmore") ||
		HasTokenPrefix(cls, "others")
}

// IsKicker reports whether a class names the kicker printed above or
// before a headline (Dachzeile, overline, supertitle).
func IsKicker(cls string) bool {
	return ContainsAny(cls, "kicker", "overline", "supertitle", "super-title", "dachzeile", "topline", "top-line", "roofline", "eyebrow", "titleheader", "title-header", "pretitle", "pre-title", "spitzmarke")
}
