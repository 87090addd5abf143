package extract

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/extract/internal/classname"
	"github.com/parc-archiver/parc/extract/internal/related"
	"github.com/parc-archiver/parc/extract/internal/sponsor"
)

// Rule names recorded in Removal.Rule.
const (
	RuleProfileRemove = "profile-remove"
	// The template model's (Options.Template): a block most of the
	// portal's pages print, a meta[name=author] they all give.
	RuleTemplateBlock  = "template-block"
	RuleTemplateAuthor = "template-author"
	RuleSponsorLinks   = "sponsor-links"
	RuleScripts        = "scripts"
	RuleNavigation     = "navigation"
	RuleShareBars      = "share-bars"
	RuleRelatedLists   = "related-lists"
	RuleTags           = "tags"
	RuleCaptions       = "captions"
	RuleLinkDensity    = "link-density"
	RuleUnlikely       = "unlikely-blocks" // generic extraction's dense body only: readability's unlikely candidates
	RuleFormWidgets    = "form-widgets"    // generic extraction's dense body only: blocks of form controls
	RuleByline         = "byline"
	RuleLead           = "lead"
)

// cleanState records what extraction removes from one page (every stage
// removes through it) and is what the boilerplate rules share while
// cleaning the body (root).
type cleanState struct {
	x        *Extractor
	root     *html.Node
	base     *url.URL
	rootText int  // non-space runes in root before cleaning; -1 until counted
	dense    bool // root is generic extraction's dense body (readable.DenseBody)
	removed  []Removal
	detached []*html.Node // the elements removed, for checks that read the page as served
	tags     []string
	images   []Image
	buf      []byte // scratch for the raw text of removed elements
}

// remove detaches n and records it under rule.
func (st *cleanState) remove(n *html.Node, rule string) {
	st.countRoot()
	st.record(n, rule)
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
	if n.Type == html.ElementNode {
		st.detached = append(st.detached, n)
	}
}

func (st *cleanState) record(n *html.Node, rule string) {
	r := Removal{Rule: rule, What: describe(n)}
	switch {
	case n.Type == html.TextNode:
		r.Text = cleanText(n.Data)
		if !st.x.opts.Explain {
			r.Text = shorten(r.Text, 80)
		}
	case st.x.opts.Explain:
		r.Text = nodeText(n)
	default:
		st.buf = appendText(st.buf[:0], n)
		r.Text = shortText(st.buf, 80)
	}
	st.removed = append(st.removed, r)
}

// countRoot counts the text of the body being cleaned (rootText) if it
// is not counted yet. Only tooBig needs the count, and most bodies never
// reach it; every removal calls countRoot first, so the count is the
// body's before cleaning.
func (st *cleanState) countRoot() {
	if st.rootText < 0 {
		st.rootText, _, _ = textLen(st.root, false)
	}
}

// tooBig guards class-based rules: an element holding most of the body is
// the body, whatever its class says.
func (st *cleanState) tooBig(n *html.Node) bool {
	if st.countRoot(); st.rootText < 300 {
		return false
	}
	t, _, _ := textLen(n, false)
	return t*10 > st.rootText*6
}

// rule is one boilerplate rule. Element rules set match (called on every
// element below the body root, in document order, with its lower-case
// class and id); others set apply and walk the body themselves.
type rule struct {
	Name  string
	match func(st *cleanState, n *html.Node, cls string) bool
	apply func(st *cleanState)
}

// defaultRules is parc's ordered boilerplate rule list. Every rule runs on
// every body, whether or not the profile names the blocks.
func defaultRules() []rule {
	return []rule{
		{Name: RuleSponsorLinks, apply: applySponsorLinks},
		{Name: RuleFormWidgets, match: matchFormWidget},
		{Name: RuleScripts, match: matchScripts},
		{Name: RuleNavigation, match: matchNavigation},
		{Name: RuleShareBars, match: matchShareBars},
		{Name: RuleRelatedLists, match: matchRelated},
		{Name: RuleTags, apply: applyTags},
		{Name: RuleCaptions, apply: applyCaptions},
		{Name: RuleLinkDensity, apply: applyLinkDensity},
		{Name: RuleUnlikely, match: matchUnlikely},
	}
}

