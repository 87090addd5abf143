package sim

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/parc-archiver/parc/sim/internal/theme"
)

// The generated layout: every region written as the seed's theme says
// (sim/internal/theme; docs/SIMULATOR.md lists the axes).

// cls is a class attribute, or nothing for no class.
func cls(name string) string {
	if name == "" {
		return ""
	}
	return ` class="` + name + `"`
}

// genDocTitle is <title>: the page title with the site's name before or
// after it, or alone.
func (p *Portal) genDocTitle(title string) string {
	th := &p.theme
	site, sep := th.V(theme.SiteName), th.V(theme.TitleSep)
	switch th.V(theme.TitleSite) {
	case "prefix":
		return site + sep + title
	case "suffix":
		return title + sep + site
	}
	return title
}

// genHead opens the document; a is nil except on article pages.
func (p *Portal) genHead(pg *page, title, canonical, desc string, a *articlePage) {
	w, th := pg.w, &p.theme
	w.s("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"", pg.charsetName(), "\">\n",
		`<meta name="viewport" content="width=device-width, initial-scale=1">`, "\n<title>")
	w.t(p.genDocTitle(title))
	w.s("</title>\n")
	if canonical != "" {
		w.s(`<link rel="canonical" href="`, canonical, `">`, "\n")
	}
	if desc != "" {
		w.s(`<meta name="description" content="`)
		w.t(desc)
		w.s(`">`, "\n")
	}
	if th.Is(theme.OpenGraph, "present") {
		kind := "website"
		if a != nil {
			kind = "article"
		}
		w.s(`<meta property="og:type" content="`, kind, `">`, "\n", `<meta property="og:site_name" content="`)
		w.t(th.V(theme.SiteName))
		w.s(`">`, "\n", `<meta property="og:title" content="`)
		w.t(title)
		w.s(`">`, "\n")
		if canonical != "" {
			w.s(`<meta property="og:url" content="`, canonical, `">`, "\n")
		}
	}
	if a != nil {
		p.genArticleMeta(pg, a)
	}
	w.s(`<link rel="stylesheet" href="/static/theme-`, strconv.FormatUint(uint64(th.Seed), 36), `.css">`, "\n</head>\n<body>\n")
}

// jsonLD is the NewsArticle block, fields in a fixed order.
type jsonLD struct {
	Context   string   `json:"@context"`
	Type      string   `json:"@type"`
	Headline  string   `json:"headline"`
	Published string   `json:"datePublished"`
	Author    ldEntity `json:"author"`
	Publisher ldEntity `json:"publisher"`
}

type ldEntity struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// genArticleMeta writes the article's meta author, published time and
// JSON-LD, as the theme has them.
func (p *Portal) genArticleMeta(pg *page, a *articlePage) {
	w, th := pg.w, &p.theme
	site := th.V(theme.SiteName)
	switch th.V(theme.MetaAuthor) {
	case "site":
		w.s(`<meta name="author" content="`)
		w.t(site)
		w.s(`">`, "\n")
	case "byline":
		w.s(`<meta name="author" content="`)
		w.t(a.c.byline)
		w.s(`">`, "\n")
	}
	switch th.V(theme.MetaPublished) {
	case "offset":
		w.s(`<meta property="article:published_time" content="`, a.pub.Format(time.RFC3339), `">`, "\n")
	case "zoneless":
		w.s(`<meta property="article:published_time" content="`, a.pub.Format("2006-01-02T15:04:05"), `">`, "\n")
	}
	if th.Is(theme.JSONLD, "absent") {
		return
	}
	ld := jsonLD{Context: "https://schema.org", Type: "NewsArticle", Headline: a.c.title, Published: a.pub.Format(time.RFC3339),
		Author: ldEntity{"Organization", site}, Publisher: ldEntity{"Organization", site}}
	if th.Is(theme.JSONLD, "person") {
		ld.Author = ldEntity{"Person", a.c.byline}
	}
	b, err := json.Marshal(ld)
	if err != nil { // cannot happen: strings only
		return
	}
	w.s(`<script type="application/ld+json">`, string(b), "</script>\n")
}

