// Package section tells a link to the section page an article is
// filed under ("Khoa học công nghệ" above the headline, linking to
// /tin-tuc/khoa-hoc-cong-nghe/): a label, not article text.
package section

import (
	"net/url"
	"strings"
)

// IsLink reports whether href leads to a section page above page:
// its path, less a file extension, a proper prefix of page's, ending at a
// segment, not the root ("/tin-tuc/khoa-hoc/" above
// "/tin-tuc/khoa-hoc/bai-viet/").
func IsLink(href string, page *url.URL) bool {
	if href == "" || strings.HasPrefix(href, "#") {
		return false
	}
	u, err := page.Parse(href)
	if err != nil || u.Host != page.Host {
		return false
	}
	dir := strings.TrimSuffix(u.Path, "/")
	if i := strings.LastIndexByte(dir, '.'); i > strings.LastIndexByte(dir, '/') {
		dir = dir[:i] // "/nd/tin-tap-doan.html" above "/nd/tin-tap-doan/bai-viet.html"
	}
	return dir != "" && len(dir)+1 < len(page.Path) && strings.HasPrefix(page.Path, dir+"/")
}
