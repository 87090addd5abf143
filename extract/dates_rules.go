package extract

import (
	"time"

	"golang.org/x/net/html"
)

// Rules that decide the publication time, recorded in
// Article.Rules["published"].
const (
	RulePubMetaOffset = "dates/meta-offset"   // a meta tag or JSON-LD value with its UTC offset
	RulePubMeta       = "dates/meta"          // a zone-less meta or JSON-LD value, in the portal's zone
	RulePubTime       = "dates/time-element"  // <time datetime> or a datePublished item
	RulePubProfile    = "dates/profile"       // the profile's published element
	RulePubURL        = "dates/url"           // the date in the URL's path
	RulePubText       = "dates/text"          // date text near the headline or the body
	RulePubModified   = "dates/modified-only" // no publication time anywhere: the modification time the page gives ("Cập nhật: …" alone)
)

// bestMetaPub is the publication time of the meta tags (pubMetaKeys, in
// order) and JSON-LD: the first value giving its offset, else the first
// zone-less one (see timeparse.Parser.Best).
func (d *dateSearch) bestMetaPub(meta *pageMeta) (time.Time, string, bool) {
	cands := make([]string, 0, 4)
	for _, k := range pubMetaKeys {
		cands = append(cands, meta.meta[k])
	}
	t, offset, ok := d.x.timeParser.Best(append(cands, meta.ldPub), d.x.loc, d.now)
	if offset {
		return t, RulePubMetaOffset, ok
	}
	return t, RulePubMeta, ok
}

// timeElements parses the first <time datetime> or datePublished item
// (its datetime, content or title attribute)
// below root that is not in page chrome, a related list or a comment.
func (d *dateSearch) timeElements(root *html.Node) (time.Time, bool) {
	for _, n := range d.x.timeSel.MatchAll(root) {
		if inDateChrome(n, root) {
			continue
		}
		v := attr(n, "datetime")
		if v == "" {
			v = attr(n, "content")
		}
		if v == "" {
			v = attr(n, "title") // <abbr itemprop="datePublished" title="…">
		}
		if t, ok := d.parse(v); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// inDateChrome reports whether n sits, below root, in page chrome, a
// related or teaser list, or comments: their dates are other pages'. A
// post's own footer or meta line (Blogger's div.post-footer) is not.
func inDateChrome(n, root *html.Node) bool {
	for p := n.Parent; p != nil && p != root; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		cls := classID(p)
		if containsAny(cls, "post-footer", "entry-footer", "article-footer", "post-meta", "entry-meta") {
			return false
		}
		if isPageChrome(p) || isChromeByClass(p) {
			return true
		}
	}
	return false
}

// linesBefore returns the short texts (at most 80 runes) of the two
// elements printed just before the title: a date line or a label above
// the headline.
func linesBefore(title *html.Node) []string {
	var lines []string
	for n, k := title, 0; n != nil && k < 2; {
		if n = n.PrevSibling; n != nil && n.Type == html.ElementNode {
			k++
			if t, ok := boundedText(n, 80); ok {
				lines = append(lines, t)
			}
		}
	}
	return lines
}
