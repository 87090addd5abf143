package sim

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const siteName = "Tập đoàn Hóa chất Việt Nam"

// viewState is the ASP.NET hidden field of VIEPortal pages: page weight
// that carries nothing.
var viewState = func() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 3072)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = alphabet[x%64]
	}
	return "/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAg" + string(b) + "=="
}()

// page is one render request.
type page struct {
	w       *buf
	charset string // declared charset; "" is utf-8
	base    string // scheme://host of the request
	tpl     Layout
	now     time.Time
}

func (pg *page) cs() string {
	if pg.charset == "" {
		return "utf-8"
	}
	return pg.charset
}

// ---- shells ----

// head opens the document and writes its <head>: the title, the
// canonical link and the description (both omitted when empty).
func (p *Portal) head(pg *page, title, canonical, desc string) {
	switch pg.tpl {
	case LayoutVIEPortal:
		portalHead(pg, title, canonical, desc)
	case LayoutVIEApps:
		appsHead(pg, title, canonical, desc)
	default:
		redesignHead(pg, title, canonical)
	}
}

// portalHead is the XHTML head of VIEPortal, with its tracking script.
func portalHead(pg *page, title, canonical, desc string) {
	w := pg.w
	w.s(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">`, "\n",
		`<html xmlns="http://www.w3.org/1999/xhtml" lang="vi">`, "\n",
		`<head id="ctl00_Head1"><meta http-equiv="Content-Type" content="text/html; charset=`, pg.cs(), `" /><title>`, "\n\t")
	w.t(title)
	w.s(" - ", siteName, "\n</title>\n")
	w.s(`<meta name="keywords" content="Vinachem, hóa chất, phân bón, cao su, VIEPortal" />`, "\n")
	if desc != "" {
		w.s(`<meta name="description" content="`)
		w.t(desc)
		w.s(`" />`, "\n")
	}
	w.s(`<link href="/Portals/_default/Skins/Vinachem/skin.css" rel="stylesheet" type="text/css" />`, "\n")
	if canonical != "" {
		w.s(`<link rel="canonical" href="`, canonical, `" />`, "\n")
	}
	w.s(`<script type="text/javascript" src="/js/jquery-1.4.2.min.js"></script>`, "\n",
		`<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-1234567-1']); _gaq.push(['_trackPageview']);</script>`, "\n",
		"</head>\n<body id=\"Body\">\n")
}

// appsHead is the HTML5 head of VIEApps NGX, with Open Graph tags.
func appsHead(pg *page, title, canonical, desc string) {
	w := pg.w
	w.s("<!DOCTYPE html>\n<html lang=\"vi-VN\">\n<head>\n<meta charset=\"", pg.cs(), "\" />\n",
		`<meta name="viewport" content="width=device-width, initial-scale=1" />`, "\n<title>")
	w.t(title)
	w.s(" :: ", siteName, "</title>\n")
	if canonical != "" {
		w.s(`<link rel="canonical" href="`, canonical, `" />`, "\n", `<meta property="og:url" content="`, canonical, `" />`, "\n")
	}
	w.s(`<meta property="og:type" content="article" />`, "\n", `<meta property="og:title" content="`)
	w.t(title)
	w.s(`" />`, "\n")
	if desc != "" {
		w.s(`<meta name="description" content="`)
		w.t(desc)
		w.s(`" />`, "\n", `<meta property="og:description" content="`)
		w.t(desc)
		w.s(`" />`, "\n")
	}
	w.s(`<meta name="author" content="Vinachem" />`, "\n",
		`<link rel="stylesheet" href="/_themes/default/css/all.css" />`, "\n",
		`<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/5.15.4/css/all.min.css" />`, "\n",
		`<script src="/_assets/default.js" defer></script>`, "\n</head>\n<body>\n")
}