// clean runs every rule over st.root.
func (x *Extractor) clean(st *cleanState) {
	st.rootText = -1 // counted when first needed, before anything is removed
	for _, r := range x.rules {
		if r.apply != nil {
			r.apply(st)
			continue
		}
		walkRemove(st.root, func(n *html.Node) bool {
			if r.match(st, n, classID(n)) {
				st.remove(n, r.Name)
				return true
			}
			return false
		})
	}
}

// walkRemove calls f on every element below root in document order; when
// f returns true (it removed the element) the element's subtree is skipped.
func walkRemove(root *html.Node, f func(*html.Node) bool) {
	for c := root.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if !f(c) {
				walkRemove(c, f)
			}
		}
		c = next
	}
}

// containsAny, hasTokenPrefix and hasToken test class names (package
// classname).
func containsAny(cls string, subs ...string) bool { return classname.ContainsAny(cls, subs...) }
func hasTokenPrefix(cls string, prefixes ...string) bool {
	return classname.HasTokenPrefix(cls, prefixes...)
}
func hasToken(cls string, toks ...string) bool { return classname.HasToken(cls, toks...) }

// --- sponsor-links ---

// applySponsorLinks removes the VIEPortal "Sponsor links (Provided by
// VIEPortal.net …)" block: from the element that starts it to the end of
// its container. It also removes elements whose class or id names an
// advert or sponsor.
func applySponsorLinks(st *cleanState) {
	for {
		start := findSponsorStart(st.root)
		if start == nil {
			break
		}
		// Climb while the block starts its parent (nothing printed before it).
		for start.Parent != nil && start.Parent != st.root && firstContent(start.Parent) == start {
			start = start.Parent
		}
		parent := start.Parent
		if parent == nil {
			break
		}
		for n := start; n != nil; {
			next := n.NextSibling
			if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
				st.countRoot()
				parent.RemoveChild(n)
			} else {
				st.remove(n, RuleSponsorLinks)
			}
			n = next
		}
	}
	walkRemove(st.root, func(n *html.Node) bool {
		cls := classID(n)
		if cls == "" {
			return false
		}
		if (containsAny(cls, "sponsor", "advert", "quangcao", "quang-cao", "banner") ||
			hasTokenPrefix(cls, "ads-", "ads_", "ad-", "adv-", "adsbygoogle", "advertisement")) && !st.tooBig(n) {
			st.remove(n, RuleSponsorLinks)
			return true
		}
		return false
	})
}

// findSponsorStart returns the text node that opens a sponsor-links block.
func findSponsorStart(root *html.Node) *html.Node {
	var found *html.Node
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if sponsor.IsHeading(c.Data) {
					found = c
					return true
				}
			case html.ElementNode:
				if isSkip(c.DataAtom) {
					continue
				}
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	walk(root)
	return found
}

// firstContent is n's first child that is not whitespace or a comment.
func firstContent(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.CommentNode:
			continue
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", " ")) == "" {
				continue
			}
		}
		return c
	}
	return nil
}

// --- element rules ---

func matchScripts(_ *cleanState, n *html.Node, _ string) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Iframe, atom.Noscript, atom.Form, atom.Button,
		atom.Object, atom.Embed, atom.Template, atom.Select, atom.Textarea, atom.Input,
		atom.Link, atom.Meta:
		return true
	}
	return false
}

func matchNavigation(st *cleanState, n *html.Node, cls string) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Menu:
		return true
	case atom.Header, atom.Footer, atom.Aside:
		return !st.tooBig(n)
	}
	if strings.EqualFold(attr(n, "role"), "navigation") {
		return true
	}
	return (containsAny(cls, "breadcrumb", "crumbs", "pagination", "pager", "paging", "phan-trang") ||
		hasTokenPrefix(cls, "menu", "nav-", "navbar", "navigation")) && !st.tooBig(n)
}

