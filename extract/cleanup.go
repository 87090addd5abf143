package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minFallbackBody is the shortest body (in runes) generic extraction may
// return.
const minFallbackBody = 25

// cleanup finishes the body: leading lines naming the byline and date
// lines beside them go, a first paragraph printed as a lead becomes
// Article.Lead when no lead element was found (and is dropped when it
// repeats the Lead), the paragraphs become Article.Body, and a body from
// generic extraction too short to be an article is dropped (a few words
// found generically are navigation).
func (x *Extractor) cleanup(pg *pageState) {
	x.trimLeadingMeta(pg)
	leadParagraph(pg)
	art := pg.art
	art.Body = joinParas(pg.paras)
	if art.Extraction == MethodFallback && !moreRunes(art.Body, minFallbackBody-1) {
		art.Body = ""
	}
}

// leadParagraph takes the lead out of the body's first paragraph: as
// Lead when it looks like one (isLeadPara) and no lead was found, or
// dropped when it is the Lead already found.
func leadParagraph(pg *pageState) {
	art, ps := pg.art, pg.paras
	switch {
	case art.Lead == "" && len(ps) > 1 && isLeadPara(ps[0], pg.cleaning.root):
		art.Lead, art.Fields["lead"], art.Rules["lead"] = ps[0].text, MethodHeuristic, RuleLeadParagraph
		pg.cleaning.removed = append(pg.cleaning.removed, Removal{Rule: RuleLead, What: "first paragraph", Text: shorten(ps[0].text, 80)})
		pg.paras = ps[1:]
	case art.Lead != "" && len(ps) > 0 && ps[0].text == art.Lead:
		pg.paras = ps[1:]
	}
}

// isLeadPara reports whether the first body paragraph is a lead: a
// sapo/lead/summary class (not a utility class "leading-7", the line
// height), or a long paragraph printed in bold.
func isLeadPara(p para, root *html.Node) bool {
	for n := p.node; n != nil && n != root; n = n.Parent {
		if cls := classID(n); containsAny(cls, "sapo", "lead", "summary", "chapeau") && !containsAny(cls, "leading") {
			return true
		}
	}
	return p.bold && moreWords(p.text, 9) && !isHeading(p.node)
}

// isHeading reports whether n is an <h1> … <h6>.
func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// joinParas joins the paragraphs' texts with "\n\n" (as strings.Join).
func joinParas(ps []para) string {
	switch len(ps) {
	case 0:
		return ""
	case 1:
		return ps[0].text
	}
	n := 2 * (len(ps) - 1)
	for _, p := range ps {
		n += len(p.text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p.text)
	}
	return b.String()
}
