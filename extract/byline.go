package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract/internal/byname"
	"github.com/parc-archiver/parc/extract/internal/pagelang"
)

// byline decides Article.Byline, unless the profile's byline element
// did. It takes the metadata lines (datelines) at the start and the end
// of the body and the closing byline paragraph out of the body, then
// takes the first of these that names someone (bylineText: label, date
// and handle dropped; photo credits, copyright lines and dates refused):
// the closing paragraph (but a bare "Nguồn: …" source credit when an
// author is known otherwise), the author candidate (an author element,
// generic extraction's byline, a dateline's name, or the metadata line
// after the title), the name after a label printed on its own ("Von:",
// "Autor"), the metadata's author, and last an element whose class names
// an author in the theme's own words (themeAuthor). Article.Rules names
// the rule that decided it.
func (x *Extractor) byline(pg *pageState) {
	paras, datelineAuthor := x.takeDatelines(pg.paras, pg.in.FetchedAt, &pg.cleaning)
	if pg.author == "" && datelineAuthor != "" {
		pg.author, pg.authorRule = datelineAuthor, "dateline"
	}
	paras = dropAuthorBoxLinks(paras, &pg.cleaning)
	paras, closing, rule := x.bylines.takeByline(paras)
	pg.paras = paras
	art := pg.art
	if closing != "" && (rule == "upper-case-heading" || rule == "upper-case" && !upperBylines(pg.root, pg.meta.title+" "+closing)) {
		// A closing heading in capitals, or a line in capitals on a page
		// not in Vietnamese, is a section label ("MORE ABOUT" before the
		// tags): out of the body, and no byline.
		pg.cleaning.removed = append(pg.cleaning.removed, Removal{Rule: RuleByline, What: "closing label in capitals", Text: closing})
		closing = ""
	}
	if closing != "" {
		pg.cleaning.removed = append(pg.cleaning.removed, Removal{Rule: RuleByline, What: "last paragraph", Text: closing})
		// A closing "Nguồn: …"/"Source: …" names where the story came
		// from; a dedicated author element names who wrote it.
		if art.Byline == "" && !(rule == "credit-form" && sourceCredit.MatchString(closing) && x.authorName(pg) != "") {
			x.setByline(pg, closing, MethodHeuristic, "closing-"+rule)
		}
	}
	if art.Byline == "" && x.authorName(pg) != "" && !x.metaListsAuthor(pg) {
		r := pg.authorRule
		if r == "" {
			r = "generic-byline"
		}
		x.setByline(pg, pg.author, MethodHeuristic, r)
	}
	if art.Byline == "" {
		if n := labelAuthor(pg.container); n != "" {
			x.setByline(pg, n, MethodHeuristic, "label-element")
		}
	}
	if art.Byline == "" {
		x.metaByline(pg)
	}
	if art.Byline == "" {
		if t := themeAuthor(pg.container); t != "" {
			x.setByline(pg, t, MethodHeuristic, "theme-author-element")
		}
	}
}

// setByline sets Byline to the names of t, when t names someone, and
// reports whether it did. The site's own name is a byline only where the
// page prints it as a credit, never from metadata.
func (x *Extractor) setByline(pg *pageState, t, method, rule string) bool {
	b, ok := bylineText(t)
	if !ok || method == MethodMeta && isSiteName(b, pg.site, pg.host) {
		return false
	}
	if method == MethodMeta || rule == "generic-byline" { // generic extraction's byline is often the meta tag's
		b = byname.LastFirst(b)
	}
	pg.art.Byline, pg.art.Fields["byline"] = b, method
	x.setRule(pg, "byline", rule)
	return true
}

// setRule records the rule that decided field, as "field/rule".
func (x *Extractor) setRule(pg *pageState, field, rule string) {
	if pg.art.Rules == nil {
		pg.art.Rules = map[string]string{}
	}
	pg.art.Rules[field] = field + "/" + rule
}

