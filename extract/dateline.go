package extract

import (
	"regexp"
	"strings"
	"time"

	"github.com/parc-archiver/parc/extract/internal/byname"
	"github.com/parc-archiver/parc/extract/internal/pagelang"
	"github.com/parc-archiver/parc/extract/internal/timeparse"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RuleDateline names the removal of a metadata line (a date, alone or with
// an author's name, e.g. "NGUYỄN VĂN AN · 20/01/2014 11:16 CH") that a
// theme prints inside the article element, above or below the text.
const RuleDateline = "dateline"

// datelineSep splits a metadata line into its parts: a middle dot, bullet,
// vertical bar, or a dash between spaces.
var datelineSep = regexp.MustCompile(`\s*[·•|]\s*|\s+[-–—]\s+`)

// places are the city names Vietnamese papers print as a dateline's place
// ("Hà Nội - 20/01/2014"), folded: never an author.
var places = map[string]bool{"ha noi": true, "tp.hcm": true, "tp hcm": true, "tp. hcm": true, "tp. ho chi minh": true,
	"tp ho chi minh": true, "ho chi minh": true, "hai phong": true, "da nang": true, "can tho": true, "hue": true}

// dateline reports whether t is a short metadata line made only of date
// parts and at most one name-like part, and returns that part (the author,
// or ""). A line without a parseable date, with a sentence in it, or with
// two names is text, not metadata.
func (x *Extractor) dateline(t string, now time.Time) (name string, ok bool) {
	if moreRunes(t, 120) || moreWords(t, 16) {
		return "", false
	}
	if _, ok := x.timeParser.Parse(t, x.loc, now); !ok {
		return "", false
	}
	for _, part := range datelineSep.Split(t, -1) {
		part = strings.TrimSpace(part)
		if part == "" || timeparse.IsDatePart(part) {
			continue
		}
		if name != "" || strings.ContainsAny(part, "0123456789") || !byname.IsShortName(part, 6, 60) || !(byname.IsUpperName(part) || byname.Capitalised(part)) {
			return "", false
		}
		name = part
	}
	if places[timeparse.Fold(name)] {
		name = ""
	}
	return name, true
}

// isDateline reports whether t is a metadata line ("QUANG HUY | Thời
// gian: 06/07/2014 00:32"): no standfirst.
func (x *Extractor) isDateline(t string, now time.Time) bool {
	_, ok := x.dateline(t, now)
	return ok
}

// takeDatelines removes metadata lines from the start and the end of ps and
// returns the author's name printed in one of them, if any.
func (x *Extractor) takeDatelines(ps []para, now time.Time, st *cleanState) ([]para, string) {
	var author string
	take := func(i int) bool {
		if len(ps) < 2 {
			return false
		}
		name, ok := x.dateline(ps[i].text, now)
		if !ok {
			return false
		}
		st.removed = append(st.removed, Removal{Rule: RuleDateline, What: "metadata line", Text: ps[i].text})
		if author == "" {
			author = name
		}
		return true
	}
	if take(0) {
		ps = ps[1:]
	}
	if take(len(ps) - 1) {
		ps = ps[:len(ps)-1]
	}
	return ps, author
}

// datelineAfter looks at the few elements printed right after the title
// (outside the body) for a metadata line, and returns the author's name it
// carries, or a credit line printed there on its own ("Theo TTXVN", "By
// Ann Lee", or on a Vietnamese page a name in capitals), if any.
func (x *Extractor) datelineAfter(pg *pageState) string {
	title, now := pg.titleEl, pg.in.FetchedAt
	if title == nil {
		return ""
	}
	seen := 0
	for n := title.NextSibling; n != nil && seen < 3; n = n.NextSibling {
		if n.Type != html.ElementNode {
			continue
		}
		seen++
		t := nodeText(n)
		if t == "" || moreRunes(t, 120) {
			continue
		}
		if name, ok := x.dateline(t, now); ok && name != "" {
			return name
		}
		if x.bylines.isCredit(para{text: t}) && !sourceCredit.MatchString(t) {
			return t // a credit under the headline ("Theo TTXVN", "By Ann Lee")
		}
		if byname.IsUpperName(t) && upperBylines(pg.root, pg.meta.title+" "+t) {
			return t // "QUANG HUY" under the headline and date line
		}
		if plainNameAfterTitle(pg, n, t) {
			return t // "Quang Huy" alone under the headline
		}
	}
	return ""
}

// plainNameAfterTitle reports whether t, the text of n printed right
// after the headline, is a byline written as a plain name: on a page in
// Vietnamese (lang vi, or no lang and a Vietnamese letter in the name),
// a Vietnamese personal name's shape (byname.IsVietnameseName), not a
// place, and printed nowhere else on the page as a link (a section's or
// a tag's name is in the menu or a tag list, even one the body's
// cleaning removed).
func plainNameAfterTitle(pg *pageState, n *html.Node, t string) bool {
	if !byname.IsVietnameseName(t) || places[timeparse.Fold(t)] || !vietnamesePage(pg.root, t) {
		return false
	}
	linksIt := func(a *html.Node) bool {
		return a.DataAtom == atom.A && !isAncestor(n, a) && strings.EqualFold(nodeText(a), t)
	}
	if findElement(pg.root, linksIt) != nil {
		return false
	}
	for _, d := range pg.cleaning.detached {
		if findElement(d, linksIt) != nil {
			return false
		}
	}
	return true
}

// vietnamesePage reports whether the page's html element says it is in
// Vietnamese, or says nothing and text has a letter only Vietnamese
// writes.
func vietnamesePage(root *html.Node, text string) bool {
	lang := pagelang.Of(root)
	return pagelang.IsVietnamese(lang) || lang == "" && byname.HasVietnamese(text)
}
