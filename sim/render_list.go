package sim

import (
	"strconv"
	"strings"
	"time"
)

// ---- link decorations (dedup scenarios) ----

// decorateLink returns how a link to e at path is written: some links
// carry tracking parameters, a fragment, or (IIS) another letter case;
// more VIEPortal links are lower-cased in an article's lists of other
// news (inArticleList).
func decorateLink(e *entry, path string, inArticleList bool) string {
	g := int(e.gen)
	if g == 0 {
		return path
	}
	if e.shape == shapePortal && (g%5 == 1 || inArticleList && g%2 == 0) {
		path = strings.ToLower(path)
	}
	switch {
	case g%7 == 3:
		path += "?utm_source=facebook&utm_medium=social&utm_campaign=tin-tuc"
	case g%11 == 5:
		path += "?fbclid=IwAR" + strconv.FormatUint(uint64(g)*2654435761, 36)
	case g%17 == 4:
		path += "?zarsrc=30&utm_source=zalo&utm_medium=zalo&utm_campaign=zalo"
	}
	if g%9 == 2 {
		path += "#comments"
	}
	return path
}

// ---- home and listings ----

// listItem writes one article teaser in the template's list markup.
func (p *Portal) listItem(pg *page, e *entry, c uint8) {
	w := pg.w
	href := decorateLink(e, p.articlePath(e, c), false)
	title := p.title(e)
	pub := time.Unix(e.pub, 0).In(vnZone)
	switch pg.layout {
	case LayoutVIEPortal:
		w.s(`<div class="NewsItem"><a class="NewsImage" href="`, href, `"><img src="/Portals/0/News/thumb_`)
		w.i(int(e.gen))
		w.s(`.jpg" alt="" /></a><a class="NewsTitle" href="`, href, `">`)
		w.t(title)
		w.s(`</a> <span class="NewsDate">(`)
		w.dmy(pub)
		w.s(`)</span><div class="NewsSummary">`)
		w.t(p.summary(e, pg.layout))
		w.s("</div></div>\n")
	case LayoutVIEApps:
		w.s(`<li><figure><a href="`, href, `"><img src="/files/thumbnails/`)
		w.i(int(e.gen))
		w.s(`.jpg" alt="" /></a></figure><h3><a href="`, href, `">`)
		w.t(title)
		w.s(`</a></h3><div class="meta"><span><i class="far fa-clock"></i> `)
		w.b = appendAppsListTime(w.b, pub)
		w.s(`</span> <span><i class="far fa-user"></i> `)
		w.t(p.byline(e.gen))
		w.s(`</span></div><span>`)
		w.t(p.summary(e, pg.layout))
		w.s("</span></li>\n")
	case LayoutGenerated:
		p.genListItem(pg, e, href)
	default:
		w.s(`<article class="card"><h3><a href="`, href, `">`)
		w.t(title)
		w.s(`</a></h3><p>`)
		w.dmy(pub)
		w.s("</p></article>\n")
	}
}

func (p *Portal) listOpen(pg *page) {
	switch pg.layout {
	case LayoutVIEPortal:
		pg.w.s(`<div class="NewsList">`, "\n")
	case LayoutVIEApps:
		pg.w.s(`<ul class="cms list content">`, "\n")
	case LayoutGenerated:
		pg.w.s(`<div`, cls(p.theme.Names.List), ">\n")
	default:
		pg.w.s(`<div class="cards">`, "\n")
	}
}

func (p *Portal) listClose(pg *page) {
	if pg.layout == LayoutVIEApps {
		pg.w.s("</ul>\n")
	} else {
		pg.w.s("</div>\n")
	}
}

// renderHome writes the home page: the newest articles of the whole site.
func (p *Portal) renderHome(pg *page) {
	shape := uint8(shapeApps)
	if pg.layout == LayoutVIEPortal {
		shape = shapePortal
	}
	p.head(pg, "Trang chủ", pg.base+"/", "Cổng thông tin điện tử "+siteName)
	p.header(pg, shape)
	pg.w.s(`<h2 class="ModuleTitle">Tin mới</h2>`, "\n")
	p.listOpen(pg)
	for k := 0; k < p.opts.PageSize && k < len(p.entries); k++ {
		e := &p.entries[len(p.entries)-1-k]
		p.listItem(pg, e, e.cat)
	}
	p.listClose(pg)
	if p.opts.Faults {
		p.faultLinks(pg)
	}
	if p.opts.Hostile {
		p.hostileLinks(pg)
	}
	p.footer(pg)
}