// metaListsAuthor reports whether generic extraction's byline is one of
// several authors the meta tags name (it keeps only one of them): then
// the meta tags' list is the byline.
func (x *Extractor) metaListsAuthor(pg *pageState) bool {
	if pg.authorRule != "" {
		return false
	}
	names := strings.Split(pg.meta.meta["author"], ", ")
	return len(names) > 1 && containsString(names, pg.author)
}

// authorName returns the author candidate. When nothing named one yet it
// looks, once, at the metadata line printed after the title (which costs
// a date parse per line, so only when the byline is still open).
func (x *Extractor) authorName(pg *pageState) string {
	if pg.author == "" && !pg.afterTitleRead {
		pg.afterTitleRead = true
		pg.author = x.datelineAfter(pg)
		pg.authorRule = "after-title"
	}
	return pg.author
}

// metaByline sets Byline from the first of the JSON-LD author, the
// author and article:author meta tags and the twitter:data tag labelled
// "Written by" (labelledAuthor) that is a short name, not the
// site's (a brand in meta[name=author], an Organization author that is
// the publisher) and not a URL.
func (x *Extractor) metaByline(pg *pageState) {
	m := pg.meta
	for _, c := range [...]struct{ v, rule string }{
		{m.ldAuthor, "json-ld-author"}, {m.meta["author"], "meta-author"}, {m.meta["article:author"], "meta-article-author"},
		{m.labelledAuthor(), "twitter-label-author"},
	} {
		if b := cleanText(c.v); b != "" && !moreRunes(b, 100) && !strings.HasPrefix(b, "http") && x.setByline(pg, b, MethodMeta, c.rule) {
			return
		}
	}
}

// bylineRule recognises the author's line printed as the article's last
// paragraph.
type bylineRule struct {
	Name  string
	Match func(b *bylineRules, p para) bool
}

// bylineRules holds the compiled byline patterns and the ordered rules.
type bylineRules struct {
	credit   *regexp.Regexp // "Theo TTXVN", "Bài và ảnh: …", "Nguồn: …", "PV"
	reposted *regexp.Regexp // "Phương Thảo (theo Robb Report)"
	caption  *regexp.Regexp // "Ảnh: …" photo credits: never a byline
	rules    []bylineRule
}

// sourceCredit matches a closing source attribution rather than an author.
var sourceCredit = regexp.MustCompile(`^(?i:nguồn|nguồn tin|source)\s*:`)

func newBylineRules() *bylineRules {
	return &bylineRules{
		credit:   regexp.MustCompile(`^(?i:theo|nguồn|nguồn tin|source|by)(?:\s*:\s*|\s+)\S|^(?i:bài và ảnh|bài, ảnh|bài/ảnh|bài & ảnh|ảnh và bài|tin và ảnh|tin, ảnh|tin/ảnh|bài|tin|lược dịch|dịch|tổng hợp|nhóm pv|nhóm phóng viên|phóng viên|ctv|pv|btv|nhóm ctv)\s*:\s*\S|^(?:PV|CTV|BTV|TTXVN|P\.V)$`),
		reposted: regexp.MustCompile(`^[^()]{2,50}\((?i:theo|nguồn|tổng hợp theo|lược dịch theo|dịch theo)\s[^()]{2,60}\)$`),
		caption:  regexp.MustCompile(`^(?i:ảnh|anh|photo|nguồn ảnh|ảnh minh họa|ảnh minh hoạ)\s*:`),
		rules: []bylineRule{
			{Name: "credit-form", Match: (*bylineRules).isCredit},
			{Name: "upper-case", Match: func(_ *bylineRules, p para) bool { return byname.IsUpperName(p.text) }},
			{Name: "right-aligned", Match: func(_ *bylineRules, p para) bool { return p.right && byname.IsShortName(p.text, 8, 80) }},
			{Name: "bold-name", Match: func(_ *bylineRules, p para) bool {
				return p.bold && byname.IsShortName(p.text, 6, 60) && byname.Capitalised(p.text)
			}},
			{Name: "author-class", Match: func(_ *bylineRules, p para) bool {
				return isAuthorElement(p) && byname.IsShortName(p.text, 10, 100) && !byname.MentionsAuthor(p.text)
			}},
		},
	}
}

