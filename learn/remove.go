package learn

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
)

// Kinds of in-body blocks that are not the article's text.
const (
	kindPicture    = "picture or caption"
	kindRepeated   = "block repeated across pages"
	kindHeadline   = "headline"
	kindByline     = "byline"
	kindDate       = "date line"
	kindStandfirst = "bold standfirst"
	kindCategory   = "category label"
)

// boxPage is one page's body element and the blocks in it.
type boxPage struct {
	alt  string                // the group's selector that matched the body element
	box  *goquery.Selection    // the body element
	junk map[*html.Node]string // child blocks that are not text, with their kind
	left map[*html.Node]bool   // the junk blocks extraction kept in the body
}

// learnRemove finds the body's non-text blocks that extraction with the
// body selector keeps, and the selectors that remove them and nothing else.
func (l *learner) learnRemove(res *Result, chosen []string, covered map[int]bool, body target, hints []string) {
	group := strings.Join(chosen, ", ")
	ex, err := l.extractor(extract.Profile{Body: group})
	if err != nil {
		return
	}
	var idx []int
	for i := range covered {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	repeated := l.repeatedBlocks(group, idx)
	pages := map[int]*boxPage{}
	for _, i := range idx {
		if bp := l.boxPage(i, chosen, group, ex, repeated); bp != nil {
			pages[i] = bp
		}
	}
	sels := removeCandidates(pages)
	res.Selectors.Remove = l.safeRemoves(group, l.coverJunk(sels, pages), idx, body, hints)
	removed := 0
	for _, i := range idx {
		bp := pages[i]
		if bp == nil {
			continue
		}
		for n, left := range bp.left {
			if left {
				res.Unexplained = append(res.Unexplained, Unexplained{Field: "body", URL: l.samples[i].page.URL, Why: "kept " + bp.junk[n]})
				continue
			}
			removed++
		}
	}
	res.Removed = removed
}

// repeatedBlocks is the text of the body elements' child blocks that
// occur on at least half of the pages (and MinPages of them).
func (l *learner) repeatedBlocks(group string, idx []int) map[string]bool {
	count := map[string]int{}
	for _, i := range idx {
		seen := map[string]bool{}
		l.samples[i].doc.Find(group).First().Children().Each(func(_ int, c *goquery.Selection) {
			if t := norm(c.Text()); t != "" && !seen[t] {
				seen[t] = true
				count[t]++
			}
		})
	}
	out := map[string]bool{}
	for t, n := range count {
		if n >= l.opts.MinPages && 2*n >= len(idx) {
			out[t] = true
		}
	}
	return out
}

// boxPage classifies page i's body blocks and extracts it with the body
// selector to see which of them the body keeps.
func (l *learner) boxPage(i int, chosen []string, group string, ex *extract.Extractor, repeated map[string]bool) *boxPage {
	s := l.samples[i]
	box := s.doc.Find(group).First()
	if box.Length() == 0 {
		return nil
	}
	bp := &boxPage{box: box, junk: map[*html.Node]string{}, left: map[*html.Node]bool{}}
	for _, alt := range chosen {
		if firstNode(s.doc.Find(alt)) == box.Get(0) {
			bp.alt = alt
			break
		}
	}
	a, err := s.extract(ex)
	if bp.alt == "" || err != nil {
		return nil
	}
	body := norm(a.Body)
	box.Children().Each(func(k int, c *goquery.Selection) {
		t := norm(c.Text())
		kind := l.junkKind(s, c, k, t, repeated)
		if kind == "" {
			return
		}
		bp.junk[c.Get(0)] = kind
		if t != "" && strings.Contains(body, t) {
			bp.left[c.Get(0)] = true
		}
	})
	return bp
}

// junkKind says what kind of non-text block c (the k-th child of the body
// element, with text t) is; "" for the article's text.
func (l *learner) junkKind(s *sample, c *goquery.Selection, k int, t string, repeated map[string]bool) string {
	tag := goquery.NodeName(c)
	h := s.hint
	switch {
	case tag == "figure" || tag == "figcaption" || tag == "img":
		return kindPicture
	case c.Find("img, figcaption").Length() > 0 && c.Find("p").Length() == 0 && utf8.RuneCountInString(t) <= maxCaption:
		return kindPicture
	case t == "":
		return ""
	case repeated[t]:
		return kindRepeated
	case t == h.Title:
		return kindHeadline
	case h.Byline != "" && holdsShort(t, h.Byline):
		return kindByline
	case dateLine(t, h.Published.In(l.location())):
		return kindDate
	case k == 0 && tag == "p" && norm(c.Find("strong, b").Text()) == t:
		return kindStandfirst
	case h.Category != "" && t == h.Category:
		return kindCategory
	}
	return ""
}

// maxCaption is the longest text of a block holding a picture that is
// taken for the picture's caption rather than text around it.
const maxCaption = 300

// safeRemoves keeps, in order, the remove selectors with which every
// page idx still gets its body from the body selector group.
func (l *learner) safeRemoves(group string, removes []string, idx []int, body target, hints []string) []string {
	var kept []string
	for _, r := range removes {
		try := append(kept[:len(kept):len(kept)], r)
		t := body
		t.set = func(p *extract.Profile, sel string) { p.Body, p.Remove = sel, try }
		must := map[int]bool{}
		for _, i := range idx {
			must[i] = true
		}
		if _, fine := l.verify(group, hints, idx, t, must); fine {
			kept = try
		}
	}
	return kept
}

func (l *learner) location() *time.Location {
	if l.opts.Location != nil {
		return l.opts.Location
	}
	return time.FixedZone("ICT", 7*3600) // extract's default, Asia/Ho_Chi_Minh
}

var digitRun = regexp.MustCompile(`[0-9]+`)

// dateLine: a short text whose numbers include t's year and day.
func dateLine(text string, t time.Time) bool {
	if t.IsZero() || utf8.RuneCountInString(text) > 100 {
		return false
	}
	var year, day bool
	for _, d := range digitRun.FindAllString(text, -1) {
		n, _ := strconv.Atoi(d)
		year = year || n == t.Year()
		day = day || n == t.Day()
	}
	return year && day
}

// removeCandidates are selectors for the kept junk blocks, each under
// the body selector that matched its page.
func removeCandidates(pages map[int]*boxPage) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, bp := range pages {
		for n := range bp.left {
			c := bp.box.FindNodes(n)
			tag := goquery.NodeName(c)
			for _, sig := range sigs(c) {
				add(bp.alt + " > " + sig)
			}
			switch bp.junk[n] {
			case kindPicture:
				add(bp.alt + " > " + tag + ":has(img)")
			case kindStandfirst:
				add(bp.alt + " > " + tag + ":first-child:has(strong)")
				add(bp.alt + " > " + tag + ":first-child:has(b)")
			}
		}
	}
	sort.Strings(out)
	return out
}

