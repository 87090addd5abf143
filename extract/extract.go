package extract

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/internal/htmldoc"
)

// Extractor extracts articles with one compiled profile. It is safe for
// concurrent use.
type Extractor struct {
	opts    Options
	loc     *time.Location
	sel     compiledProfile
	rules   []rule
	bylines *bylineRules
	// timeParser parses printed and machine-readable timestamps.
	timeParser *dateParser

	// built-in selectors
	articleSel  *selector // article containers
	authorSel   *selector // dedicated byline elements
	leadSel     *selector // lead inside a known article container
	leadPageSel *selector // lead anywhere on the page
	tagsSel     *selector // visible tag links
	timeSel     *selector // <time datetime> and datePublished items
}

// New compiles opts.Profile. A selector that does not compile is reported as
// a *SelectorError, the same one Profile.Validate returns.
func New(opts Options) (*Extractor, error) {
	sel, err := compileProfile(opts.Profile)
	if err != nil {
		return nil, err
	}
	loc := opts.Location
	if loc == nil {
		loc = defaultLocation()
	}
	return &Extractor{
		opts:       opts,
		loc:        loc,
		sel:        sel,
		rules:      defaultRules(),
		bylines:    newBylineRules(),
		timeParser: newDateParser(),

		articleSel:  mustSelector(`div.cms.view.content, article, [itemtype*="Article"], [itemprop="articleBody"], .article-detail, .detail-content, .news-detail, .post-content, .entry-content`),
		authorSel:   mustSelector(`.author, .author_mail, .author-name, .byline, [rel="author"], [itemprop="author"], div.meta span > label, .tac-gia, .tacgia`),
		leadSel:     mustSelector(`span.summary, [class*="sapo"], .chapeau, .article-lead, .lead, .summary, .description`),
		leadPageSel: mustSelector(`span.summary, [class*="sapo"], .chapeau`),
		tagsSel:     mustSelector(`div.tags a, .tags a, .keywords a, .tag-list a, .tags-list a, .box-tag a`),
		timeSel:     mustSelector(`time[datetime], [itemprop="datePublished"]`),
	}, nil
}

// Extract parses an HTML page (decoding its charset from the BOM,
// in.ContentType or a <meta> tag) and extracts the article.
func (x *Extractor) Extract(r io.Reader, in Input) (*Article, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	doc, _, err := htmldoc.Parse(body, in.ContentType)
	if err != nil {
		return nil, err
	}
	return x.ExtractDocument(doc, in)
}

// Parse decodes an HTML page to UTF-8 (charset from the BOM, contentType,
// or a <meta> tag; windows-1258 and other legacy charsets included) and
// parses it once. It returns the charset it decoded from.
//
// Deprecated: use htmldoc.Parse (package internal/htmldoc), which the
// crawler can import without extract's dependencies.
func Parse(body []byte, contentType string) (*goquery.Document, string, error) {
	return htmldoc.Parse(body, contentType)
}

