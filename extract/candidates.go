package extract

import (
	"github.com/parc-archiver/parc/extract/internal/byname"
	"github.com/parc-archiver/parc/extract/template"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// candidates finds the elements the other stages work from, after
// deleting what the profile's remove selectors match: the page's metadata,
// the headline element (the profile's title, else the first <h1> outside
// page chrome), the profile's body element, and the container holding the
// whole article.
func (x *Extractor) candidates(pg *pageState) {
	x.removeProfile(pg.root, &pg.cleaning)
	tm := x.template(pg)
	for _, n := range tm.AuthorMetas(pg.root) {
		pg.cleaning.remove(n, RuleTemplateAuthor)
	}
	pg.meta = readMeta(pg.root)
	if pg.site = pg.meta.siteName(); pg.site == "" {
		pg.site = logoName(pg.root)
	}
	if pg.site == "" {
		if names := tm.SiteNames(pg.meta.title); len(names) > 0 {
			pg.site = names[len(names)-1]
		}
	}
	pg.profileTitle, pg.titleEl = x.profileTitle(pg.root)
	pg.bodyEl = x.profileBody(pg.root)
	article := firstMatch{sel: x.articleSel, root: pg.root}
	if pg.titleEl == nil {
		if c := visibleHeadline(pg.root, newHeadRefs(pg.meta)); c.n != nil {
			pg.titleEl, pg.seenTitle = c.n, c.title()
		}
	}
	if pg.titleEl == nil {
		pg.titleEl = x.findH1(pg.root, &article)
	}
	pg.container = x.container(pg.root, pg.titleEl, pg.bodyEl, &article)
}

// template is the portal's template model when it applies to the page.
func (x *Extractor) template(pg *pageState) *template.Model {
	if x.opts.Template.AppliesTo(pg.host) {
		return x.opts.Template
	}
	return nil
}

// removeTemplate deletes the blocks the template model knows, but a
// date or what may be a name (both short): pages of one day, or by one
// author, print those alike too.
func (x *Extractor) removeTemplate(pg *pageState) {
	for _, b := range x.template(pg).TemplateBlocks(pg.root) {
		if b.Size < 200 {
			t := nodeText(b.Node)
			if _, _, dated, _ := x.parseDateText(t, pg.in.FetchedAt); dated || byname.IsShortName(t, 6, 60) {
				continue
			}
		}
		if !isAncestor(b.Node, pg.titleEl) {
			pg.cleaning.remove(b.Node, RuleTemplateBlock)
		}
	}
}

// removeProfile deletes what the profile's remove selectors match, one
// selector after the other, each over what the previous ones left.
func (x *Extractor) removeProfile(root *html.Node, st *cleanState) {
	if x.sel.removeLocal {
		// One walk finds what the selector-by-selector removal would
		// delete; the removals then happen in the same order (by
		// selector, then in document order), so that each element's
		// audit text lacks exactly what earlier selectors took from it.
		found := matchRemove(root, x.sel.removeList, len(x.sel.remove), nil)
		slices.SortStableFunc(found, func(a, b removeMatch) int { return a.sel - b.sel })
		for _, m := range found {
			st.remove(m.n, RuleProfileRemove)
		}
		return
	}
	for _, s := range x.sel.remove {
		for _, n := range s.MatchAll(root) {
			if n.Parent != nil && isAncestor(root, n) {
				st.remove(n, RuleProfileRemove)
			}
		}
	}
}

// profileTitle returns the text and the element of the profile's title,
// or "" and nil when the selector is unset or its first match has no text.
func (x *Extractor) profileTitle(root *html.Node) (string, *html.Node) {
	if x.sel.title == nil {
		return "", nil
	}
	n := x.sel.title.MatchFirst(root)
	if n == nil {
		return "", nil
	}
	t := nodeText(n)
	if t == "" {
		return "", nil
	}
	return t, n
}

// profileBody returns the profile's body element, or nil when the
// selector is unset or its first match has no text.
func (x *Extractor) profileBody(root *html.Node) *html.Node {
	if x.sel.body == nil {
		return nil
	}
	if n := x.sel.body.MatchFirst(root); n != nil && hasText(n) {
		return n
	}
	return nil
}

// firstMatch is the first element sel matches below root, looked for
// only when first asked (see get).
type firstMatch struct {
	sel  *selector
	root *html.Node
	el   *html.Node
	done bool
}

// get returns the first element m.sel matches, or nil.
func (m *firstMatch) get() *html.Node {
	if !m.done {
		m.done = true
		m.el = m.sel.MatchFirst(m.root)
	}
	return m.el
}

// findH1 returns the first <h1> with at least two words outside the page
// header and navigation, preferring one inside the first article element.
func (x *Extractor) findH1(root *html.Node, article *firstMatch) *html.Node {
	ok := func(n *html.Node) bool {
		if n.DataAtom != atom.H1 || !moreWords(nodeText(n), 1) {
			return false
		}
		for p := n.Parent; p != nil; p = p.Parent {
			if p.DataAtom == atom.Header || p.DataAtom == atom.Nav || p.DataAtom == atom.Footer {
				return false
			}
		}
		return true
	}
	if a := article.get(); a != nil {
		if h := findElement(a, ok); h != nil {
			return h
		}
	}
	return findElement(root, ok)
}

// container finds the element holding the whole article (title, date,
// body), so that page chrome around it is not mistaken for article data.
// article is the first element articleSel matches.
func (x *Extractor) container(root, title, body *html.Node, article *firstMatch) *html.Node {
	if title != nil && body != nil {
		if c := commonAncestor(title, body); c != nil && c.Type == html.ElementNode && c.DataAtom != atom.Html {
			return c
		}
	}
	if a := article.get(); a != nil && (body == nil || isAncestor(a, body)) && (title == nil || isAncestor(a, title) || body != nil) {
		return a
	}
	if body != nil && body.Parent != nil && body.Parent.Type == html.ElementNode {
		return body.Parent
	}
	if title != nil {
		for n := title.Parent; n != nil && n.Type == html.ElementNode; n = n.Parent {
			if t, _, _ := textLen(n, false); t >= 500 || n.DataAtom == atom.Body {
				return n
			}
		}
	}
	if b := findElement(root, func(n *html.Node) bool { return n.DataAtom == atom.Body }); b != nil {
		return b
	}
	return root
}

// logoName is the alt text of the page's logo (an image whose src, class
// or id, or whose link's, says "logo"): the site's name when the metadata
// gives none.
func logoName(root *html.Node) string {
	n := findElement(root, func(n *html.Node) bool {
		if n.DataAtom != atom.Img || attr(n, "alt") == "" {
			return false
		}
		s := strings.ToLower(attr(n, "src")) + " " + classID(n)
		if p := n.Parent; p != nil && p.Type == html.ElementNode {
			s += " " + classID(p)
		}
		return strings.Contains(s, "logo")
	})
	if n == nil {
		return ""
	}
	return cleanText(attr(n, "alt"))
}