// coverJunk keeps, most blocks first, the candidates that match only
// junk blocks on every page and remove at least MinPages kept ones not
// yet removed; it marks the blocks they remove.
func (l *learner) coverJunk(sels []string, pages map[int]*boxPage) []string {
	hits := map[string][]*html.Node{}
	var good []string
	for _, sel := range sels {
		ns, ok := l.matchesOnlyJunk(sel, pages)
		if ok && len(ns) >= l.opts.MinPages {
			hits[sel] = ns
			good = append(good, sel)
		}
	}
	sort.SliceStable(good, func(a, b int) bool { return len(hits[good[a]]) > len(hits[good[b]]) })
	gone := map[*html.Node]bool{}
	var out []string
	for _, sel := range good {
		n := 0
		for _, h := range hits[sel] {
			if !gone[h] {
				n++
			}
		}
		if n < l.opts.MinPages {
			continue
		}
		out = append(out, sel)
		for _, h := range hits[sel] {
			gone[h] = true
		}
	}
	for _, bp := range pages {
		for n := range bp.left {
			if gone[n] {
				bp.left[n] = false
			}
		}
	}
	return out
}

// matchesOnlyJunk returns the kept junk blocks sel matches, and false
// when it matches anything that is not junk on any page.
func (l *learner) matchesOnlyJunk(sel string, pages map[int]*boxPage) ([]*html.Node, bool) {
	var out []*html.Node
	for i, bp := range pages {
		for _, n := range l.samples[i].doc.Find(sel).Nodes {
			if bp.junk[n] == "" {
				return nil, false
			}
			if bp.left[n] {
				out = append(out, n)
			}
		}
	}
	return out, true
}