func matchShareBars(st *cleanState, n *html.Node, cls string) bool {
	if !containsAny(cls, "share", "social", "print", "email", "facebook", "zalo", "twitter",
		"addthis", "toolbar", "tool-bar", "sharing", "fb-", "bookmark") {
		return false
	}
	t, _, _ := textLen(n, false)
	return t <= 300 && !st.tooBig(n)
}

func matchRelated(st *cleanState, n *html.Node, cls string) bool {
	return (classname.IsRelatedList(cls) || related.IsBlock(n)) && !st.tooBig(n)
}

// --- tags ---

func isTagsBox(cls string) bool {
	return hasToken(cls, "tags", "tag", "keywords", "keyword") ||
		hasTokenPrefix(cls, "tag-", "tags-", "box-tag", "the-tag", "tag_", "tags_", "article-tags", "post-tags", "keyword-", "keywords-")
}

func applyTags(st *cleanState) {
	walkRemove(st.root, func(n *html.Node) bool {
		if !isTagsBox(classID(n)) || st.tooBig(n) {
			return false
		}
		st.tags = appendTags(st.tags, n)
		st.remove(n, RuleTags)
		return true
	})
}

// appendTags adds the link texts below n to tags, skipping duplicates.
func appendTags(tags []string, n *html.Node) []string {
	var walk func(*html.Node)
	walk = func(c *html.Node) {
		if c.Type == html.ElementNode && c.DataAtom == atom.A {
			t := strings.TrimLeft(nodeText(c), "#")
			t = strings.TrimRight(strings.TrimSpace(t), ",;")
			if t != "" && len(t) < 100 && !containsString(tags, t) {
				tags = append(tags, t)
			}
			return
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return tags
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// --- captions and images ---

func isCaptionClass(cls string) bool {
	return containsAny(cls, "caption", "expnoedit", "photo-desc", "image-desc", "img-desc", "desc_image", "photo_desc", "chu-thich", "chuthich")
}

// applyCaptions collects the body's images with their captions, then
// removes every caption (figcaption, caption classes, image+caption
// tables of Vietnamese CMSs) from the body.
func applyCaptions(st *cleanState) {
	var drop []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Img {
				img, box := st.imageOf(c)
				if img.URL != "" {
					st.images = append(st.images, img)
				}
				if box != nil {
					drop = append(drop, box)
				}
				continue
			}
			walk(c)
		}
	}
	walk(st.root)
	for _, n := range drop {
		if n.Parent != nil && isAncestor(st.root, n) && n != st.root {
			st.remove(n, RuleCaptions)
		}
	}
	walkRemove(st.root, func(n *html.Node) bool {
		cls := classID(n)
		if n.DataAtom == atom.Figcaption || (n.DataAtom == atom.Table && hasTokenPrefix(cls, "image")) ||
			(isCaptionClass(cls) && !st.tooBig(n)) {
			st.remove(n, RuleCaptions)
			return true
		}
		return false
	})
}

// imageOf describes img and returns the element holding its caption to
// remove (nil when the caption is found by class later, or none).
func (st *cleanState) imageOf(img *html.Node) (Image, *html.Node) {
	src := ""
	for _, k := range []string{"src", "data-src", "data-original", "data-lazy-src"} {
		if v := strings.TrimSpace(attr(img, k)); v != "" && !strings.HasPrefix(v, "data:") {
			src = v
			break
		}
	}
	im := Image{URL: resolveURL(st.base, src)}
	// <figure> … <figcaption>
	for p, depth := img.Parent, 0; p != nil && p != st.root.Parent && depth < 4; p, depth = p.Parent, depth+1 {
		if p.DataAtom == atom.Figure {
			if fc := findElement(p, func(n *html.Node) bool { return n.DataAtom == atom.Figcaption || isCaptionClass(classID(n)) }); fc != nil {
				im.Caption = nodeText(fc)
				return im, fc
			}
			break
		}
		if p.DataAtom == atom.Table {
			if p == st.root {
				break
			}
			if t, _, _ := textLen(p, false); t < 400 && countImages(p) == 1 {
				im.Caption = nodeText(p)
				return im, p
			}
			break
		}
	}
	if box := pictureBox(img, st.root); box != nil {
		im.Caption = nodeText(box)
		return im, box
	}
	// a caption element right after the image (or after its wrapper)
	for n, depth := img, 0; n != nil && n != st.root && depth < 3; n, depth = n.Parent, depth+1 {
		if sib := nextElement(n); sib != nil && isCaptionClass(classID(sib)) {
			im.Caption = nodeText(sib)
			return im, sib
		}
		if t, _, _ := textLen(n.Parent, false); t > 0 && n.Parent != nil {
			break
		}
	}
	return im, nil
}

// pictureBox returns the element around img that holds only the
// picture and its caption, when the caption is printed in an inline
// element after the image (<div><img><em>caption</em></div>, the same as
// a <p> made of it): one image, a short text, nothing else; nil otherwise.
func pictureBox(img, root *html.Node) *html.Node {
	box := img.Parent
	if box == nil || box == root || box.DataAtom == atom.A || countImages(box) != 1 {
		return nil
	}
	seenImg, caption := false, false
	for c := box.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c == img:
			seenImg = true
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return nil // text of a paragraph around an inline picture
		case c.Type != html.ElementNode || isSkip(c.DataAtom) || c.DataAtom == atom.Br:
		case !seenImg || isBlock(c.DataAtom) || caption:
			return nil
		case c.DataAtom == atom.Em || c.DataAtom == atom.I || c.DataAtom == atom.Small || c.DataAtom == atom.Span || c.DataAtom == atom.Cite:
			caption = true
		default:
			return nil
		}
	}
	if t := nodeText(box); !caption || t == "" || moreRunes(t, 300) {
		return nil
	}
	return box
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

