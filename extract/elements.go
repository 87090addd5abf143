package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The stages in this file read fields printed in elements of their own,
// outside the body text. They run before the body stage, which cleans the
// body and may hand the page to generic extraction: an element they find
// inside the body element is removed from it, and recorded.

// category decides Article.Category: the profile's category element,
// else the article:section meta tag.
func (x *Extractor) category(pg *pageState) {
	art := pg.art
	if x.sel.category != nil {
		if n := x.sel.category.MatchFirst(pg.root); n != nil {
			if t := nodeText(n); t != "" {
				art.Category, art.Fields["category"] = t, MethodProfile
				return
			}
		}
	}
	if v := cleanText(pg.meta.meta["article:section"]); v != "" {
		art.Category, art.Fields["category"] = v, MethodMeta
	}
}

// bylineElements reads the byline elements: the profile's byline element
// decides Article.Byline, and the first dedicated author element of the
// container becomes the author candidate for the byline stage.
func (x *Extractor) bylineElements(pg *pageState) {
	x.profileByline(pg)
	x.authorElements(pg)
}

// profileByline sets Byline from the profile's byline element (its text,
// else its content attribute), unless that is empty or longer than a
// byline can be.
func (x *Extractor) profileByline(pg *pageState) {
	if x.sel.byline == nil {
		return
	}
	n := x.sel.byline.MatchFirst(pg.root)
	if n == nil {
		return
	}
	t := elementText(n)
	if t == "" || moreRunes(t, 200) {
		return
	}
	pg.art.Byline, pg.art.Fields["byline"] = t, MethodProfile
	if pg.bodyEl != nil && isAncestor(pg.bodyEl, n) && n != pg.bodyEl {
		pg.cleaning.remove(n, RuleByline)
	}
}

// authorElements takes the author elements of the container (authorSel):
// the first naming someone, with the author elements of its kind beside
// it (one per author: same parent, tag and class) joined with ", ", becomes
// pg.author; every one of them inside the body element is removed from
// it. An author element holding another (div.byline around span.author)
// leaves the name to the inner one.
func (x *Extractor) authorElements(pg *pageState) {
	body := pg.bodyEl
	ms := x.authorSel.MatchAll(pg.container)
	var first *html.Node
	var names []string
	for i, n := range ms {
		if body == n || n.Parent == nil || !isAncestor(pg.root, n) || i+1 < len(ms) && isAncestor(n, ms[i+1]) {
			continue
		}
		t := authorText(n)
		if t == "" || moreRunes(t, 100) {
			continue
		}
		if _, ok := bylineText(t); !ok { // a label of its own ("Von"), a date
			continue
		}
		switch {
		case first == nil:
			first, names = n, []string{t}
		case n.Parent == first.Parent && n.Data == first.Data && attr(n, "class") == attr(first, "class") && len(names) < 4 && !containsString(names, t):
			names = append(names, t)
		}
	}
	if pg.author == "" && len(names) > 0 {
		pg.author, pg.authorRule = strings.Join(names, ", "), "author-element"
	}
	if body == nil {
		return
	}
	for _, n := range ms {
		if body != n && n.Parent != nil && isAncestor(body, n) && isAncestor(pg.root, n) {
			if t := authorText(n); t != "" && !moreRunes(t, 100) { // a long one is no byline element
				pg.cleaning.remove(n, RuleByline)
			}
		}
	}
}

// themeAuthor is the last resort for a byline: the first element below
// container, in document order, whose class or id names an author or a
// byline in a theme's own form ("story__authorname", "post-author",
// "authorName") and not a part of one (a label, a bio, a date, an
// avatar) or another's (a comment's, a related article's), holding no
// other such element, whose short text names someone.
func themeAuthor(container *html.Node) string {
	var found string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) (inner bool) {
		for c := n.FirstChild; c != nil && found == ""; c = c.NextSibling {
			if c.Type != html.ElementNode || isSkip(c.DataAtom) {
				continue
			}
			named := namesAuthor(classID(c))
			if walk(c) || found != "" {
				return true
			}
			if !named {
				continue
			}
			if t := authorText(c); t != "" && !moreRunes(t, 100) {
				if _, ok := bylineText(t); ok {
					found = t
				}
			}
			inner = true
		}
		return inner
	}
	walk(container)
	return found
}

// namesAuthor reports whether a class or id names an author element
// (author, byline, writer, tác giả).
func namesAuthor(cls string) bool {
	return isAuthorClass(cls) && !notAuthorClass(cls) && !containsAny(cls, "prefix", "title", "url", "link") &&
		!containsAny(cls, "avatar", "photo", "image", "img", "thumb", "icon", "social", "follow", "share", "comment", "reply", "related")
}

// authorText is the text of author element n without what its
// descendants print beside the name: a label ("By", span.credit-label),
// a job title (span.job-title), a date, a short biography, tag links;
// a logo's alt text when it prints no name in letters.
func authorText(n *html.Node) string {
	var buf [128]byte
	b := buf[:0]
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = appendAuthorText(b, c)
	}
	if t := cleanBytes(b); strings.IndexFunc(t, unicode.IsLetter) >= 0 {
		return t
	}
	if img := findElement(n, func(c *html.Node) bool { return c.DataAtom == atom.Img }); img != nil && attr(img, "alt") != "" {
		return cleanText(attr(img, "alt")) // the author's logo
	}
	return cleanText(attr(n, "content"))
}

