package sim

import (
	"net/url"
	"sort"
	"strings"
	"time"
)

// articlePage is one article page being rendered: what its regions are
// written from.
type articlePage struct {
	e         *entry
	c         content
	path      string    // the canonical path, under the article's first category
	canonical string    // pg.base + path
	pub       time.Time // publication time in Vietnam
	printView bool      // the ?print=1 view: no navigation, tools or related lists
}

// renderArticle writes an article page (or its print view).
func (p *Portal) renderArticle(pg *page, e *entry, printView bool) {
	a := &articlePage{
		e:         e,
		c:         p.content(e, pg.layout),
		path:      p.articlePath(e, e.cat),
		pub:       time.Unix(e.pub, 0).In(vnZone),
		printView: printView,
	}
	a.canonical = pg.base + a.path
	if pg.layout == LayoutGenerated {
		p.genHead(pg, a.c.title, a.canonical, a.c.lead, a)
	} else {
		p.head(pg, a.c.title, a.canonical, a.c.lead)
	}
	if printView {
		printHeader(pg)
	} else {
		p.header(pg, e.shape)
	}
	switch pg.layout {
	case LayoutVIEPortal:
		p.portalArticle(pg, a)
	case LayoutVIEApps:
		p.appsArticle(pg, a)
	case LayoutGenerated:
		p.genArticle(pg, a)
	default:
		p.redesignArticle(pg, a)
	}
	if printView {
		printFooter(pg)
		return
	}
	p.footer(pg)
}

// printHeader opens the print view in place of the site header.
func printHeader(pg *page) {
	pg.w.s(`<div class="PrintPage" onload="window.print()"><div class="PrintHeader">TẬP ĐOÀN HÓA CHẤT VIỆT NAM</div>`, "\n")
}

// printFooter closes the print view and the document.
func printFooter(pg *page) {
	pg.w.s("<div class=\"PrintFooter\">Bản quyền © ", siteName, "</div></div>\n</body>\n</html>\n")
}

// ---- VIEPortal article ----

// portalArticle writes the VIEPortal news detail: headline, date line,
// content (body, byline, sponsor block), tools and other news.
func (p *Portal) portalArticle(pg *page, a *articlePage) {
	e := a.e
	if !a.printView {
		breadcrumb(pg, e.shape, e.cat)
	}
	pg.w.s(`<div id="ctl00_ContentPane_ctl00_NewsDetail" class="NewsDetail">`, "\n")
	portalHeadline(pg, a.c.title)
	portalDateLine(pg, a.pub)
	pg.w.s(`<div id="ctl00_ContentPane_ctl00_divContent" class="Content">`, "\n")
	p.bodyHTML(pg, e, &a.c)
	portalByline(pg, a.c.byline)
	if !a.printView {
		p.sponsor(pg)
	}
	pg.w.s("</div>\n")
	if !a.printView {
		portalTools(pg, a)
		p.portalOtherNews(pg, e)
	}
	pg.w.s("</div>\n")
}

func portalHeadline(pg *page, title string) {
	pg.w.s(`<h1 class="Title"><span id="ctl00_ContentPane_ctl00_lblTitle">`)
	pg.w.t(title)
	pg.w.s(`</span></h1>`, "\n")
}

func portalDateLine(pg *page, pub time.Time) {
	pg.w.s(`<div class="DateTime"><span id="ctl00_ContentPane_ctl00_lblDate">`)
	pg.w.b = appendPortalTime(pg.w.b, pub)
	pg.w.s(`</span></div>`, "\n")
}

// portalByline is the content's last paragraph, right-aligned and bold.
func portalByline(pg *page, byline string) {
	pg.w.s(`<p style="text-align: right;"><strong>`)
	pg.w.t(byline)
	pg.w.s("</strong></p>\n")
}

// sponsor writes the vendor's "Sponsor links" block that closes the
// content.
func (p *Portal) sponsor(pg *page) {
	w := pg.w
	w.s(`<div class="SponsorLinks"><span class="SponsorTitle">`)
	w.t(p.seed.sponsorHd)
	w.s("</span><br />\n")
	for _, l := range p.seed.sponsor {
		w.s(`<a href="http://www.vieportal.net/" target="_blank" title="`)
		w.t(l)
		w.s(`">`)
		w.t(l)
		w.s("</a>, ")
	}
	w.s("\n</div>\n")
}

// portalTools writes the print, e-mail, share and back-to-top links.
func portalTools(pg *page, a *articlePage) {
	pg.w.s(`<div class="Tools"><a href="`, a.path, `?print=1" target="_blank">In bài viết</a> | <a href="mailto:?subject=`, url.QueryEscape(a.c.title),
		`">Gửi email</a> | <a href="https://www.facebook.com/sharer/sharer.php?u=`, url.QueryEscape(a.canonical),
		`">Chia sẻ</a> | <a href="#top">Về đầu trang</a></div>`, "\n")
}

