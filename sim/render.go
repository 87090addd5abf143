package sim

import (
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
	w       *buf      // the rendered bytes
	charset string    // declared charset; "" is utf-8
	base    string    // scheme://host of the request
	layout  Layout    // the templates the page is rendered with
	now     time.Time // the clock at the request, for the header's date line
}

// charsetName is the charset the page declares.
func (pg *page) charsetName() string {
	if pg.charset == "" {
		return "utf-8"
	}
	return pg.charset
}

// ---- shells ----

// head opens the document and writes its <head>: the title, the
// canonical link and the description (both omitted when empty).
func (p *Portal) head(pg *page, title, canonical, desc string) {
	switch pg.layout {
	case LayoutVIEPortal:
		portalHead(pg, title, canonical, desc)
	case LayoutVIEApps:
		appsHead(pg, title, canonical, desc)
	case LayoutGenerated:
		p.genHead(pg, title, canonical, desc, nil)
	default:
		redesignHead(pg, title, canonical)
	}
}

// portalHead is the XHTML head of VIEPortal, with its tracking script.
func portalHead(pg *page, title, canonical, desc string) {
	w := pg.w
	w.s(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">`, "\n",
		`<html xmlns="http://www.w3.org/1999/xhtml" lang="vi">`, "\n",
		`<head id="ctl00_Head1"><meta http-equiv="Content-Type" content="text/html; charset=`, pg.charsetName(), `" /><title>`, "\n\t")
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
	w.s("<!DOCTYPE html>\n<html lang=\"vi-VN\">\n<head>\n<meta charset=\"", pg.charsetName(), "\" />\n",
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

// menuItems writes <li> links to page 1 of every non-empty category
// listing: those of shape first, then the other era's shape under an
// archive label.
func (p *Portal) menuItems(pg *page, first uint8) {
	for k, shape := range [2]uint8{first, 1 - first} {
		if !p.hasListings(shape) {
			continue
		}
		if k == 1 {
			pg.w.s(`<li><span>Lưu trữ</span></li>`)
		}
		for c := range categories {
			if len(p.lists[shape][c]) == 0 {
				continue
			}
			pg.w.s(`<li><a href="`, listingPath(shape, uint8(c), 1), `">`)
			pg.w.t(categories[c].name)
			pg.w.s(`</a></li>`)
		}
	}
}

// hasListings reports whether any category has articles in a shape.
func (p *Portal) hasListings(shape uint8) bool {
	for c := range categories {
		if len(p.lists[shape][c]) > 0 {
			return true
		}
	}
	return false
}

func (p *Portal) header(pg *page, shape uint8) {
	w := pg.w
	switch pg.layout {
	case LayoutVIEPortal:
		w.s(`<form name="aspnetForm" method="post" action="/Default.aspx" id="aspnetForm">`, "\n",
			`<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="`, viewState, `" /></div>`, "\n",
			`<div id="wrapper">`, "\n", `<div id="header"><div class="Logo"><a href="/"><img src="/Portals/0/logo_vinachem.png" alt="`, siteName, `" /></a></div>`, "\n",
			`<div class="TopBar"><span class="TopDate">`)
		w.b = appendTopDate(w.b, pg.now)
		w.s(`</span> <a class="Login" href="/Admin/Login.aspx?ReturnUrl=%2fDefault.aspx">Đăng nhập</a> | <a href="/Desktop.aspx/Tin-tuc/Ban-nhap/">Tin chờ duyệt</a> | <a href="/en/">English</a></div></div>`, "\n",
			`<div id="menu"><ul class="MainMenu"><li class="Home"><a href="/">Trang chủ</a></li>`)
		p.menuItems(pg, shape)
		w.s("</ul></div>\n", `<div id="content"><table width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td id="ctl00_LeftPane" class="LeftPane" valign="top">`, "\n")
	case LayoutVIEApps:
		w.s(`<header class="header"><div class="container"><div class="top"><span class="date">`)
		w.b = appendTopDate(w.b, pg.now)
		w.s(`</span><a class="login" href="/Admin/Login.aspx">Đăng nhập</a></div>`, "\n",
			`<div class="logo"><a href="/"><img src="/_themes/default/images/logo.png" alt="`, siteName, `" /></a></div>`, "\n",
			`<nav class="navigator"><ul><li><a href="/"><i class="fas fa-home"></i></a></li>`)
		p.menuItems(pg, shape)
		w.s("</ul></nav></div></header>\n", `<div class="main container"><div class="row"><div class="col-md-8 col-12">`, "\n")
	case LayoutGenerated:
		p.genHeader(pg, shape)
	default:
		w.s(`<div class="site"><div class="topline">`)
		w.b = appendTopDate(w.b, pg.now)
		w.s(`</div><a class="brand" href="/">VINACHEM</a><nav class="nav"><ul>`)
		p.menuItems(pg, shape)
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
	switch pg.layout {
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
	case LayoutGenerated:
		p.genFooter(pg)
	default:
		w.s("</main>\n<aside>")
		p.sidebar(pg)
		w.s("</aside>\n<footer><p>© Vinachem</p></footer></div>\n</body>\n</html>\n")
	}
}

// breadcrumb writes the trail home » category c; the redesign has none.
func breadcrumb(pg *page, shape, c uint8) {
	w := pg.w
	switch pg.layout {
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
