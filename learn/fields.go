package learn

import (
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/extract"
)

// field is how one profile field is learned.
type field struct {
	name string
	// hint is the value the field's selector must produce on s ("":
	// nothing to explain on s).
	hint func(s *sample) string
	// near reports whether an element whose text is text may be the
	// field's element.
	near func(text, hint string) bool
	set  func(p *extract.Profile, sel string)
	// got is the field's value in a, as hint writes it.
	got func(a *extract.Article) string
	// put stores the learned group in the result's selectors.
	put func(s *Selectors, sel string)
}

func fields() []field {
	return []field{
		{name: "title", hint: titleHint, near: equalText,
			set: func(p *extract.Profile, v string) { p.Title = v }, got: func(a *extract.Article) string { return a.Title },
			put: func(s *Selectors, v string) { s.Title = v }},
		{name: "published", hint: func(s *sample) string { return instant(s.hint.Published) }, near: mayBeDate,
			set: func(p *extract.Profile, v string) { p.Published = v }, got: func(a *extract.Article) string { return instant(a.Published) },
			put: func(s *Selectors, v string) { s.Published = v }},
		{name: "byline", hint: func(s *sample) string { return s.visible(s.hint.Byline, labelled, true) }, near: holdsShort,
			set: func(p *extract.Profile, v string) { p.Byline = v }, got: func(a *extract.Article) string { return a.Byline },
			put: func(s *Selectors, v string) { s.Byline = v }},
		{name: "category", hint: func(s *sample) string { return s.hint.Category }, near: equalText,
			set: func(p *extract.Profile, v string) { p.Category = v }, got: func(a *extract.Article) string { return a.Category },
			put: func(s *Selectors, v string) { s.Category = v }},
	}
}

// titleSeps split a <title> into the headline and the site's name.
var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " » "}

// titleParts are the parts of a title around a separator.
func titleParts(v string) []string {
	var out []string
	for _, sep := range titleSeps {
		if a, b, ok := strings.Cut(v, sep); ok {
			out = append(out, a, b)
		}
	}
	return out
}

// titleHint is the longest of generic extraction's title, the page's
// <title> and og:title, and their parts around a separator, that is an
// element's whole text (the visible headline); generic's title when none
// is (generic extraction may have cut a headline's own " - 2025" as a
// site-name suffix).
func titleHint(s *sample) string {
	v := s.hint.Title
	if v == "" {
		return ""
	}
	best := ""
	og, _ := s.doc.Find(`meta[property="og:title"]`).Attr("content")
	for _, src := range []string{v, norm(s.doc.Find("head title").First().Text()), norm(og)} {
		for _, c := range append([]string{src}, titleParts(src)...) {
			if c != "" && len(c) > len(best) && s.hasText(c) {
				best = c
			}
		}
	}
	if best == "" {
		return v
	}
	return best
}

// labelled is a byline without its label ("Tác giả: NAME" → NAME).
func labelled(v string) []string {
	if label, name, ok := strings.Cut(v, ":"); ok && utf8.RuneCountInString(label) <= 20 {
		return []string{strings.TrimSpace(name)}
	}
	return nil
}

// visible is generic extraction's value v, or the longest of parts(v)
// that is an element's text, when v is none (a <title> with the site's
// name) or partFirst (a byline with its label, printed in an element of
// its own after the label): hints a visible element corrects.
func (s *sample) visible(v string, parts func(string) []string, partFirst bool) string {
	if v == "" || (!partFirst && s.hasText(v)) {
		return v
	}
	best := v
	for _, p := range parts(v) {
		if p != "" && s.hasText(p) && (best == v || len(p) > len(best)) {
			best = p
		}
	}
	return best
}

// hasText reports whether an element of the page's body has exactly the
// text t.
func (s *sample) hasText(t string) bool {
	if s.texts == nil {
		s.texts = map[string]bool{}
		s.doc.Find("body *").Each(func(_ int, e *goquery.Selection) { s.texts[norm(e.Text())] = true })
	}
	return s.texts[t]
}