// portalOtherNews lists the category's older articles, dated.
func (p *Portal) portalOtherNews(pg *page, e *entry) {
	w := pg.w
	w.s(`<div class="OtherNews"><div class="OtherNewsTitle">Các tin khác</div><ul>`)
	for _, k := range p.olderInCategory(e, e.cat, 8) {
		o := &p.entries[k]
		w.s(`<li><a href="`, decorateLink(o, p.articlePath(o, e.cat), true), `">`)
		w.t(p.title(o))
		w.s(`</a> <span class="Date">(`)
		w.dmy(time.Unix(o.pub, 0))
		w.s(")</span></li>")
	}
	w.s("</ul></div>\n")
}

// ---- VIEApps article ----

// appsArticle writes the VIEApps content view: headline, meta (byline and
// date), summary, body, share links and tags, then the related lists.
func (p *Portal) appsArticle(pg *page, a *articlePage) {
	e := a.e
	if !a.printView {
		breadcrumb(pg, e.shape, e.cat)
	}
	pg.w.s(`<div class="cms view content">`, "\n")
	appsHeadline(pg, a.c.title)
	appsMeta(pg, a.c.byline, a.pub)
	appsSummary(pg, a.c.lead)
	pg.w.s("<section>\n")
	p.bodyHTML(pg, e, &a.c)
	pg.w.s("</section>\n")
	if !a.printView {
		appsShare(pg, a)
		appsTags(pg, a.c.tags)
	}
	pg.w.s("</div>\n")
	if !a.printView {
		others := p.olderInCategory(e, e.cat, 8)
		p.appsRelated(pg, e, others[:min(3, len(others))])
		appsExternalLinks(pg)
		p.appsOthers(pg, e, others)
	}
}

func appsHeadline(pg *page, title string) {
	pg.w.s("<h2>")
	pg.w.t(title)
	pg.w.s("</h2>\n")
}

// appsMeta writes the byline and the publication time.
func appsMeta(pg *page, byline string, pub time.Time) {
	w := pg.w
	w.s(`<div class="meta"><span><label>`)
	w.t(byline)
	w.s(`</label></span><section><i class="far fa-clock"></i> <span>`)
	w.b = appendAppsTime(w.b, pub)
	w.s("</span></section></div>\n")
}

// appsSummary writes the lead, if any.
func appsSummary(pg *page, lead string) {
	if lead == "" {
		return
	}
	pg.w.s(`<span class="summary">`)
	pg.w.t(lead)
	pg.w.s("</span>\n")
}

// appsShare writes the source, share and print links.
func appsShare(pg *page, a *articlePage) {
	canonical := url.QueryEscape(a.canonical)
	pg.w.s(`<div class="info"><span class="source">Nguồn: Vinachem</span> <span class="share"><a href="https://www.facebook.com/sharer/sharer.php?u=`, canonical,
		`"><i class="fab fa-facebook"></i> Chia sẻ</a> <a href="https://zalo.me/share?u=`, canonical,
		`">Zalo</a> <a href="`, a.path, `?print=1"><i class="fas fa-print"></i> In bài</a></span></div>`, "\n")
}

// appsTags writes the tag links, if any.
func appsTags(pg *page, tags []string) {
	if len(tags) == 0 {
		return
	}
	w := pg.w
	w.s(`<div class="tags"><label>Từ khóa:</label> `)
	for _, t := range tags {
		w.s(`<a href="/tags/`, url.PathEscape(appsSlug(t)), `.html">`)
		w.t(t)
		w.s("</a> ")
	}
	w.s("</div>\n")
}

// appsRelated lists related articles (undated).
func (p *Portal) appsRelated(pg *page, e *entry, related []int32) {
	w := pg.w
	w.s(`<div class="cms view internal relateds"><h3>Tin liên quan</h3><ul>`)
	for _, k := range related {
		o := &p.entries[k]
		w.s(`<li><a href="`, decorateLink(o, p.articlePath(o, e.cat), true), `">`)
		w.t(p.title(o))
		w.s("</a></li>")
	}
	w.s("</ul></div>\n")
}

// appsExternalLinks writes the fixed box of off-site links.
func appsExternalLinks(pg *page) {
	pg.w.s(`<div class="cms view external relateds"><h3>Liên kết</h3><ul><li><a href="https://moit.gov.vn/">Bộ Công Thương</a></li><li><a href="https://www.baomoi.com/">Báo Mới</a></li></ul></div>`, "\n")
}

