package extract

import (
	"strings"
	"time"

	"github.com/parc-archiver/parc/extract/internal/classname"
	"github.com/parc-archiver/parc/extract/internal/timeparse"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Machine-readable names for the publication and modification times.
var (
	pubMetaKeys = []string{"article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "dc.date.issued", "dcterms.created", "dc.date", "date", "article.published", "sailthru.date"}
	modMetaKeys = []string{"article:modified_time", "datemodified", "og:updated_time", "dcterms.modified", "last-modified", "article.updated"}
)

// dates decides Published and Modified. Published: machine-readable
// metadata first (a value with its offset before a zone-less one), then
// <time datetime> items of the container and of the rest of the page
// outside chrome and related lists, then the profile's selectors, then
// the date in the URL, then date text in the article container (never
// the page header's "today"), then HTML comments. Article.Rules names the
// rule that decided. It runs before anything but the profile's removals
// has touched the page.
func (x *Extractor) dates(pg *pageState) {
	ds := &dateSearch{x: x, now: pg.in.FetchedAt}
	art := pg.art
	ds.metaPublished(art, pg.meta, pg.container, pg.root)
	ds.metaModified(art, pg.meta)
	ds.profileDates(art, pg.root)
	if art.Published.IsZero() && pg.in.URL != nil {
		if t, ok := timeparse.DateInPath(pg.in.URL.EscapedPath(), x.loc); ok {
			art.Published, art.Fields["published"], art.Rules["published"] = t, MethodHeuristic, RulePubURL
		}
	}
	if !art.Published.IsZero() && !art.Modified.IsZero() {
		return
	}
	pub, mod := ds.scan(pg.container, pg.bodyEl, pg.titleEl)
	if pub.IsZero() && mod.IsZero() && art.Published.IsZero() && pg.container.DataAtom != atom.Body {
		// The container holds no date line: the page's, outside chrome
		// and related lists. (One that prints only when it was updated
		// has its date: see below.)
		if b := findElement(pg.root, func(n *html.Node) bool { return n.DataAtom == atom.Body }); b != nil && b != pg.container {
			pub, _ = ds.scan(b, pg.bodyEl, pg.titleEl)
		}
	}
	if art.Published.IsZero() && !pub.IsZero() {
		art.Published, art.Fields["published"], art.Rules["published"] = pub, MethodHeuristic, RulePubText
	}
	if art.Modified.IsZero() && !mod.IsZero() {
		art.Modified, art.Fields["modified"] = mod, MethodHeuristic
	}
	if art.Published.IsZero() && !art.Modified.IsZero() {
		// A page that prints only when it was updated ("Cập nhật: 13:39 |
		// 27/01/2021" under the body, as many Vietnamese portals do): that
		// is the closest to a publication time it gives, as htmldate
		// takes it. Modified keeps it too.
		art.Published, art.Fields["published"], art.Rules["published"] = art.Modified, art.Fields["modified"], RulePubModified
	}
}

// dateSearch is one page's search for its dates: the page's clock for
// relative dates and the memo of the last printed date parsed (the
// profile's date element is often scanned again).
type dateSearch struct {
	x    *Extractor
	now  time.Time
	memo dateMemo
}

// parse parses one machine-readable or printed timestamp.
func (d *dateSearch) parse(s string) (time.Time, bool) {
	return d.x.timeParser.Parse(s, d.x.loc, d.now)
}

// metaPublished sets Published from the meta tags and JSON-LD (see
// bestMetaPub), else the container's <time datetime> and datePublished
// items, else those of the rest of the page outside chrome.
func (d *dateSearch) metaPublished(art *Article, meta *pageMeta, container, root *html.Node) {
	t, rule, ok := d.bestMetaPub(meta)
	if !ok {
		t, ok = d.timeElements(container)
		rule = RulePubTime
	}
	if !ok && container != root {
		t, ok = d.timeElements(root)
	}
	if ok {
		art.Published, art.Fields["published"], art.Rules["published"] = t, MethodMeta, rule
	}
}

// metaModified sets Modified from the first modification time in meta
// tags (modMetaKeys, in order), else JSON-LD.
func (d *dateSearch) metaModified(art *Article, meta *pageMeta) {
	for _, k := range modMetaKeys {
		if t, ok := d.parse(meta.meta[k]); ok {
			art.Modified, art.Fields["modified"] = t, MethodMeta
			break
		}
	}
	if art.Modified.IsZero() {
		if t, ok := d.parse(meta.ldMod); ok {
			art.Modified, art.Fields["modified"] = t, MethodMeta
		}
	}
}

// profileDates sets what metadata left open from the profile's published
// and modified elements; a published element may print the modification
// time too ("… Cập nhật: …").
func (d *dateSearch) profileDates(art *Article, root *html.Node) {
	sel := &d.x.sel
	if art.Published.IsZero() && sel.published != nil {
		if t, m, ok := d.fromElement(sel.published, root); ok {
			art.Published, art.Fields["published"], art.Rules["published"] = t, MethodProfile, RulePubProfile
			if art.Modified.IsZero() && !m.IsZero() {
				art.Modified, art.Fields["modified"] = m, MethodProfile
			}
		}
	}
	if art.Modified.IsZero() && sel.modified != nil {
		if t, _, ok := d.fromElement(sel.modified, root); ok {
			art.Modified, art.Fields["modified"] = t, MethodProfile
		}
	}
}

// fromElement parses the first element s matches: its datetime or content
// attribute, else its text, which may carry a modification time too.
func (d *dateSearch) fromElement(s *selector, root *html.Node) (t, mod time.Time, ok bool) {
	n := s.MatchFirst(root)
	if n == nil {
		return time.Time{}, time.Time{}, false
	}
	for _, k := range []string{"datetime", "content"} {
		if t, ok := d.parse(attr(n, k)); ok {
			return t, time.Time{}, true
		}
	}
	t, mod, ok, _ = d.memo.parseDateText(d.x, nodeText(n), d.now)
	return t, mod, ok
}

// parseDateText parses a printed timestamp line; a "Cập nhật:"/"Updated"
// part is the modification time.
func (x *Extractor) parseDateText(s string, now time.Time) (pub, mod time.Time, okPub, okMod bool) {
	if s == "" || len(s) > 300 {
		return
	}
	f := timeparse.Fold(s)
	for _, marker := range []string{"cap nhat", "updated", "last modified", "chinh sua", "sua lan cuoi"} {
		if i := strings.Index(f, marker); i >= 0 {
			pub, okPub = x.timeParser.Parse(f[:i], x.loc, now)
			mod, okMod = x.timeParser.Parse(f[i:], x.loc, now)
			return
		}
	}
	pub, okPub = x.timeParser.Parse(f, x.loc, now)
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

// scan looks for printed dates in the container: first elements whose
// class names a date, time or meta line (and parents of clock icons), then
// the short lines just above the title ("Bonn, 11.10.2021"), then short
// text outside the body, then HTML comments. Candidates after the
// title come before those above it; page headers, menus and footers that
// do not hold the title are skipped.
func (d *dateSearch) scan(container, body, title *html.Node) (pub, mod time.Time) {
	s := dateScan{
		body:       body,
		title:      title,
		afterTitle: title == nil || !isAncestor(container, title),
		pageLevel:  container.Type == html.DocumentNode || container.DataAtom == atom.Body || container.DataAtom == atom.Html,
	}
	s.walk(container, false)
	return d.first(s.classed, linesBefore(title), s.texts, s.comments, s.early)
}

// first parses the candidate texts, group after group, and returns the
// first publication time found with the first modification time found up
// to it.
func (d *dateSearch) first(groups ...[]string) (pub, mod time.Time) {
	for _, group := range groups {
		for _, s := range group {
			p, m, okp, okm := d.memo.parseDateText(d.x, s, d.now)
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

// dateScan gathers the date candidates of a container in one walk, in
// document order within each group.
type dateScan struct {
	body, title *html.Node
	// afterTitle is set once the walk has passed the title, or from the
	// start when the container does not hold it.
	afterTitle bool
	// pageLevel: the container is the whole page, where class names of
	// page chrome count (see isChrome).
	pageLevel bool

	classed  []string // text of date-classed elements and clock icons' parents, after the title
	texts    []string // short text nodes with digits outside the body, after the title
	comments []string // short HTML comments with digits
	early    []string // date-classed and text candidates above the title
}

// walk gathers the candidates below n; inBody is set inside the body
// element, whose text nodes are not candidates.
func (s *dateScan) walk(n *html.Node, inBody bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if !inBody {
				s.text(c.Data)
			}
		case html.CommentNode:
			if len(c.Data) <= 300 && hasDigit(c.Data) {
				s.comments = append(s.comments, c.Data)
			}
		case html.ElementNode:
			s.element(c, inBody)
		}
	}
}

// text takes a short text node holding digits.
func (s *dateScan) text(data string) {
	if len(data) > 200 {
		return
	}
	if t := strings.TrimSpace(data); len(t) >= 6 && hasDigit(t) {
		if s.afterTitle {
			s.texts = append(s.texts, t)
		} else {
			s.early = append(s.early, t)
		}
	}
}

// element takes the text of a date-classed element or a clock icon's
// parent and walks on below it; it skips elements without text (scripts,
// styles), the title itself (marking the walk as past it) and page chrome
// that does not hold the title.
func (s *dateScan) element(c *html.Node, inBody bool) {
	if isSkip(c.DataAtom) {
		return
	}
	if c == s.title {
		s.afterTitle = true
		return
	}
	cls := classID(c)
	if isChrome(c, cls, s.pageLevel) && (s.title == nil || !isAncestor(c, s.title)) {
		return
	}
	if c.DataAtom == atom.I && containsAny(cls, "clock", "calendar") && c.Parent != nil {
		if t := nodeText(c.Parent); len(t) <= 200 && hasDigit(t) {
			s.classed = append(s.classed, t)
		}
	}
	if containsAny(cls, "date", "time", "meta", "post-info", "publish", "posted", "created", "ngay", "thoigian", "thoi-gian") {
		// A timestamp in the title attribute ("Acum 3 ore" printed) first.
		for _, t := range [...]string{attr(c, "title"), nodeText(c)} {
			if len(t) <= 200 && hasDigit(t) {
				if s.afterTitle {
					s.classed = append(s.classed, t)
				} else {
					s.early = append(s.early, t)
				}
			}
		}
	}
	s.walk(c, inBody || c == s.body)
}

// isChrome reports whether n is page chrome: a header, navigation, menu or
// footer, a top bar, or a list of other articles (their dates are not
// this one's). Class names count only at page level (no article
// container found), where a "header" class is the site's header.
func isChrome(n *html.Node, cls string, pageLevel bool) bool {
	switch n.DataAtom {
	case atom.Header, atom.Nav, atom.Footer, atom.Aside, atom.Menu:
		return true
	}
	if classname.IsRelatedList(cls) {
		return true
	}
	if !pageLevel {
		return classname.HasWord(cls, "navbar", "menu", "sidebar", "breadcrumb", "weather", "today")
	}
	return classname.HasWord(cls, "header", "topbar", "top-bar", "top_bar", "footer", "navbar", "menu", "sidebar", "breadcrumb", "weather", "today")
}

func hasDigit(s string) bool {
	return strings.IndexAny(s, "0123456789") >= 0
}