// redesignHead is the redesign's minimal head: always utf-8, no
// description.
func redesignHead(pg *page, title, canonical string) {
	w := pg.w
	w.s("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
	w.t(title)
	w.s(" | Vinachem</title>\n")
	if canonical != "" {
		w.s(`<link rel="canonical" href="`, canonical, `">`, "\n")
	}
	w.s("<link rel=\"stylesheet\" href=\"/assets/app.css\">\n</head>\n<body>\n")
}

// menu writes links to page 1 of every non-empty category listing: the
// current site's first, then the other era's as an archive.
func (p *Portal) menuItems(pg *page, first uint8, open, close string) {
	for k, shape := range [2]uint8{first, 1 - first} {
		any := false
		for c := range categories {
			if len(p.lists[shape][c]) > 0 {
				any = true
				break
			}
		}
		if !any {
			continue
		}
		if k == 1 {
			pg.w.s(open, `<span>Lưu trữ</span>`, close)
		}
		for c := range categories {
			if len(p.lists[shape][c]) == 0 {
				continue
			}
			pg.w.s(open, `<a href="`, listingPath(shape, uint8(c), 1), `">`)
			pg.w.t(categories[c].name)
			pg.w.s(`</a>`, close)
		}
	}
}

func (p *Portal) header(pg *page, shape uint8) {
	w := pg.w
	switch pg.tpl {
	case LayoutVIEPortal:
		w.s(`<form name="aspnetForm" method="post" action="/Default.aspx" id="aspnetForm">`, "\n",
			`<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="`, viewState, `" /></div>`, "\n",
			`<div id="wrapper">`, "\n", `<div id="header"><div class="Logo"><a href="/"><img src="/Portals/0/logo_vinachem.png" alt="`, siteName, `" /></a></div>`, "\n",
			`<div class="TopBar"><span class="TopDate">`)
		w.b = appendTopDate(w.b, pg.now)
		w.s(`</span> <a class="Login" href="/Admin/Login.aspx?ReturnUrl=%2fDefault.aspx">Đăng nhập</a> | <a href="/Desktop.aspx/Tin-tuc/Ban-nhap/">Tin chờ duyệt</a> | <a href="/en/">English</a></div></div>`, "\n",
			`<div id="menu"><ul class="MainMenu"><li class="Home"><a href="/">Trang chủ</a></li>`)
		p.menuItems(pg, shape, "<li>", "</li>")
		w.s("</ul></div>\n", `<div id="content"><table width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td id="ctl00_LeftPane" class="LeftPane" valign="top">`, "\n")
	case LayoutVIEApps:
		w.s(`<header class="header"><div class="container"><div class="top"><span class="date">`)
		w.b = appendTopDate(w.b, pg.now)
		w.s(`</span><a class="login" href="/Admin/Login.aspx">Đăng nhập</a></div>`, "\n",
			`<div class="logo"><a href="/"><img src="/_themes/default/images/logo.png" alt="`, siteName, `" /></a></div>`, "\n",
			`<nav class="navigator"><ul><li><a href="/"><i class="fas fa-home"></i></a></li>`)
		p.menuItems(pg, shape, "<li>", "</li>")
		w.s("</ul></nav></div></header>\n", `<div class="main container"><div class="row"><div class="col-md-8 col-12">`, "\n")
	default:
		w.s(`<div class="site"><div class="topline">`)
		w.b = appendTopDate(w.b, pg.now)
		w.s(`</div><a class="brand" href="/">VINACHEM</a><nav class="nav"><ul>`)
		p.menuItems(pg, shape, "<li>", "</li>")
		w.s("</ul></nav>\n<main>\n")
	}
}

func (p *Portal) sidebar(pg *page) {
	// the newest titles: "most read" boxes are boilerplate of every page
	w := pg.w
	n := min(8, len(p.entries))
	w.s(`<ul class="MostRead">`)
	for k := 0; k < n; k++ {
		e := &p.entries[len(p.entries)-1-k]
		w.s(`<li><a href="`, p.articlePath(e, e.cat), `">`)
		w.t(p.title(e))
		w.s("</a></li>")
	}
	w.s("</ul>\n")
}

func (p *Portal) footer(pg *page) {
	w := pg.w
	switch pg.tpl {
	case LayoutVIEPortal:
		w.s(`</td><td id="ctl00_RightPane" class="RightPane" valign="top" width="300"><div class="ModuleTitle">Tin đọc nhiều</div>`)
		p.sidebar(pg)
		w.s(`<div class="ModuleTitle">Liên kết website</div><select onchange="window.open(this.value)"><option value="http://www.moit.gov.vn">Bộ Công Thương</option><option value="http://www.chinhphu.vn">Cổng TTĐT Chính phủ</option></select>`,
			"</td></tr></table></div>\n",
			`<div id="footer"><div class="FooterMenu"><a href="/">Trang chủ</a> | <a href="/Desktop.aspx/Lien-he/">Liên hệ</a> | <a href="/Desktop.aspx/So-do-site/">Sơ đồ site</a></div>`,
			`<div class="Copyright">Bản quyền © 2010 `, siteName, `<br />Địa chỉ: Số 1A Tràng Tiền, Hoàn Kiếm, Hà Nội<br />Điện thoại: (024) 38240551 - Fax: (024) 38252995</div>`,
			`<div class="PoweredBy">Powered by <a href="http://www.vieportal.net/" target="_blank">VIEPortal.net</a></div></div>`, "\n</div>\n</form>\n</body>\n</html>\n")
	case LayoutVIEApps:
		w.s("</div>\n", `<div class="col-md-4 col-12"><aside class="cms view list"><h3>Đọc nhiều</h3>`)
		p.sidebar(pg)
		w.s("</aside></div></div></div>\n",
			`<footer class="footer"><div class="container"><div class="copyright">© `, siteName, `. Giấy phép số 123/GP-TTĐT.<br />Địa chỉ: Số 1A Tràng Tiền, Hoàn Kiếm, Hà Nội</div>`,
			`<div class="links"><a href="/lien-he.html">Liên hệ</a> <a href="https://www.facebook.com/vinachem">Facebook</a></div><div class="powered">Powered by VIEApps NGX</div></div></footer>`,
			"\n<script>window.__vieapps = {\"desktop\": \"nd\", \"language\": \"vi-VN\"};</script>\n</body>\n</html>\n")
	default:
		w.s("</main>\n<aside>")
		p.sidebar(pg)
		w.s("</aside>\n<footer><p>© Vinachem</p></footer></div>\n</body>\n</html>\n")
	}
}

// ---- link decorations (dedup scenarios) ----

// variant returns how a link to e at path is written: some links carry
// tracking parameters, a fragment, or (IIS) another letter case.
func variant(e *entry, path string, others bool) string {
	g := int(e.gen)
	if g == 0 {
		return path
	}
	if e.shape == shapePortal && (g%5 == 1 || others && g%2 == 0) {
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
	href := variant(e, p.articlePath(e, c), false)
	title := p.title(e)
	pub := time.Unix(e.pub, 0).In(vnZone)
	switch pg.tpl {
	case LayoutVIEPortal:
		w.s(`<div class="NewsItem"><a class="NewsImage" href="`, href, `"><img src="/Portals/0/News/thumb_`)
		w.i(int(e.gen))
		w.s(`.jpg" alt="" /></a><a class="NewsTitle" href="`, href, `">`)
		w.t(title)
		w.s(`</a> <span class="NewsDate">(`)
		w.dmy(pub)
		w.s(`)</span><div class="NewsSummary">`)
		w.t(p.summary(e, pg.tpl))
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
		w.t(p.summary(e, pg.tpl))
		w.s("</span></li>\n")
	default:
		w.s(`<article class="card"><h3><a href="`, href, `">`)
		w.t(title)
		w.s(`</a></h3><p>`)
		w.dmy(pub)
		w.s("</p></article>\n")
	}
}

func (p *Portal) listOpen(pg *page) {
	switch pg.tpl {
	case LayoutVIEPortal:
		pg.w.s(`<div class="NewsList">`, "\n")
	case LayoutVIEApps:
		pg.w.s(`<ul class="cms list content">`, "\n")
	default:
		pg.w.s(`<div class="cards">`, "\n")
	}
}

func (p *Portal) listClose(pg *page) {
	if pg.tpl == LayoutVIEApps {
		pg.w.s("</ul>\n")
	} else {
		pg.w.s("</div>\n")
	}
}

// renderHome writes the home page: the newest articles of the whole site.
func (p *Portal) renderHome(pg *page) {
	shape := uint8(shapeApps)
	if pg.tpl == LayoutVIEPortal {
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
	pager(pg, shape, c, n, pages)
	p.footer(pg)
}

// pager writes the pagination of page n of pages.
func pager(pg *page, shape, c uint8, n, pages int) {
	switch pg.tpl {
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

// ---- articles ----

// others returns up to n articles of category c published before e.
func (p *Portal) others(e *entry, c uint8, n int) []int32 {
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
		switch pg.tpl {
		case LayoutVIEPortal:
			w.s(`<p style="text-align: justify;">`)
		default:
			w.s(`<p>`)
		}
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

func (p *Portal) picture(pg *page, e *entry, caption string) {
	w := pg.w
	switch pg.tpl {
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
	default:
		w.s(`<figure><img src="/img/`)
		w.i(int(e.gen))
		w.s(`.jpg" alt=""><figcaption>`)
		w.t(caption)
		w.s("</figcaption></figure>\n")
	}
}

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
		c:         p.content(e, pg.tpl),
		path:      p.articlePath(e, e.cat),
		pub:       time.Unix(e.pub, 0).In(vnZone),
		printView: printView,
	}
	a.canonical = pg.base + a.path
	p.head(pg, a.c.title, a.canonical, a.c.lead)
	if printView {
		printHeader(pg)
	} else {
		p.header(pg, e.shape)
	}
	switch pg.tpl {
	case LayoutVIEPortal:
		p.portalArticle(pg, a)
	case LayoutVIEApps:
		p.appsArticle(pg, a)
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

// breadcrumb writes the trail home » category c; the redesign has none.
func breadcrumb(pg *page, shape, c uint8) {
	w := pg.w
	switch pg.tpl {
	case LayoutVIEPortal:
		w.s(`<div class="Breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="`, listingPath(shape, c, 1), `">`)
		w.t(categories[c].name)
		w.s("</a></div>\n")
	case LayoutVIEApps:
		w.s(`<ul class="cms breadcrumbs"><li><a href="/">Trang chủ</a></li><li><a href="`, listingPath(shape, c, 1), `">`)
		w.t(categories[c].name)
		w.s("</a></li></ul>\n")
	}
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
	for _, k := range p.others(e, e.cat, 8) {
		o := &p.entries[k]
		w.s(`<li><a href="`, variant(o, p.articlePath(o, e.cat), true), `">`)
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
		others := p.others(e, e.cat, 8)
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
		w.s(`<li><a href="`, variant(o, p.articlePath(o, e.cat), true), `">`)
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

// renderLogin writes the login form the disallowed paths show.
func (p *Portal) renderLogin(pg *page) {
	p.head(pg, "Đăng nhập hệ thống", "", "")
	p.header(pg, shapePortal)
	pg.w.s(`<div class="Login"><h2>Đăng nhập</h2><input type="text" name="user" /><input type="password" name="pass" /></div>`, "\n")
	p.footer(pg)
}

// renderNotFound writes the site's 404 page.
func (p *Portal) renderNotFound(pg *page) {
	p.head(pg, "Không tìm thấy trang", "", "")
	p.header(pg, shapeApps)
	pg.w.s(`<div class="NotFound"><h2>Không tìm thấy trang</h2><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa. <a href="/">Về trang chủ</a></p></div>`, "\n")
	p.footer(pg)
}