// instant is t as compared: RFC 3339 in UTC, "" for the zero time.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func equalText(text, hint string) bool { return text == hint }

// holdsShort: text is hint with at most a short label around it.
func holdsShort(text, hint string) bool {
	return strings.Contains(text, hint) && utf8.RuneCountInString(text) <= utf8.RuneCountInString(hint)+30
}

// mayBeDate: a short text holding the hint instant's year (in any zone
// the page may print it in, the year of the instant ±1 day).
func mayBeDate(text, hint string) bool {
	if utf8.RuneCountInString(text) > 120 {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, hint)
	if err != nil {
		return false
	}
	for _, d := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		if strings.Contains(text, strconv.Itoa(t.Add(d).Year())) {
			return true
		}
	}
	return false
}

// norm collapses white space.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// candidate is a selector and the pages whose first match looks right.
type candidate struct {
	sel   string
	pages []int
}

// learnField learns f's selector group and records its coverage.
func (l *learner) learnField(f field, res *Result) {
	hints := make([]string, len(l.samples))
	var todo []int
	for i, s := range l.samples {
		if hints[i] = f.hint(s); hints[i] != "" {
			todo = append(todo, i)
		}
	}
	cands := l.fieldCandidates(f, hints, todo)
	check := func(s *sample, a *extract.Article, hint string) (bool, bool) {
		used := a.Fields[f.name] == extract.MethodProfile
		return used && f.got(a) == hint, used
	}
	chosen, covered := l.cover(cands, hints, todo, target{field: f.name, set: f.set, check: check, strip: f.name == "published"})
	l.record(res, f.name, chosen, covered, todo)
	f.put(&res.Selectors, strings.Join(chosen, ", "))
}

// fieldCandidates derives selectors from the elements near each page's
// hint and counts, for each, the pages whose first match is near it.
func (l *learner) fieldCandidates(f field, hints []string, todo []int) []candidate {
	var sels selectorList
	for _, i := range todo {
		l.samples[i].doc.Find("body *").Each(func(_ int, e *goquery.Selection) {
			if !skipTag(goquery.NodeName(e)) && f.near(norm(e.Text()), hints[i]) {
				sels.add(selectorsFor(e))
			}
		})
	}
	return l.countCandidates(sels.list, todo, func(i int, sel string) bool {
		first := l.samples[i].doc.Find(sel).First()
		return first.Length() > 0 && f.near(norm(first.Text()), hints[i])
	})
}

// selectorList is selectors in the order first added, each once.
type selectorList struct {
	list []string
	seen map[string]bool
}

func (s *selectorList) add(sels []string) {
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	for _, sel := range sels {
		if !s.seen[sel] {
			s.seen[sel] = true
			s.list = append(s.list, sel)
		}
	}
}

// countCandidates counts, for each selector, the pages of todo it
// explains, keeps those that explain MinPages or more and sorts them.
func (l *learner) countCandidates(sels []string, todo []int, explains func(i int, sel string) bool) []candidate {
	var out []candidate
	for _, sel := range sels {
		c := candidate{sel: sel}
		for _, i := range todo {
			if explains(i, sel) {
				c.pages = append(c.pages, i)
			}
		}
		if len(c.pages) >= l.opts.MinPages {
			out = append(out, c)
		}
	}
	sortCandidates(out)
	return out
}

// sortCandidates orders by pages explained, then a selector with a class
// or id before one of bare tags, then the simpler selector.
func sortCandidates(cs []candidate) {
	sort.SliceStable(cs, func(a, b int) bool {
		if len(cs[a].pages) != len(cs[b].pages) {
			return len(cs[a].pages) > len(cs[b].pages)
		}
		if na, nb := named(cs[a].sel), named(cs[b].sel); na != nb {
			return na
		}
		pa, pb := strings.Count(cs[a].sel, " "), strings.Count(cs[b].sel, " ")
		if pa != pb {
			return pa < pb
		}
		return len(cs[a].sel) < len(cs[b].sel)
	})
}