// ExtractDocument extracts the article from an already parsed page. It
// modifies doc (removed elements are detached): collect links first.
func (x *Extractor) ExtractDocument(doc *goquery.Document, in Input) (*Article, error) {
	where := func() string { // for errors only: URL.String allocates
		if in.URL != nil {
			return in.URL.String()
		}
		return "page"
	}
	if doc == nil || len(doc.Nodes) == 0 || doc.Nodes[0] == nil {
		return nil, fmt.Errorf("extract %s: empty document: %w", where(), ErrNoArticle)
	}
	root := doc.Nodes[0]
	for root.Parent != nil {
		root = root.Parent
	}
	host := ""
	if in.URL != nil {
		host = in.URL.Hostname()
	}
	art := &Article{Fields: make(map[string]string, 8)}
	st := &cleanState{x: x, base: in.URL}

	// 1. The profile's remove selectors.
	x.removeProfile(root, st)

	// 2. Metadata, title and the article container.
	meta := readMeta(root)
	site := meta.siteName()
	if c := meta.canonical; c != "" {
		art.Canonical = resolveURL(in.URL, c)
	}
	if art.Canonical == "" && meta.meta["og:url"] != "" {
		art.Canonical = resolveURL(in.URL, meta.meta["og:url"])
	}

	var titleNode, bodyNode *html.Node
	if x.sel.title != nil {
		if n := x.sel.title.MatchFirst(root); n != nil {
			if t := nodeText(n); t != "" {
				art.Title, titleNode = t, n
				art.Fields["title"] = MethodProfile
			}
		}
	}
	if x.sel.body != nil {
		if n := x.sel.body.MatchFirst(root); n != nil {
			if hasText(n) {
				bodyNode = n
			}
		}
	}
	// The first article element, looked for only when needed.
	var articleEl *html.Node
	articleDone := false
	article := func() *html.Node {
		if !articleDone {
			articleDone = true
			articleEl = x.articleSel.MatchFirst(root)
		}
		return articleEl
	}
	if titleNode == nil {
		titleNode = x.findH1(root, article)
	}
	container := x.container(root, titleNode, bodyNode, article)
	if art.Title == "" {
		x.fallbackTitle(art, meta, container, site, host)
	}

	// 3. Dates, before anything else is removed.
	x.findDates(art, meta, root, container, bodyNode, titleNode, in.FetchedAt)

	// 4. Category, byline and lead elements outside the body text.
	if x.sel.category != nil {
		if n := x.sel.category.MatchFirst(root); n != nil {
			if t := nodeText(n); t != "" {
				art.Category, art.Fields["category"] = t, MethodProfile
			}
		}
	}
	if art.Category == "" {
		if v := cleanText(meta.meta["article:section"]); v != "" {
			art.Category, art.Fields["category"] = v, MethodMeta
		}
	}
	var dedicated string
	if x.sel.byline != nil {
		if n := x.sel.byline.MatchFirst(root); n != nil {
			t := nodeText(n)
			if t == "" {
				t = cleanText(attr(n, "content"))
			}
			if t != "" && !moreRunes(t, 200) {
				art.Byline, art.Fields["byline"] = t, MethodProfile
				if bodyNode != nil && isAncestor(bodyNode, n) && n != bodyNode {
					st.remove(n, RuleByline)
				}
			}
		}
	}
	for _, n := range x.authorSel.MatchAll(container) {
		if bodyNode == n || n.Parent == nil || !isAncestor(root, n) {
			continue
		}
		t := nodeText(n)
		if t == "" {
			t = cleanText(attr(n, "content"))
		}
		if t == "" || moreRunes(t, 100) || isSiteName(t, site, host) {
			continue
		}
		if dedicated == "" {
			dedicated = t
		}
		if bodyNode != nil && isAncestor(bodyNode, n) {
			st.remove(n, RuleByline)
		}
	}
	if x.sel.lead != nil {
		if n := x.sel.lead.MatchFirst(root); n != nil {
			if t := nodeText(n); t != "" {
				art.Lead, art.Fields["lead"] = t, MethodProfile
				if bodyNode != nil && isAncestor(bodyNode, n) && n != bodyNode {
					st.remove(n, RuleLead)
				}
			}
		}
	}
	if art.Lead == "" {
		ls := x.leadPageSel
		if container.DataAtom != atom.Body && container.Type != html.DocumentNode {
			ls = x.leadSel
		}
		if n := ls.MatchFirst(container); n != nil && n != bodyNode && !(bodyNode != nil && isAncestor(n, bodyNode)) {
			if t := nodeText(n); moreWords(t, 4) {
				art.Lead, art.Fields["lead"] = t, MethodHeuristic
				if bodyNode != nil && isAncestor(bodyNode, n) {
					st.remove(n, RuleLead)
				}
			}
		}
	}
	x.findTags(art, root, container, bodyNode, st)

	// 5. The body: profile selector, else generic extraction.
	var paras []para
	if bodyNode != nil {
		st.root = bodyNode
		x.clean(st)
		paras = paragraphs(bodyNode)
		if len(paras) > 0 {
			art.Extraction = MethodProfile
		}
	}
	if art.Extraction == "" {
		p := readability.NewParser()
		p.KeepClasses = true
		ra, err := p.ParseAndMutate(root, in.URL)
		if err == nil && ra.Node != nil {
			st.root = ra.Node
			st.images = st.images[:0]
			x.clean(st)
			paras = paragraphs(ra.Node)
			if dedicated == "" {
				if b := cleanText(ra.Byline()); b != "" && !moreRunes(b, 100) && !isSiteName(b, site, host) {
					dedicated = b
				}
			}
		}
		art.Extraction = MethodFallback
	}
	art.Fields["body"] = art.Extraction
	art.Tags = mergeTags(art.Tags, st.tags)
	if len(art.Tags) > 0 && art.Fields["tags"] == "" {
		art.Fields["tags"] = MethodHeuristic
	}
	art.Images = st.images

	// 6. Paragraph-level rules: title repeated, byline at the end, lead first.
	if len(paras) > 0 && art.Title != "" && paras[0].text == art.Title {
		paras = paras[1:]
	}
	paras, datelineAuthor := x.takeDatelines(paras, in.FetchedAt, st)
	if dedicated == "" {
		dedicated = datelineAuthor
	}
	// The metadata line after the title is looked at only when the
	// byline is still open (it costs a date parse per line).
	afterTitleDone := dedicated != ""
	author := func() string {
		if !afterTitleDone {
			afterTitleDone = true
			dedicated = x.datelineAfter(titleNode, in.FetchedAt)
		}
		return dedicated
	}
	paras, byline, rule := x.bylines.takeByline(paras)
	if byline != "" {
		st.removed = append(st.removed, Removal{Rule: RuleByline, What: "last paragraph", Text: byline})
		if art.Byline == "" {
			// A closing "Nguồn: …"/"Source: …" names where the story
			// came from; a dedicated author element names who wrote it.
			sourceOnly := rule == "credit-form" && sourceCredit.MatchString(byline) && author() != ""
			if !sourceOnly {
				art.Byline, art.Fields["byline"] = byline, MethodHeuristic
			}
		}
	}
	if art.Byline == "" && author() != "" {
		art.Byline, art.Fields["byline"] = dedicated, MethodHeuristic
	}
	if art.Byline == "" {
		for _, b := range []string{meta.ldAuthor, meta.meta["author"], meta.meta["article:author"]} {
			if b = cleanText(b); b != "" && !moreRunes(b, 100) && !isSiteName(b, site, host) && !strings.HasPrefix(b, "http") {
				art.Byline, art.Fields["byline"] = b, MethodMeta
				break
			}
		}
	}
	if art.Lead == "" && len(paras) > 1 && isLeadPara(paras[0], st.root) {
		art.Lead, art.Fields["lead"] = paras[0].text, MethodHeuristic
		st.removed = append(st.removed, Removal{Rule: RuleLead, What: "first paragraph", Text: shorten(paras[0].text, 80)})
		paras = paras[1:]
	} else if art.Lead != "" && len(paras) > 0 && paras[0].text == art.Lead {
		paras = paras[1:]
	}
	art.Body = joinParas(paras)
	if art.Extraction == MethodFallback && !moreRunes(art.Body, minFallbackBody-1) {
		art.Body = "" // a few words found generically are navigation, not an article
	}
	art.Removed = st.removed
	if art.Title == "" || art.Body == "" {
		what := "title"
		if art.Title != "" {
			what = "body"
		}
		return nil, fmt.Errorf("extract %s: no %s: %w", where(), what, ErrNoArticle)
	}
	return art, nil
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

// minFallbackBody is the shortest body (in runes) generic extraction may
// return.
const minFallbackBody = 25

// isLeadPara reports whether the first body paragraph is a lead: a
// sapo/lead/summary class, or a long paragraph printed in bold.
func isLeadPara(p para, root *html.Node) bool {
	for n := p.node; n != nil && n != root; n = n.Parent {
		if containsAny(classID(n), "sapo", "lead", "summary", "chapeau") {
			return true
		}
	}
	return p.bold && moreWords(p.text, 9) && !isHeading(p.node)
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func mergeTags(a, b []string) []string {
	for _, t := range b {
		if !containsString(a, t) {
			a = append(a, t)
		}
	}
	return a
}

// findH1 returns the first <h1> with at least two words outside the page
// header and navigation, preferring one inside article() (the first
// article element, or nil).
func (x *Extractor) findH1(root *html.Node, article func() *html.Node) *html.Node {
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
	if a := article(); a != nil {
		if h := findElement(a, ok); h != nil {
			return h
		}
	}
	return findElement(root, ok)
}

// container finds the element holding the whole article (title, date,
// body), so that page chrome around it is not mistaken for article data.
// article returns the first element articleSel matches, or nil.
func (x *Extractor) container(root, title, body *html.Node, article func() *html.Node) *html.Node {
	if title != nil && body != nil {
		if c := commonAncestor(title, body); c != nil && c.Type == html.ElementNode && c.DataAtom != atom.Html {
			return c
		}
	}
	if a := article(); a != nil && (body == nil || isAncestor(a, body)) && (title == nil || isAncestor(a, title) || body != nil) {
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

func (x *Extractor) fallbackTitle(art *Article, meta *pageMeta, container *html.Node, site, host string) {
	if t := cleanText(meta.meta["og:title"]); t != "" {
		art.Title, art.Fields["title"] = stripTitleSuffix(t, site, host, false), MethodMeta
		return
	}
	if h := findElement(container, func(n *html.Node) bool { return n.DataAtom == atom.H1 }); h != nil {
		if t := nodeText(h); t != "" {
			art.Title, art.Fields["title"] = t, MethodFallback
			return
		}
	}
	if t := cleanText(meta.ldTitle); t != "" {
		art.Title, art.Fields["title"] = t, MethodMeta
		return
	}
	if t := meta.title; t != "" {
		art.Title, art.Fields["title"] = stripTitleSuffix(t, site, host, true), MethodFallback
	}
}

// findTags collects visible tag links: the profile's selector, else the
// tag boxes of the article container. Tag boxes inside the body are
// removed from it.
func (x *Extractor) findTags(art *Article, root, container, body *html.Node, st *cleanState) {
	if x.sel.tags != nil {
		for _, n := range x.sel.tags.MatchAll(root) {
			if n.DataAtom == atom.A {
				if t := nodeText(n); t != "" && !containsString(art.Tags, t) {
					art.Tags = append(art.Tags, t)
				}
			} else {
				art.Tags = appendTags(art.Tags, n)
			}
			if body != nil && n != body && isAncestor(body, n) && n.Parent != nil {
				st.remove(n, RuleTags)
			}
		}
		if len(art.Tags) > 0 {
			art.Fields["tags"] = MethodProfile
			return
		}
	}
	if container.DataAtom == atom.Body || container.Type == html.DocumentNode {
		return // only an article's own tag box, never a site-wide tag cloud
	}
	for _, a := range x.tagsSel.MatchAll(container) {
		if body != nil && isAncestor(body, a) {
			continue // the tags rule takes those
		}
		t := strings.TrimLeft(nodeText(a), "#")
		if t != "" && len(t) < 100 && !containsString(art.Tags, t) {
			art.Tags = append(art.Tags, t)
		}
	}
	if len(art.Tags) > 0 {
		art.Fields["tags"] = MethodHeuristic
	}
}
