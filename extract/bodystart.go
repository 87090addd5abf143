package extract

import (
	"strings"

	"github.com/parc-archiver/parc/extract/internal/classname"
	"github.com/parc-archiver/parc/extract/internal/section"
	"github.com/parc-archiver/parc/extract/internal/titlematch"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Rules of the body-start stage, recorded in Removal.Rule (and the last
// one that removed a line in Article.Rules["body-start"]).
const (
	RuleStartHeadline = "body-start/headline" // a line repeating the title
	RuleStartDate     = "body-start/date"     // a line made only of date parts
	RuleStartLabel    = "body-start/label"    // the category label, kicker or a breadcrumb item
	RuleStartByline   = "body-start/byline"   // a line naming the byline only ("Tác giả: NAME", "By NAME")
	// Rules that decide the lead (standfirst), in Article.Rules["lead"].
	RuleLeadProfile    = "lead/profile"         // the profile's lead element
	RuleLeadElement    = "lead/summary-element" // a summary element (VIEApps span.summary, a sapo class)
	RuleLeadParagraph  = "lead/first-paragraph" // a first paragraph printed as a lead (bold, or a lead class)
	RuleLeadBeforeBody = "lead/before-body"     // a block of text between the headline and the body element
	maxStartLines      = 4                      // leading lines looked at
	maxLabelWords      = 6                      // a label is a few words
)

// pageLabels collects the short texts printed as labels around the
// headline, which a body must not start with: the category
// (article:section), the elements just before the headline element (a
// VIEApps label, a kicker), the container's first kicker element, its
// first link to the section the article's URL is under, and the
// breadcrumb's items. Read before the body stage, which may take the
// page apart.
func pageLabels(pg *pageState) []string {
	var labels []string
	add := func(t string) {
		if t != "" && !moreWords(t, maxLabelWords) && !containsString(labels, t) {
			labels = append(labels, t)
		}
	}
	add(cleanText(pg.meta.meta["article:section"]))
	for _, t := range linesBefore(pg.titleEl) {
		add(t)
	}
	// One walk of the container finds its first kicker (wherever it
	// stands: the headline may be a <p> no rule finds) and its first link
	// to the section the article's URL is under.
	var kicker, sectionLink *html.Node
	findElement(pg.container, func(n *html.Node) bool {
		if kicker == nil && classname.IsKicker(classID(n)) {
			kicker = n
		}
		if sectionLink == nil && pg.in.URL != nil && n.DataAtom == atom.A && section.IsLink(attr(n, "href"), pg.in.URL) {
			sectionLink = n
		}
		return kicker != nil && (sectionLink != nil || pg.in.URL == nil)
	})
	for _, n := range [...]*html.Node{kicker, sectionLink} {
		if n != nil {
			add(nodeText(n))
		}
	}
	if bc := findElement(pg.root, func(n *html.Node) bool { return containsAny(classID(n), "breadcrumb", "crumbs") }); bc != nil {
		walkRemove(bc, func(n *html.Node) bool {
			if n.DataAtom == atom.A || n.DataAtom == atom.Li && ownText(n) {
				add(nodeText(n))
				return true
			}
			return false
		})
	}
	return labels
}

// trimBodyStart removes the body's leading lines that are not article
// text: the title repeated, a line of date parts only, the category label
// or a breadcrumb item, also when a theme prints them inline in one line
// ("Label Headline 01:39' PM - Thứ tư, 27/01/2021"); each removal is
// recorded with its rule. It reports whether it removed any.
func (x *Extractor) trimBodyStart(pg *pageState, labels []string) (trimmed bool) {
	for k := 0; k < maxStartLines && len(pg.paras) > 0; k++ {
		rest, rule := x.lineStart(pg, pg.paras[0].text, labels)
		if rule == "" {
			return trimmed
		}
		trimmed = true
		cut := strings.TrimSpace(strings.TrimSuffix(pg.paras[0].text, rest))
		pg.cleaning.removed = append(pg.cleaning.removed, Removal{Rule: rule, What: "leading line", Text: shorten(cut, 200)})
		pg.art.Rules["body-start"] = rule
		if rest != "" {
			pg.paras[0].text = rest
			return trimmed
		}
		pg.paras = pg.paras[1:]
	}
	return trimmed
}

// lineStart strips what is not article text from the start of a leading
// line: labels, the title, and a date line after them. It returns the
// rest ("" when nothing is left) and the rule of the last part stripped
// ("" when none was). A line that goes on with other text keeps its start
// unless two parts (a label and the title) were stripped from it: an
// article may start with the words of its title.
func (x *Extractor) lineStart(pg *pageState, line string, labels []string) (rest, rule string) {
	art := pg.art
	t, parts := line, 0
	for changed := true; changed && t != ""; {
		changed = false
		for _, p := range append([]string{art.Title, art.Category}, labels...) { // the title first: a label may be its first word
			if r, ok := titlematch.CutWordPrefix(t, p); ok {
				t, changed = r, true
				parts++
				rule = RuleStartLabel
				if p == art.Title {
					rule = RuleStartHeadline
				}
			}
		}
	}
	switch {
	case t != "" && x.timeParser.IsDateLine(t, x.loc, pg.in.FetchedAt):
		return "", RuleStartDate
	case t != "" && parts < 2:
		return line, ""
	}
	return t, rule
}

// Limits of the standfirst-before-body rule.
const (
	minStandfirstWords = 8  // a standfirst is a sentence
	maxStandfirstWords = 80 // and not a section of the article
	minBodyParaWords   = 12 // the paragraphs that say where the body element is
)

// standfirstBeforeBody takes the lead out of the leading lines when a
// theme prints it as a block of its own between the headline and the body
// element (a classed div after the meta line, which generic extraction
// keeps with the box around both): the last of at most maxStartLines
// leading lines that lie outside the element holding every later
// paragraph of minBodyParaWords words or more, when it is a sentence
// (not the headline, nor a line the body-start rules trim) and no lead was found, or repeats
// the one found.
func (x *Extractor) standfirstBeforeBody(pg *pageState, labels []string) {
	k := preBodyLines(pg.paras, func(t string) bool { return x.timeParser.IsDateLine(t, x.loc, pg.in.FetchedAt) })
	if k == 0 {
		return
	}
	p := pg.paras[k-1]
	art := pg.art
	if _, rule := x.lineStart(pg, p.text, labels); rule != "" || pg.titleEl != nil && isAncestor(pg.titleEl, p.node) || !moreWords(p.text, minStandfirstWords-1) || moreWords(p.text, maxStandfirstWords) ||
		x.timeParser.IsDateLine(p.text, x.loc, pg.in.FetchedAt) || art.Lead != "" && art.Lead != p.text || x.isDateline(p.text, pg.in.FetchedAt) {
		return
	}
	if art.Lead == "" {
		art.Lead, art.Fields["lead"], art.Rules["lead"] = p.text, MethodHeuristic, RuleLeadBeforeBody
	}
	pg.cleaning.removed = append(pg.cleaning.removed, Removal{Rule: RuleLeadBeforeBody, What: "block before the body element", Text: shorten(p.text, 80)})
	pg.paras = append(pg.paras[:k-1:k-1], pg.paras[k:]...)
}

// preBodyLines returns how many leading paragraphs lie outside the
// element that holds every later paragraph of minBodyParaWords words or
// more (at least two of them) but date lines (dateLine: a "Cập nhật: …"
// line printed after the body element is no body text): the lines a
// theme prints between the headline and the body element; 0 when there
// are none or when that element cannot be told.
func preBodyLines(ps []para, dateLine func(string) bool) int {
	for k := min(maxStartLines, len(ps)-2); k >= 1; k-- {
		var body *html.Node
		long := 0
		for _, p := range ps[k:] {
			if !moreWords(p.text, minBodyParaWords-1) || dateLine(p.text) {
				continue
			}
			long++
			if body == nil {
				body = p.node
			} else {
				body = commonAncestor(body, p.node)
			}
		}
		if long < 2 || body == nil {
			continue // fewer lines before the body leave more paragraphs to place it
		}
		outside := true
		for _, p := range ps[:k] {
			if isAncestor(body, p.node) {
				outside = false
				break
			}
		}
		if outside {
			return k
		}
	}
	return 0
}

// sameByline reports whether line t names the byline by and nothing
// else.
func sameByline(t, by string) bool {
	b, ok := bylineText(t)
	return ok && strings.EqualFold(b, by)
}

// trimLeadingMeta removes the body's leading lines that name the byline
// and nothing else ("NAME", "Tác giả: NAME", "By NAME") and the date
// lines between them: the byline and meta lines under the headline that
// generic extraction kept with the body. It runs once the byline is
// decided; when none was, a leading credit line ("Theo TTXVN", "By Ann
// Lee") is the byline (byline/leading-credit).
func (x *Extractor) trimLeadingMeta(pg *pageState) {
	for k := 0; k < maxStartLines && len(pg.paras) > 1; k++ {
		t, rule := pg.paras[0].text, RuleStartByline
		if pg.art.Byline == "" && x.bylines.isCredit(pg.paras[0]) && !sourceCredit.MatchString(t) {
			x.setByline(pg, t, MethodHeuristic, "leading-credit")
		}
		// The cheap tests first: bylineText's expressions cost a long
		// paragraph ~1/7 of a crawl's CPU.
		by := pg.art.Byline
		if by == "" || moreWords(t, maxLabelWords+4) || !sameByline(t, by) {
			if !x.timeParser.IsDateLine(t, x.loc, pg.in.FetchedAt) {
				return
			}
			rule = RuleStartDate
		}
		pg.cleaning.removed = append(pg.cleaning.removed, Removal{Rule: rule, What: "leading line", Text: shorten(t, 200)})
		pg.art.Rules["body-start"] = rule
		pg.paras = pg.paras[1:]
	}
}