func skipTag(tag string) bool {
	switch tag {
	case "script", "style", "noscript", "template", "svg", "br", "img":
		return true
	}
	return false
}

// maxTries bounds the groups verified with the extractor per field.
const maxTries = 8

// cover picks candidates greedily: each must explain at least MinPages
// pages no earlier one did, the joined group must still explain every
// page the earlier ones did (a group's first match in document order can
// change), and it must harm no page: give none a value other than its
// hint. check tells whether the extractor's article explains a page and
// whether the selector decided the field there at all.
func (l *learner) cover(cands []candidate, hints []string, todo []int, t target) ([]string, map[int]bool) {
	covered := map[int]bool{}
	var chosen []string
	for tries, k := 0, 0; k < len(cands) && tries < maxTries && len(covered) < len(todo); k++ {
		c := cands[k]
		if gain(c.pages, covered) < l.opts.MinPages {
			continue
		}
		tries++
		group := strings.Join(append(chosen[:len(chosen):len(chosen)], c.sel), ", ")
		ok, fine := l.verify(group, hints, todo, t, covered)
		if !fine || len(ok)-len(covered) < l.opts.MinPages {
			continue
		}
		chosen, covered = append(chosen, c.sel), ok
	}
	return chosen, covered
}

// checkFunc reports whether a, extracted with the learned selector,
// explains page s (ok) and whether the selector decided the field (used).
type checkFunc func(s *sample, a *extract.Article, hint string) (ok, used bool)

// target is what cover learns: set puts a selector in a profile, check
// judges the article, strip extracts the pages without their date
// metadata (a profile's published element only decides when metadata
// does not).
type target struct {
	field string
	set   func(*extract.Profile, string)
	check checkFunc
	strip bool
}

// verify extracts the pages idx with group as the field's selector and
// returns those check accepts. It stops at the first page the selector
// harms (a value other than the hint, a failed extraction, another
// field moved) or the first page of must it does not explain, and then
// returns fine false.
func (l *learner) verify(group string, hints []string, idx []int, t target, must map[int]bool) (map[int]bool, bool) {
	var p extract.Profile
	t.set(&p, group)
	ok := map[int]bool{}
	ex, err := l.extractor(p)
	if err != nil {
		return ok, false
	}
	for _, i := range idx {
		if l.ctx.Err() != nil {
			return ok, false
		}
		s := l.samples[i]
		a, err := s.extractFrom(ex, t.strip)
		if err != nil { // the page would fail: worse than any value
			return ok, false
		}
		good, used := t.check(s, a, hints[i])
		if !t.keepsOthers(s, a) {
			return ok, false
		}
		switch {
		case good:
			ok[i] = true
		case used || must[i]:
			return ok, false
		}
	}
	return ok, true
}

// keepsOthers reports whether a has the title and the publication time
// of generic extraction (except the field being learned): a selector
// for one field must not move another (a body element changes where the
// date line is looked for).
func (t target) keepsOthers(s *sample, a *extract.Article) bool {
	return (t.field == "title" || a.Title == s.hint.Title) && (t.field == "published" || a.Published.Equal(s.hint.Published))
}

func gain(pages []int, covered map[int]bool) int {
	n := 0
	for _, i := range pages {
		if !covered[i] {
			n++
		}
	}
	return n
}

func union(covered map[int]bool, pages []int) []int {
	var out []int
	for i := range covered {
		out = append(out, i)
	}
	for _, i := range pages {
		if !covered[i] {
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out
}

// record adds a field's coverage and its unexplained pages to res.
func (l *learner) record(res *Result, name string, chosen []string, covered map[int]bool, todo []int) {
	res.Coverage = append(res.Coverage, Coverage{Field: name, Selector: strings.Join(chosen, ", "),
		Explained: len(covered), Of: len(todo), Templates: len(chosen)})
	if len(chosen) == 0 {
		return // the summary line says so; every page keeps generic extraction
	}
	for _, i := range todo {
		if !covered[i] {
			res.Unexplained = append(res.Unexplained, Unexplained{Field: name, URL: l.samples[i].page.URL})
		}
	}
}
