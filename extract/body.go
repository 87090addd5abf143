package extract

import (
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/parc-archiver/parc/extract/internal/readable"
	"github.com/parc-archiver/parc/extract/internal/responsive"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// body decides the body's paragraphs and Article.Extraction: the
// profile's body element cleaned by parc's boilerplate rules, else (no
// such element, or no paragraph left of it) what generic extraction
// (go-readability) finds in the rest of the page, cleaned alike. The tags
// and images the rules find join Article.Tags and Article.Images. Leading lines
// that are not article text go (see trimBodyStart).
func (x *Extractor) body(pg *pageState) {
	art := pg.art
	labels := pageLabels(pg)
	if pg.bodyEl != nil {
		x.profileBodyText(pg)
	}
	if art.Extraction == "" {
		x.genericBody(pg)
	}
	art.Fields["body"] = art.Extraction
	art.Tags = mergeTags(art.Tags, pg.cleaning.tags)
	if len(art.Tags) > 0 && art.Fields["tags"] == "" {
		art.Fields["tags"] = MethodHeuristic
	}
	art.Images = pg.cleaning.images
	x.standfirstBeforeBody(pg, labels)
	if x.trimBodyStart(pg, labels) {
		x.standfirstBeforeBody(pg, labels) // one printed below more lines than it looks at (label, date, headline, byline)
	}
}

// profileBodyText cleans the profile's body element and takes its
// paragraphs; Extraction is MethodProfile when there are any.
func (x *Extractor) profileBodyText(pg *pageState) {
	st := &pg.cleaning
	st.root = pg.bodyEl
	x.clean(st)
	pg.paras = paragraphs(pg.bodyEl)
	if len(pg.paras) > 0 {
		pg.art.Extraction = MethodProfile
	}
}

// genericBody finds the body of a page without a profile body element:
// the dense body when there is one (denseBody), else it runs
// go-readability on what is left of the page (blocks shown from a
// breakpoint on unmarked as hidden first), cleans the element it returns
// and takes its paragraphs; when that leaves none (readability took a
// cookie notice), the article container's. Extraction is MethodFallback
// either way, even when it finds nothing. The byline becomes the author
// candidate when no author element named one.
func (x *Extractor) genericBody(pg *pageState) {
	pg.art.Extraction = MethodFallback
	if x.denseBody(pg) {
		return
	}
	responsive.Unhide(pg.root) // go-readability drops what "hidden md:block" hides on phones
	p := readability.NewParser()
	p.KeepClasses = true
	ra, err := p.ParseAndMutate(pg.root, pg.in.URL)
	if err == nil && ra.Node != nil {
		setAtoms(ra.Node)
		x.cleanBody(pg, ra.Node)
		x.authorCandidate(pg, ra.Byline())
	}
	if len(pg.paras) == 0 {
		if c := containerBody(pg); c != nil {
			x.cleanBody(pg, c)
		}
	}
}

// denseBody takes the body from the element whose own paragraphs clearly
// hold the page's text (readable.DenseBody) when the headline is outside
// it and no standfirst is printed between them (readable.ProseBefore), and
// readability's byline rule (genericByline) gives the author candidate:
// go-readability, two fifths of generic extraction's time, would pick the
// same block. It reports whether it did; when it finds no paragraphs
// there, go-readability gets the page less what cleaning removed, and
// the audit trail forgets those removals.
func (x *Extractor) denseBody(pg *pageState) bool {
	c := readable.DenseBody(pg.root)
	if c == nil || pg.titleEl != nil && isAncestor(c, pg.titleEl) || readable.ProseBefore(c, pg.titleEl) {
		return false
	}
	byline := genericByline(pg.root, pg.meta)
	st := &pg.cleaning
	removed, tags := len(st.removed), len(st.tags)
	st.dense = true
	x.cleanBody(pg, c)
	st.dense = false
	if len(pg.paras) == 0 {
		st.removed, st.tags = st.removed[:removed], st.tags[:tags] // the audit trail tells of the body taken
		return false
	}
	x.authorCandidate(pg, byline)
	return true
}

// authorCandidate makes generic extraction's byline b the author
// candidate when no author element named one.
func (x *Extractor) authorCandidate(pg *pageState, b string) {
	if b := cleanText(b); pg.author == "" && b != "" && !moreRunes(b, 100) && !isSiteName(b, pg.site, pg.host) && !firstInComments(pg.root, b) {
		pg.author = b
	}
}

// firstInComments reports whether text is first printed inside a comment
// or reply (go-readability takes "comment-author" for a byline).
func firstInComments(root *html.Node, text string) bool {
	n := findElement(root, func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && strings.Contains(c.Data, text) {
				return true
			}
		}
		return false
	})
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && containsAny(classID(n), "comment", "reply", "respond") {
			return true
		}
	}
	return false
}

// cleanBody cleans node by the boilerplate rules and takes its paragraphs.
func (x *Extractor) cleanBody(pg *pageState, node *html.Node) {
	st := &pg.cleaning
	st.root = node
	st.images = st.images[:0] // images of a body that yielded no text
	x.clean(st)
	pg.paras = paragraphs(node)
}

// containerBody is the body of a page whose article generic extraction
// cannot find (a post of three short lines): the article container, or,
// when that is the whole page, the first block around the headline with
// more than 200 runes of text; nil when
// neither is an element of its own below <body> still in the page.
func containerBody(pg *pageState) *html.Node {
	c := pg.container
	if (c == nil || c.DataAtom == atom.Body || c.DataAtom == atom.Html) && pg.titleEl != nil {
		c = pg.titleEl.Parent
		for c != nil && c.Parent != nil && c.Parent.DataAtom != atom.Body && !moreRunes(nodeText(c), 200) {
			c = c.Parent // the headline's own box (title and date): the post is beside it
		}
	}
	if c == nil || c.Type != html.ElementNode || c.DataAtom == atom.Body || c.DataAtom == atom.Html || !isAncestor(pg.root, c) {
		return nil
	}
	return c
}

// mergeTags appends to a the tags of b it lacks.
func mergeTags(a, b []string) []string {
	for _, t := range b {
		if !containsString(a, t) {
			a = append(a, t)
		}
	}
	return a
}

// setAtoms gives the elements generic extraction created (the <p> it
// turns a div of text into) their DataAtom, which it leaves zero: without
// it such a paragraph is no block, and the headline, the meta line and
// the standfirst it made paragraphs of run into one line.
func setAtoms(n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == 0 {
		n.DataAtom = atom.Lookup([]byte(n.Data))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		setAtoms(c)
	}
}