// match returns the name of the first rule that takes p as a byline. A
// name in capitals closing the article is the Vietnamese press's byline
// (on a page in another language, and as a heading, "upper-case-heading",
// byline drops the line as a section label).
func (b *bylineRules) match(p para) (string, bool) {
	if b.caption.MatchString(p.text) {
		return "", false
	}
	for _, r := range b.rules {
		if r.Match(b, p) {
			if r.Name == "upper-case" && p.node != nil && isHeading(p.node) {
				return "upper-case-heading", true
			}
			return r.Name, true
		}
	}
	return "", false
}

func (b *bylineRules) isCredit(p para) bool {
	t := p.text
	if moreRunes(t, 100) || moreWords(t, 12) || byname.EndsSentence(t) {
		return false
	}
	return b.credit.MatchString(t) || b.reposted.MatchString(t)
}

// isAuthorElement reports whether p's block has an author class.
func isAuthorElement(p para) bool {
	for n, d := p.node, 0; n != nil && d < 3; n, d = n.Parent, d+1 {
		if isAuthorClass(classID(n)) || strings.EqualFold(attr(n, "itemprop"), "author") || strings.EqualFold(attr(n, "rel"), "author") {
			return true
		}
	}
	return false
}

func isAuthorClass(cls string) bool {
	return containsAny(cls, "author", "byline", "tac-gia", "tacgia", "writer")
}

// dropAuthorBoxLinks removes from the end of ps the links of an author
// box that speak of the author ("Mehr über den Autor erfahren", "More
// from this author"), so that the name above them closes the body.
func dropAuthorBoxLinks(ps []para, st *cleanState) []para {
	for len(ps) > 1 {
		p := ps[len(ps)-1]
		if t, l, _ := textLen(p.node, false); t == 0 || l < t || !byname.MentionsAuthor(p.text) || moreWords(p.text, 8) || !isAuthorElement(p) {
			break
		}
		st.removed = append(st.removed, Removal{Rule: RuleByline, What: "author box link", Text: p.text})
		ps = ps[:len(ps)-1]
	}
	return ps
}

// takeByline removes the byline paragraphs from the end of ps. It returns
// the remaining paragraphs, the byline as printed (two lines joined with
// " - ", e.g. a name then "Theo …") and the rule that matched.
func (b *bylineRules) takeByline(ps []para) ([]para, string, string) {
	if len(ps) < 2 {
		return ps, "", ""
	}
	last := ps[len(ps)-1]
	rule, ok := b.match(last)
	if !ok {
		return ps, "", ""
	}
	ps = ps[:len(ps)-1]
	byline := last.text
	if len(ps) >= 2 {
		prev := ps[len(ps)-1]
		if prule, ok := b.match(prev); ok && (rule == "credit-form" || prule == "author-class" && rule == "author-class") {
			byline = prev.text + " - " + byline
			ps = ps[:len(ps)-1]
		}
	}
	return ps, byline, rule
}

// upperBylines reports whether the page's language (<html lang>) is
// Vietnamese or not given, or text (its title and closing line) is
// Vietnamese whatever the template declares: where a closing line in
// capitals is a byline.
func upperBylines(root *html.Node, text string) bool {
	lang := pagelang.Of(root)
	return lang == "" || pagelang.IsVietnamese(lang) || byname.HasVietnamese(text)
}

// labelledAuthor returns the twitter:dataN whose twitter:labelN names the
// author, or "".
func (m *pageMeta) labelledAuthor() string {
	for _, k := range [...]string{"1", "2", "3"} {
		if byname.IsAuthorLabel(m.meta["twitter:label"+k]) {
			return m.meta["twitter:data"+k]
		}
	}
	return ""
}
