package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Machine-readable names for the publication and modification times.
var (
	pubMetaKeys = []string{"article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "dc.date.issued", "dcterms.created", "dc.date", "date", "article.published", "sailthru.date"}
	modMetaKeys = []string{"article:modified_time", "datemodified", "og:updated_time", "dcterms.modified", "last-modified", "article.updated"}
)

// findDates fills Published and Modified: machine-readable metadata
// first, then the profile's selectors, then date text in the article
// container (never the page header's "today"), then HTML comments.
func (x *Extractor) findDates(art *Article, meta *pageMeta, root, container, body, title *html.Node, now time.Time) {
	parse := func(s string) (time.Time, bool) { return x.dates.parse(s, x.loc, now) }
	var memo dateMemo // the profile's date element is often scanned again
	for _, k := range pubMetaKeys {
		if t, ok := parse(meta.meta[k]); ok {
			art.Published, art.Fields["published"] = t, MethodMeta
			break
		}
	}
	if art.Published.IsZero() {
		if t, ok := parse(meta.ldPub); ok {
			art.Published, art.Fields["published"] = t, MethodMeta
		}
	}
	if art.Published.IsZero() {
		for _, n := range x.timeSel.MatchAll(container) {
			v := attr(n, "datetime")
			if v == "" {
				v = attr(n, "content")
			}
			if t, ok := parse(v); ok {
				art.Published, art.Fields["published"] = t, MethodMeta
				break
			}
		}
	}
	for _, k := range modMetaKeys {
		if t, ok := parse(meta.meta[k]); ok {
			art.Modified, art.Fields["modified"] = t, MethodMeta
			break
		}
	}
	if art.Modified.IsZero() {
		if t, ok := parse(meta.ldMod); ok {
			art.Modified, art.Fields["modified"] = t, MethodMeta
		}
	}
	fromSel := func(s interface{ MatchFirst(*html.Node) *html.Node }) (time.Time, time.Time, bool) {
		n := s.MatchFirst(root)
		if n == nil {
			return time.Time{}, time.Time{}, false
		}
		for _, k := range []string{"datetime", "content"} {
			if t, ok := parse(attr(n, k)); ok {
				return t, time.Time{}, true
			}
		}
		p, m, ok, _ := memo.parseDateText(x, nodeText(n), now)
		return p, m, ok
	}
	if art.Published.IsZero() && x.sel.published != nil {
		if t, m, ok := fromSel(x.sel.published); ok {
			art.Published, art.Fields["published"] = t, MethodProfile
			if art.Modified.IsZero() && !m.IsZero() {
				art.Modified, art.Fields["modified"] = m, MethodProfile
			}
		}
	}
	if art.Modified.IsZero() && x.sel.modified != nil {
		if t, _, ok := fromSel(x.sel.modified); ok {
			art.Modified, art.Fields["modified"] = t, MethodProfile
		}
	}
	if !art.Published.IsZero() && !art.Modified.IsZero() {
		return
	}
	pub, mod := x.scanDates(container, body, title, now, &memo)
	if art.Published.IsZero() && !pub.IsZero() {
		art.Published, art.Fields["published"] = pub, MethodHeuristic
	}
	if art.Modified.IsZero() && !mod.IsZero() {
		art.Modified, art.Fields["modified"] = mod, MethodHeuristic
	}
}

// parseDateText parses a printed timestamp line; a "Cập nhật:"/"Updated"
// part is the modification time.
func (x *Extractor) parseDateText(s string, now time.Time) (pub, mod time.Time, okPub, okMod bool) {
	if s == "" || len(s) > 300 {
		return
	}
	f := foldText(s)
	for _, marker := range []string{"cap nhat", "updated", "last modified", "chinh sua", "sua lan cuoi"} {
		if i := strings.Index(f, marker); i >= 0 {
			pub, okPub = x.dates.parse(f[:i], x.loc, now)
			mod, okMod = x.dates.parse(f[i:], x.loc, now)
			return
		}
	}
	pub, okPub = x.dates.parse(f, x.loc, now)
	return
}

// dateMemo is the last text parseDateText parsed for a page, with its
// result (which depends on nothing else for one page and extractor).
type dateMemo struct {
	s            string
	pub, mod     time.Time
	okPub, okMod bool
	set          bool
}

// parseDateText is x.parseDateText(s, now), remembered for the next call.
func (m *dateMemo) parseDateText(x *Extractor, s string, now time.Time) (pub, mod time.Time, okPub, okMod bool) {
	if !m.set || m.s != s {
		pub, mod, okPub, okMod = x.parseDateText(s, now)
		*m = dateMemo{s: s, pub: pub, mod: mod, okPub: okPub, okMod: okMod, set: true}
	}
	return m.pub, m.mod, m.okPub, m.okMod
}

// scanDates looks for printed dates in the container: first elements whose
// class names a date, time or meta line (and parents of clock icons), then
// short text outside the body, then HTML comments. Candidates after the
// title come before those above it; page headers, menus and footers that do
// not hold the title are skipped. Texts are parsed through memo.
func (x *Extractor) scanDates(container, body, title *html.Node, now time.Time, memo *dateMemo) (pub, mod time.Time) {
	var classed, texts, comments, early []string
	afterTitle := title == nil || !isAncestor(container, title)
	pageLevel := container.Type == html.DocumentNode || container.DataAtom == atom.Body || container.DataAtom == atom.Html
	var walk func(n *html.Node, inBody bool)
	walk = func(n *html.Node, inBody bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !inBody && len(c.Data) <= 200 {
					if t := strings.TrimSpace(c.Data); len(t) >= 6 && hasDigit(t) {
						if afterTitle {
							texts = append(texts, t)
						} else {
							early = append(early, t)
						}
					}
				}
			case html.CommentNode:
				if len(c.Data) <= 300 && hasDigit(c.Data) {
					comments = append(comments, c.Data)
				}
			case html.ElementNode:
				if isSkip(c.DataAtom) {
					continue
				}
				if c == title {
					afterTitle = true
					continue
				}
				cls := classID(c)
				if isChrome(c, cls, pageLevel) && (title == nil || !isAncestor(c, title)) {
					continue
				}
				if c.DataAtom == atom.I && containsAny(cls, "clock", "calendar") && c.Parent != nil {
					if t := nodeText(c.Parent); len(t) <= 200 && hasDigit(t) {
						classed = append(classed, t)
					}
				}
				if containsAny(cls, "date", "time", "meta", "post-info", "publish", "posted", "created", "ngay", "thoigian", "thoi-gian") {
					if t := nodeText(c); len(t) <= 200 && hasDigit(t) {
						if afterTitle {
							classed = append(classed, t)
						} else {
							early = append(early, t)
						}
					}
				}
				walk(c, inBody || c == body)
			}
		}
	}
	walk(container, false)
	for _, group := range [][]string{classed, texts, comments, early} {
		for _, s := range group {
			p, m, okp, okm := memo.parseDateText(x, s, now)
			if okm && mod.IsZero() {
				mod = m
			}
			if okp && pub.IsZero() {
				pub = p
			}
			if !pub.IsZero() {
				return pub, mod
			}
		}
	}
	return pub, mod
}

// isChrome reports whether n is page chrome: a header, navigation, menu or
// footer, or a top bar. Class names count only at page level (no article
// container found), where a "header" class is the site's header.
func isChrome(n *html.Node, cls string, pageLevel bool) bool {
	switch n.DataAtom {
	case atom.Header, atom.Nav, atom.Footer, atom.Aside, atom.Menu:
		return true
	}
	if !pageLevel {
		return containsAny(cls, "navbar", "menu", "sidebar", "breadcrumb", "weather", "today")
	}
	return containsAny(cls, "header", "topbar", "top-bar", "top_bar", "footer", "navbar", "menu", "sidebar", "breadcrumb", "weather", "today")
}

func hasDigit(s string) bool {
	return strings.IndexAny(s, "0123456789") >= 0
}
