package extract

import (
	"strings"
)

// titleSeps are the separators between a page title's headline and the
// site's name ("Headline | Site", "Site - Headline").
var titleSeps = [...]string{" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " « ", ": "}

// siteNames are the names the page gives its site: og:site_name,
// application-name, twitter:site, the JSON-LD publisher or organisation
// and the logo's alt text, without duplicates.
func (pg *pageState) siteNames() []string {
	m := pg.meta
	var names []string
	for _, v := range []string{m.meta["og:site_name"], m.meta["application-name"], strings.TrimPrefix(m.meta["twitter:site"], "@"), m.ldSiteName, m.logoAlt} {
		if v = cleanText(v); v != "" && !containsString(names, v) {
			names = append(names, v)
		}
	}
	return names
}

// isAnySiteName reports whether s names the site: one of names, or the
// host's labels (see isSiteName).
func isAnySiteName(s string, names []string, host string) bool {
	if len(names) == 0 {
		return isSiteName(s, "", host)
	}
	for _, n := range names {
		if isSiteName(s, n, host) {
			return true
		}
	}
	return false
}

// stripSiteName removes the site's name from a page title, printed before
// the headline or after it ("Site | Headline", "Headline - Site"); the
// part left must keep two words. With loose (the <title> element), a short
// last part (at most three words) goes too, whatever it names.
func stripSiteName(t string, names []string, host string, loose bool) string {
	for _, sep := range titleSeps {
		if i := strings.LastIndex(t, sep); i > 0 {
			head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
			if moreWords(head, 1) && (isAnySiteName(tail, names, host) || (loose && sep != ": " && !moreWords(tail, 3))) {
				return stripSiteName(head, names, host, false)
			}
		}
		if i := strings.Index(t, sep); i > 0 {
			head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
			if moreWords(tail, 1) && isAnySiteName(head, names, host) {
				return tail
			}
		}
	}
	return t
}