// genHeader writes the site header (with today's date) and opens <main>.
func (p *Portal) genHeader(pg *page, shape uint8) {
	w, n := pg.w, &p.theme.Names
	w.s(`<header`, cls(n.Header), `><div`, cls(n.TopDate), `>`)
	w.b = appendTopDate(w.b, pg.now)
	w.s(`</div><a`, cls(n.Logo), ` href="/"><img src="/static/logo.png" alt="`)
	w.t(p.theme.V(theme.SiteName))
	w.s(`"></a><nav`, cls(n.Nav), `><ul><li><a href="/">Trang chủ</a></li>`)
	p.menuItems(pg, shape)
	w.s("</ul></nav></header>\n<main", cls(n.Main), ">\n")
}

// genFooter closes <main>, writes the sidebar and the footer.
func (p *Portal) genFooter(pg *page) {
	w, n := pg.w, &p.theme.Names
	site := p.theme.V(theme.SiteName)
	w.s("</main>\n<aside", cls(n.Side), "><h3>Đọc nhiều</h3><ul", cls(n.List), ">")
	for k := 0; k < min(8, len(p.entries)); k++ { // the newest: boilerplate of every page
		e := &p.entries[len(p.entries)-1-k]
		w.s(`<li><a href="`, p.articlePath(e, e.cat), `">`)
		w.t(p.title(e))
		w.s("</a></li>")
	}
	w.s("</ul></aside>\n<footer", cls(n.Footer), "><p>© ")
	w.t(site)
	w.s(`. Địa chỉ: Số 1A Tràng Tiền, Hoàn Kiếm, Hà Nội.</p><p>Ghi rõ nguồn "`)
	w.t(site)
	w.s("\" khi phát hành lại thông tin từ website này.</p></footer>\n</body>\n</html>\n")
}

// genCrumb writes the breadcrumb trail.
func (p *Portal) genCrumb(pg *page, shape, c uint8) {
	w := pg.w
	w.s(`<div`, cls(p.theme.Names.Crumb), `><a href="/">Trang chủ</a> › <a href="`, listingPath(shape, c, 1), `">`)
	w.t(categories[c].name)
	w.s("</a></div>\n")
}

// genArticle writes the article region: breadcrumb, wrappers, the box
// with its parts in the theme's order, then sponsor and related blocks.
func (p *Portal) genArticle(pg *page, a *articlePage) {
	w, th := pg.w, &p.theme
	n := &th.Names
	e := a.e
	if !a.printView && (th.Is(theme.Category, "breadcrumb") || th.Is(theme.Category, "both")) {
		p.genCrumb(pg, e.shape, e.cat)
	}
	for _, c := range th.Wraps {
		w.s(`<div class="`, c, `">`)
	}
	box := th.V(theme.BoxTag)
	w.s("<", box, cls(n.Box), ">\n")
	if th.Is(theme.Category, "label") || th.Is(theme.Category, "both") {
		w.s(`<a`, cls(n.Kicker), ` href="`, listingPath(e.shape, e.cat, 1), `">`)
		w.t(categories[e.cat].name)
		w.s("</a>\n")
	}
	p.genDateAt(pg, a, "above")
	tag := th.V(theme.HeadlineTag)
	w.s("<", tag, cls(n.Headline), ">")
	w.t(a.c.title)
	w.s("</", tag, ">\n")
	p.genDateAt(pg, a, "below")
	p.genTopByline(pg, a)
	p.genMeta(pg, a)
	if th.Is(theme.Standfirst, "classed") && a.c.lead != "" {
		w.s(`<div`, cls(n.Lead), `>`)
		w.t(a.c.lead)
		w.s("</div>\n")
	}
	p.genBody(pg, a)
	p.genDateAt(pg, a, "end")
	if !a.printView {
		p.genTags(pg, a.c.tags)
	}
	w.s("</", box, ">")
	for range th.Wraps {
		w.s("</div>")
	}
	w.s("\n")
	if !a.printView {
		if th.Is(theme.Sponsor, "after_box") {
			p.genSponsor(pg)
		}
		p.genRelated(pg, e)
	}
}