// listingPages is the number of pages of category c's listing in a
// shape; an empty listing has one, empty, page.
func (p *Portal) listingPages(shape, c uint8) int {
	return max(1, (len(p.lists[shape][c])+p.opts.PageSize-1)/p.opts.PageSize)
}

// renderListing writes page n of the pages of category c's listing in a
// shape.
func (p *Portal) renderListing(pg *page, shape, c uint8, n, pages int) {
	list := p.lists[shape][c]
	title := categories[c].name
	if n > 1 {
		title += " - Trang " + strconv.Itoa(n)
	}
	p.head(pg, title, pg.base+listingPath(shape, c, n), "")
	p.header(pg, shape)
	breadcrumb(pg, shape, c)
	p.listOpen(pg)
	// newest first
	hi := len(list) - (n-1)*p.opts.PageSize
	lo := max(0, hi-p.opts.PageSize)
	for k := hi - 1; k >= lo; k-- {
		p.listItem(pg, &p.entries[list[k]], c)
	}
	p.listClose(pg)
	p.pager(pg, shape, c, n, pages)
	p.footer(pg)
}

// pager writes the pagination of page n of pages.
func (p *Portal) pager(pg *page, shape, c uint8, n, pages int) {
	switch pg.layout {
	case LayoutGenerated:
		p.genPager(pg, shape, c, n, pages)
	case LayoutVIEPortal:
		portalPager(pg, shape, c, n, pages)
	case LayoutVIEApps:
		appsPager(pg, shape, c, n, pages)
	default:
		redesignPager(pg, shape, c, n, pages)
	}
}

// pagerWindow is the range of page numbers a pager lists around page n.
func pagerWindow(n, pages int) (from, to int) { return max(1, n-5), min(pages, n+5) }

// portalPager writes first/previous, the numbers around n, next/last.
func portalPager(pg *page, shape, c uint8, n, pages int) {
	w := pg.w
	w.s(`<div class="Pager"><span class="PagerLabel">Trang: </span>`)
	if n > 1 {
		w.s(`<a href="`, listingPath(shape, c, 1), `">Đầu</a> <a href="`, listingPath(shape, c, n-1), `">&laquo; Trước</a> `)
	}
	from, to := pagerWindow(n, pages)
	for k := from; k <= to; k++ {
		if k == n {
			w.s(`<span class="Current">`)
			w.i(k)
			w.s(`</span> `)
			continue
		}
		w.s(`<a href="`, listingPath(shape, c, k), `">`)
		w.i(k)
		w.s(`</a> `)
	}
	if n < pages {
		w.s(`<a href="`, listingPath(shape, c, n+1), `">Tiếp &raquo;</a> <a href="`, listingPath(shape, c, pages), `">Cuối</a>`)
	}
	w.s("</div>\n")
}

// appsPager writes previous, the numbers around n, next.
func appsPager(pg *page, shape, c uint8, n, pages int) {
	w := pg.w
	w.s(`<section class="cms pagination">`)
	if n > 1 {
		w.s(`<a class="previous" href="`, listingPath(shape, c, n-1), `"><i class="fas fa-chevron-left"></i></a>`)
	}
	w.s("<ul>")
	from, to := pagerWindow(n, pages)
	for k := from; k <= to; k++ {
		if k == n {
			w.s(`<li class="current"><span>`)
			w.i(k)
			w.s(`</span></li>`)
			continue
		}
		w.s(`<li><a href="`, listingPath(shape, c, k), `">`)
		w.i(k)
		w.s(`</a></li>`)
	}
	w.s("</ul>")
	if n < pages {
		w.s(`<a class="next" href="`, listingPath(shape, c, n+1), `"><i class="fas fa-chevron-right"></i></a>`)
	}
	w.s("</section>\n")
}

// redesignPager writes only newer/older links.
func redesignPager(pg *page, shape, c uint8, n, pages int) {
	w := pg.w
	w.s(`<nav class="pages">`)
	if n > 1 {
		w.s(`<a rel="prev" href="`, listingPath(shape, c, n-1), `">Mới hơn</a> `)
	}
	if n < pages {
		w.s(`<a rel="next" href="`, listingPath(shape, c, n+1), `">Cũ hơn</a>`)
	}
	w.s("</nav>\n")
}
