package extract

import (
	"strings"
)

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