// appsOthers lists the category's older articles, dated, at their
// canonical paths.
func (p *Portal) appsOthers(pg *page, e *entry, others []int32) {
	w := pg.w
	w.s(`<div class="cms view others"><h3>Tin khác</h3><ul>`)
	for _, k := range others {
		o := &p.entries[k]
		w.s(`<li><a href="`, p.articlePath(o, e.cat), `">`)
		w.t(p.title(o))
		w.s(`</a> <span>(`)
		w.dmy(time.Unix(o.pub, 0))
		w.s(")</span></li>")
	}
	w.s("</ul></div>\n")
}

// ---- redesign article ----

// redesignArticle writes the vendor-free story: headline, byline with the
// time, body.
func (p *Portal) redesignArticle(pg *page, a *articlePage) {
	w := pg.w
	w.s(`<article class="story"><h1>`)
	w.t(a.c.title)
	w.s(`</h1>`)
	redesignByline(pg, a.c.byline, a.pub)
	w.s("<div class=\"txt\">\n")
	p.bodyHTML(pg, a.e, &a.c)
	w.s("</div></article>\n")
}

func redesignByline(pg *page, byline string, pub time.Time) {
	w := pg.w
	w.s(`<p class="by">`)
	w.t(byline)
	w.s(" · ")
	w.b = appendAppsListTime(w.b, pub)
	w.s("</p>\n")
}

// ---- shared by the layouts ----

// olderInCategory returns up to n articles of category c published
// before e, newest first.
func (p *Portal) olderInCategory(e *entry, c uint8, n int) []int32 {
	list := p.lists[e.shape][c]
	self := p.genPos[e.gen]
	k := sort.Search(len(list), func(i int) bool { return list[i] >= self })
	out := make([]int32, 0, n)
	for j := k - 1; j >= 0 && len(out) < n; j-- {
		out = append(out, list[j])
	}
	return out
}

// bodyHTML writes the paragraphs with the decorations real pages have:
// <strong> runs, links, a trailing <br>, an empty paragraph, a picture.
func (p *Portal) bodyHTML(pg *page, e *entry, c *content) {
	w := pg.w
	g := int(e.gen)
	for i, para := range c.paras {
		switch pg.layout {
		case LayoutVIEPortal:
			w.s(`<p style="text-align: justify;">`)
		case LayoutGenerated:
			p.genParaOpen(pg)
		default:
			w.s(`<p>`)
		}
		paragraphText(pg, e, i, para)
		if g%4 == 1 && i == len(c.paras)-1 {
			w.s("<br />")
		}
		w.s("</p>\n")
		if g != 0 && g%6 == 0 && i == 0 {
			w.s("<p>&nbsp;</p>\n")
		}
		if i == c.image {
			p.picture(pg, e, c.caption)
		}
	}
}

// paragraphText writes the text of paragraph i of e: some articles open
// with a <strong> run, some paragraphs link the category's listing.
func paragraphText(pg *page, e *entry, i int, para string) {
	w := pg.w
	g := int(e.gen)
	words := strings.Split(para, " ")
	switch {
	case g != 0 && i == 0 && g%3 == 0 && len(words) > 6:
		w.s("<strong>")
		w.t(strings.Join(words[:4], " "))
		w.s("</strong> ")
		w.t(strings.Join(words[4:], " "))
	case g != 0 && (g+i)%5 == 2 && len(words) > 10:
		w.t(strings.Join(words[:5], " "))
		w.s(` <a href="`, listingPath(e.shape, e.cat, 1), `">`)
		w.t(strings.Join(words[5:8], " "))
		w.s("</a> ")
		w.t(strings.Join(words[8:], " "))
	default:
		w.t(para)
	}
}

func (p *Portal) picture(pg *page, e *entry, caption string) {
	w := pg.w
	switch pg.layout {
	case LayoutVIEPortal:
		w.s(`<table class="image" align="center" border="0" cellpadding="3" cellspacing="0" width="1"><tbody><tr><td><img src="/Portals/0/News/`)
		w.i(int(e.gen))
		w.s(`_1.jpg" width="500" alt="" /></td></tr><tr><td class="caption"><em>`)
		w.t(caption)
		w.s("</em></td></tr></tbody></table>\n")
	case LayoutVIEApps:
		w.s(`<figure class="image"><img src="/files/images/`)
		w.i(int(e.gen))
		w.s(`.jpg" alt="" /><figcaption>`)
		w.t(caption)
		w.s("</figcaption></figure>\n")
	case LayoutGenerated:
		p.genPicture(pg, e, caption)
	default:
		w.s(`<figure><img src="/img/`)
		w.i(int(e.gen))
		w.s(`.jpg" alt=""><figcaption>`)
		w.t(caption)
		w.s("</figcaption></figure>\n")
	}
}