// genBody writes the body element: a bold standfirst, the theme's
// template line before or after the paragraphs, an end byline and the
// in-body sponsor block.
func (p *Portal) genBody(pg *page, a *articlePage) {
	w, th := pg.w, &p.theme
	for _, c := range th.BodyWraps {
		w.s(`<div class="`, c, `">`)
	}
	w.s(`<div`, cls(th.Names.Body), ">\n")
	if th.Is(theme.Standfirst, "bold_paragraph") && a.c.lead != "" {
		w.s("<p><strong>")
		w.t(a.c.lead)
		w.s("</strong></p>\n")
	}
	line := th.TemplateText()
	if a.printView {
		line = "" // the print view's template prints none
	}
	if th.Is(theme.TemplateLine, "promo_start") && line != "" {
		w.s("<p><em>")
		w.t(line)
		w.s("</em></p>\n")
	}
	p.bodyHTML(pg, a.e, &a.c)
	if th.Is(theme.TemplateLine, "promo_end") && line != "" {
		w.s("<p><em>")
		w.t(line)
		w.s("</em></p>\n")
	}
	if a.c.byline != "" {
		switch th.V(theme.Byline) {
		case "end_upper":
			w.s(`<p style="text-align: right;"><strong>`)
			w.t(a.c.byline)
			w.s("</strong></p>\n")
		case "end_element":
			w.s(`<p`, cls(th.Names.Byline), `><strong>`)
			w.t(a.c.byline)
			w.s("</strong></p>\n")
		}
	}
	if !a.printView && th.Is(theme.Sponsor, "in_body") {
		p.genSponsor(pg)
	}
	w.s("</div>")
	for range th.BodyWraps {
		w.s("</div>")
	}
	w.s("\n")
}

// genDateText writes the date line's text: label, then the date, in a
// <time datetime> when the theme has one.
func (p *Portal) genDateText(pg *page, a *articlePage, label bool) {
	w, th := pg.w, &p.theme
	if label && !th.Is(theme.DateLabel, "none") {
		w.s(th.V(theme.DateLabel))
	}
	timeEl := th.Is(theme.TimeElement, "present")
	if timeEl {
		w.s(`<time datetime="`, a.pub.Format(time.RFC3339), `">`)
	}
	w.b = th.AppendDate(w.b, a.pub)
	if timeEl {
		w.s("</time>")
	}
}

// genDateAt writes the date line if the theme puts it at pos.
func (p *Portal) genDateAt(pg *page, a *articlePage, pos string) {
	if !p.theme.Is(theme.DatePosition, pos) {
		return
	}
	pg.w.s(`<div`, cls(p.theme.Names.Date), `>`)
	p.genDateText(pg, a, true)
	pg.w.s("</div>\n")
}

// genTopByline writes "Tác giả: NAME" under the headline (agency credits
// without the label).
func (p *Portal) genTopByline(pg *page, a *articlePage) {
	if !p.theme.Is(theme.Byline, "top_label") || a.c.byline == "" {
		return
	}
	w := pg.w
	w.s(`<div`, cls(p.theme.Names.Byline), `>`)
	if !isCredit(a.c.byline) {
		w.s("Tác giả: ")
	}
	w.s("<strong>")
	w.t(a.c.byline)
	w.s("</strong></div>\n")
}

// genMeta writes the meta line: the byline and/or the date, as spans or
// as one text ("NAME - date").
func (p *Portal) genMeta(pg *page, a *articlePage) {
	w, th := pg.w, &p.theme
	by := th.Is(theme.Byline, "meta") && a.c.byline != ""
	date := th.Is(theme.DatePosition, "meta")
	if !by && !date {
		return
	}
	w.s(`<div`, cls(th.Names.Meta), `>`)
	if by && date && th.Is(theme.MetaJoin, "text") {
		w.t(a.c.byline)
		if p.theme.Is(theme.DateFormat, "time_first_dash") {
			w.s(" ") // the format's own dash separates ("NAME - 14:05 03/11/2025")
		} else {
			w.s(" - ")
		}
		p.genDateText(pg, a, false)
		w.s("</div>\n")
		return
	}
	if by {
		w.s(`<span`, cls(th.Names.Byline), `>`)
		w.t(a.c.byline)
		w.s("</span>")
	}
	if by && date {
		w.s(" | ")
	}
	if date {
		w.s(`<span`, cls(th.Names.Date), `>`)
		p.genDateText(pg, a, true)
		w.s("</span>")
	}
	w.s("</div>\n")
}

// genSponsor writes the vendor's sponsor block with the theme's heading.
func (p *Portal) genSponsor(pg *page) {
	w := pg.w
	w.s(`<div`, cls(p.theme.Names.Sponsor), `><b>`)
	w.t(p.theme.V(theme.SponsorHead))
	w.s("</b><br>\n")
	for _, l := range p.seed.sponsor {
		w.s(`<a href="http://www.vieportal.net/" target="_blank">`)
		w.t(l)
		w.s("</a>, ")
	}
	w.s("\n</div>\n")
}