func appendAuthorText(b []byte, n *html.Node) []byte {
	if n.Type == html.ElementNode && (n.DataAtom == atom.Time || notAuthorClass(classID(n)) || strings.EqualFold(attr(n, "rel"), "tag")) {
		return append(b, ' ')
	}
	if n.Type != html.ElementNode || n.FirstChild == nil {
		return appendText(b, n)
	}
	if isBlock(n.DataAtom) {
		b = append(b, ' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = appendAuthorText(b, c)
	}
	if isBlock(n.DataAtom) {
		b = append(b, ' ')
	}
	return b
}

// notAuthorClass reports whether a class names what is printed beside an
// author's name rather than the name.
func notAuthorClass(cls string) bool {
	return containsAny(cls, "label", "job", "role", "position", "bio", "desc", "date", "time")
}

// elementText is n's text, else its content attribute (<meta
// itemprop="author" content="…">), cleaned.
func elementText(n *html.Node) string {
	if t := nodeText(n); t != "" {
		return t
	}
	return cleanText(attr(n, "content"))
}

// leadElement decides Article.Lead from an element: the profile's lead
// element, else a summary element of the container (leadSel inside an
// article container, the narrower leadPageSel on a whole page). The
// cleanup stage may still find a lead paragraph.
func (x *Extractor) leadElement(pg *pageState) {
	x.profileLead(pg)
	if pg.art.Lead == "" {
		x.containerLead(pg)
	}
}

// profileLead sets Lead from the profile's lead element.
func (x *Extractor) profileLead(pg *pageState) {
	if x.sel.lead == nil {
		return
	}
	n := x.sel.lead.MatchFirst(pg.root)
	if n == nil {
		return
	}
	t := nodeText(n)
	if t == "" {
		return
	}
	pg.art.Lead, pg.art.Fields["lead"], pg.art.Rules["lead"] = t, MethodProfile, RuleLeadProfile
	if pg.bodyEl != nil && isAncestor(pg.bodyEl, n) && n != pg.bodyEl {
		pg.cleaning.remove(n, RuleLead)
	}
}

// containerLead sets Lead from the container's first summary element of
// five words or more, unless that element is or holds the body element.
func (x *Extractor) containerLead(pg *pageState) {
	c, body := pg.container, pg.bodyEl
	ls := x.leadPageSel
	if c.DataAtom != atom.Body && c.Type != html.DocumentNode {
		ls = x.leadSel
	}
	n := ls.MatchFirst(c)
	if n == nil || n == body || body != nil && isAncestor(n, body) {
		return
	}
	t := nodeText(n)
	if !moreWords(t, 4) {
		return
	}
	pg.art.Lead, pg.art.Fields["lead"], pg.art.Rules["lead"] = t, MethodHeuristic, RuleLeadElement
	if body != nil && isAncestor(body, n) {
		pg.cleaning.remove(n, RuleLead)
	}
}

// tags collects Article.Tags from visible tag links: the profile's
// selector, else the tag boxes of the article container. Tag boxes inside
// the body element are removed from it by the profile's selector here,
// and by the tags rule in the body stage otherwise.
func (x *Extractor) tags(pg *pageState) {
	if x.sel.tags != nil && x.profileTags(pg) {
		pg.art.Fields["tags"] = MethodProfile
		return
	}
	if x.containerTags(pg) {
		pg.art.Fields["tags"] = MethodHeuristic
	}
}

// profileTags adds the tags the profile's selector matches (links, or
// the links inside matched boxes) and reports whether there are any.
func (x *Extractor) profileTags(pg *pageState) bool {
	art, body := pg.art, pg.bodyEl
	for _, n := range x.sel.tags.MatchAll(pg.root) {
		if n.DataAtom == atom.A {
			if t := nodeText(n); t != "" && !containsString(art.Tags, t) {
				art.Tags = append(art.Tags, t)
			}
		} else {
			art.Tags = appendTags(art.Tags, n)
		}
		if body != nil && n != body && isAncestor(body, n) && n.Parent != nil {
			pg.cleaning.remove(n, RuleTags)
		}
	}
	return len(art.Tags) > 0
}

// containerTags adds the links of the container's tag boxes (tagsSel)
// outside the body element, "#" trimmed, and reports whether there are
// any tags. On a whole page it adds none: only an article's own tag box
// counts, never a site-wide tag cloud.
func (x *Extractor) containerTags(pg *pageState) bool {
	c, art := pg.container, pg.art
	if c.DataAtom == atom.Body || c.Type == html.DocumentNode {
		return false
	}
	for _, a := range x.tagsSel.MatchAll(c) {
		if pg.bodyEl != nil && isAncestor(pg.bodyEl, a) {
			continue // the tags rule takes those
		}
		t := strings.TrimLeft(nodeText(a), "#")
		if t != "" && len(t) < 100 && !containsString(art.Tags, t) {
			art.Tags = append(art.Tags, t)
		}
	}
	return len(art.Tags) > 0
}
