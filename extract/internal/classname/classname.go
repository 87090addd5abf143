// Package classname holds the words of class names and ids that mark
// what an element is: a headline, or page chrome and blocks of other pages.
// Class strings are lower case (extract's classID).
package classname

import "strings"

// IsTitle reports whether a class or id names a title ("title",
// "ArticleTitle", "news-headline"), not a subtitle.
func IsTitle(cls string) bool {
	if cls == "" || containsAny(cls, "subtitle", "sub-title", "sub_title", "widget-title", "section-title", "block-title", "box-title") {
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
// menus, footers, comments, teasers and sliders. A long token only
// mentioning one ("layoutTwoColumnsRightSidebar", a page wrapper) does
// not count.
func IsChrome(cls string) bool {
	if cls == "" {
		return false
	}
	for tok := range strings.FieldsSeq(cls) {
		for _, w := range chromeWords {
			if len(tok) <= len(w)+12 && strings.Contains(tok, w) {
				return true
			}
		}
		if strings.HasPrefix(tok, "nav") {
			return true
		}
	}
	return false
}

// chromeWords name page chrome and blocks of other pages in class names.
var chromeWords = [...]string{"breadcrumb", "sidebar", "widget", "related", "menu", "navbar", "footer", "comment", "teaser", "slider", "carousel"}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