// genTags writes the tags block.
func (p *Portal) genTags(pg *page, tags []string) {
	if len(tags) == 0 {
		return
	}
	w := pg.w
	w.s(`<div`, cls(p.theme.Names.Tags), `>`, p.theme.V(theme.Tags))
	for i, t := range tags {
		if i > 0 {
			w.s(", ")
		}
		w.s(`<a href="/tags/`, url.PathEscape(appsSlug(t)), `.html">`)
		w.t(t)
		w.s("</a>")
	}
	w.s("</div>\n")
}

// genRelated lists older articles of the category, dated as the theme
// says.
func (p *Portal) genRelated(pg *page, e *entry) {
	th := &p.theme
	others := p.olderInCategory(e, e.cat, 6)
	if th.Is(theme.Related, "none") || len(others) == 0 {
		return
	}
	w := pg.w
	w.s(`<div`, cls(th.Names.Related), `><h3>`, th.V(theme.RelatedHead), `</h3><ul>`)
	for _, k := range others {
		o := &p.entries[k]
		w.s(`<li><a href="`, p.articlePath(o, e.cat), `">`)
		w.t(p.title(o))
		w.s("</a>")
		switch th.V(theme.Related) {
		case "dated_dmy":
			w.s(" <span>(")
			w.dmy(time.Unix(o.pub, 0))
			w.s(")</span>")
		case "dated_theme":
			w.s(" <span>")
			w.b = th.AppendDate(w.b, time.Unix(o.pub, 0))
			w.s("</span>")
		}
		w.s("</li>")
	}
	w.s("</ul></div>\n")
}

// genListItem writes one teaser of a listing.
func (p *Portal) genListItem(pg *page, e *entry, href string) {
	w, n := pg.w, &p.theme.Names
	w.s(`<div`, cls(n.Item), `><h3><a href="`, href, `">`)
	w.t(p.title(e))
	w.s(`</a></h3><span`, cls(n.Date), `>`)
	w.dmy(time.Unix(e.pub, 0))
	w.s(`</span><p>`)
	w.t(p.summary(e, pg.layout))
	w.s("</p></div>\n")
}

// genPager writes numbered page links with previous and next.
func (p *Portal) genPager(pg *page, shape, c uint8, n, pages int) {
	w := pg.w
	w.s(`<div`, cls(p.theme.Names.Pager), `>`)
	if n > 1 {
		w.s(`<a href="`, listingPath(shape, c, n-1), `">« Trang trước</a> `)
	}
	from, to := pagerWindow(n, pages)
	for k := from; k <= to; k++ {
		w.s(`<a href="`, listingPath(shape, c, k), `">`)
		w.i(k)
		w.s("</a> ")
	}
	if n < pages {
		w.s(`<a href="`, listingPath(shape, c, n+1), `">Trang sau »</a>`)
	}
	w.s("</div>\n")
}

// genPicture writes a captioned picture in the theme's markup.
func (p *Portal) genPicture(pg *page, e *entry, caption string) {
	w, n := pg.w, &p.theme.Names
	src := "/uploads/" + strconv.Itoa(int(e.gen)) + ".jpg"
	switch p.theme.V(theme.Picture) {
	case "table":
		w.s(`<table align="center"><tbody><tr><td><img src="`, src, `" alt=""></td></tr><tr><td`, cls(n.Caption), `>`)
		w.t(caption)
		w.s("</td></tr></tbody></table>\n")
	case "div":
		w.s(`<div`, cls(n.Caption), `><img src="`, src, `" alt=""><em>`)
		w.t(caption)
		w.s("</em></div>\n")
	default:
		w.s(`<figure><img src="`, src, `" alt=""><figcaption`, cls(n.Caption), `>`)
		w.t(caption)
		w.s("</figcaption></figure>\n")
	}
}

// genParaOpen opens a body paragraph.
func (p *Portal) genParaOpen(pg *page) {
	switch p.theme.V(theme.Paragraph) {
	case "justify":
		pg.w.s(`<p style="text-align: justify;">`)
	case "classed":
		pg.w.s(`<p`, cls(p.theme.Names.Para), `>`)
	default:
		pg.w.s("<p>")
	}
}