func countImages(n *html.Node) int {
	c := 0
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode && x.DataAtom == atom.Img {
			c++
		}
		for k := x.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return c
}

func resolveURL(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// --- link-density ---

// linkCount is the number of links textLen(n, …) reports: <a> elements
// below n (n included) outside script-like elements.
func linkCount(n *html.Node) int {
	k := 0
	if n.Type == html.ElementNode {
		if isSkip(n.DataAtom) {
			return 0
		}
		if n.DataAtom == atom.A {
			k = 1
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		k += linkCount(c)
	}
	return k
}

// applyLinkDensity removes blocks after the start of the article text that
// are mostly link text (more than half, at least three links): sponsor and
// "read also" boxes no other rule names.
func applyLinkDensity(st *cleanState) {
	seen := 0
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			// seen only matters until it reaches 50, and a block's text
			// is counted only when the rule needs it.
			switch c.Type {
			case html.TextNode:
				if seen < 50 {
					seen += countVisible(c.Data)
				}
			case html.ElementNode:
				switch c.DataAtom {
				case atom.Div, atom.Ul, atom.Ol, atom.P, atom.Table, atom.Section, atom.Aside:
					if seen >= 50 && linkCount(c) >= minListLinks(c.DataAtom) {
						if t, l, _ := textLen(c, false); l*2 > t && !st.tooBig(c) {
							st.remove(c, RuleLinkDensity)
							c = next
							continue
						}
					}
				}
				if depth < 3 && isBlock(c.DataAtom) {
					walk(c, depth+1)
				} else if seen < 50 {
					t, _, _ := textLen(c, false)
					seen += t
				}
			}
			c = next
		}
	}
	walk(st.root, 0)
}

// minListLinks is the fewest links a block of mostly link text needs for
// the link-density rule: two for a list or a box (a related list of two
// titles under its heading), three for a paragraph or a table.
func minListLinks(a atom.Atom) int {
	if a == atom.P || a == atom.Table {
		return 3
	}
	return 2
}
