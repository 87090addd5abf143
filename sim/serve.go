package sim

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	portalPrefix = "/desktop.aspx/tin-tuc/" // compared lower-case: IIS ignores case
	appsPrefix   = "/nd/"
	draftPrefix  = "/desktop.aspx/tin-tuc/ban-nhap"
	adminPrefix  = "/admin/"
)

// robots returns robots.txt.
func (p *Portal) robots() string {
	s := "User-agent: *\nDisallow: /Admin/\nDisallow: /admin/\nDisallow: /Desktop.aspx/Tin-tuc/Ban-nhap/\nDisallow: /desktop.aspx/tin-tuc/ban-nhap/\n"
	if p.opts.Faults && p.opts.CrawlDelay > 0 {
		s += "Crawl-delay: " + strconv.FormatFloat(p.opts.CrawlDelay.Seconds(), 'f', -1, 64) + "\n"
	}
	return s
}

// ServeHTTP answers one request.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.stats.inc(cTotal)
	path := r.URL.Path
	lower := strings.ToLower(path)
	pg := &page{base: requestBase(r), now: p.now()}
	if p.opts.Faults && p.serveFaultPath(w, r, lower) {
		return
	}
	if p.opts.Hostile && p.serveHostilePath(w, r, lower) {
		return
	}
	switch {
	case path == "/robots.txt":
		p.serveRobots(w)
	case strings.HasPrefix(lower, adminPrefix) || strings.HasPrefix(lower, draftPrefix):
		p.serveLogin(w, r, pg)
	case path == "/" || lower == "/default.aspx":
		p.serveHome(w, r, pg)
	default:
		p.serveContent(w, r, pg, lower)
	}
}

// requestBase is the scheme://host the request was sent to.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (p *Portal) serveRobots(w http.ResponseWriter) {
	p.stats.inc(cRobots)
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(p.robots()))
}

// serveLogin answers the paths robots.txt disallows with the login form.
func (p *Portal) serveLogin(w http.ResponseWriter, r *http.Request, pg *page) {
	p.stats.inc(cDisallowed)
	p.mu.RLock()
	defer p.mu.RUnlock()
	pg.layout = p.homeLayout()
	p.respond(w, r, pg, http.StatusOK, func() { p.renderLogin(pg) })
}

func (p *Portal) serveHome(w http.ResponseWriter, r *http.Request, pg *page) {
	p.stats.inc(cHome)
	p.mu.RLock()
	defer p.mu.RUnlock()
	pg.layout = p.homeLayout()
	p.respond(w, r, pg, http.StatusOK, func() { p.renderHome(pg) })
}

// serveContent answers listing and article paths, and any other path
// with the 404 page.
func (p *Portal) serveContent(w http.ResponseWriter, r *http.Request, pg *page, lower string) {
	p.mu.RLock()
	route, ok := p.resolve(r.URL.Path, lower, r.URL.Query().Get("page"))
	if ok && !route.isListing() && !p.entries[route.article].gone {
		p.serveEntry(w, r, pg, p.entries[route.article]) // releases p.mu
		return
	}
	defer p.mu.RUnlock()
	switch {
	case ok && route.isListing():
		if p.serveListing(w, r, pg, route) {
			return
		}
	case ok:
		p.stats.inc(cGone)
	}
	p.serveNotFound(w, r, pg)
}

// serveListing answers a listing page; false when the page does not
// exist. Called with p.mu held.
func (p *Portal) serveListing(w http.ResponseWriter, r *http.Request, pg *page, route contentRoute) bool {
	pages := p.listingPages(route.shape, route.cat)
	if route.page < 1 || route.page > pages {
		return false
	}
	p.stats.inc(cListing)
	pg.layout = p.layoutOf(route.shape)
	p.respond(w, r, pg, http.StatusOK, func() { p.renderListing(pg, route.shape, route.cat, route.page, pages) })
	return true
}

// serveEntry answers a live article: 503 while it is down, then its
// fault, then the page. Called with p.mu read-locked, it releases the
// lock; the faults that stall or replace the response run without it,
// so a stalled request holds off no Publish or Edit.
func (p *Portal) serveEntry(w http.ResponseWriter, r *http.Request, pg *page, e entry) {
	if p.faults.isDown(e.gen) {
		defer p.mu.RUnlock()
		p.stats.inc(cF503)
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return
	}
	if e.fault != faultNone {
		p.mu.RUnlock()
		if p.faults.stallOrRefuse(w, r, &e) {
			return
		}
		p.mu.RLock()
	}
	defer p.mu.RUnlock()
	p.serveArticle(w, r, pg, &e)
}

// serveNotFound answers the 404 page. Called with p.mu held.
func (p *Portal) serveNotFound(w http.ResponseWriter, r *http.Request, pg *page) {
	p.stats.inc(cNotFound)
	pg.layout = p.homeLayout()
	p.respond(w, r, pg, http.StatusNotFound, func() { p.renderNotFound(pg) })
}

// contentRoute is what a listing or article path resolves to.
type contentRoute struct {
	shape   uint8 // shapePortal or shapeApps
	cat     uint8 // the category the path names
	page    int   // 1-based listing page; 1 for an article
	article int32 // index in p.entries; -1 for a listing
}

// isListing reports whether the route is a category listing page.
func (rt contentRoute) isListing() bool { return rt.article < 0 }

// resolve maps a path to a listing or an article; false when it names
// neither. Called with p.mu held.
func (p *Portal) resolve(path, lower, pageParam string) (contentRoute, bool) {
	shape, segs, ok := splitContentPath(path, lower)
	if !ok {
		return contentRoute{}, false
	}
	c := categoryOf(shape, segs[0])
	if c == noCat {
		return contentRoute{}, false
	}
	if len(segs) == 1 {
		return listingRoute(shape, c, pageParam)
	}
	if shape == shapeApps && isDigits(segs[1]) {
		n, err := strconv.Atoi(segs[1])
		if err != nil || n < 2 {
			return contentRoute{}, false // page 1 is /nd/<category>.html
		}
		return contentRoute{shape: shape, cat: c, page: n, article: -1}, true
	}
	i, ok := p.articleBySlug(shape, c, segs[1])
	if !ok {
		return contentRoute{}, false
	}
	return contentRoute{shape: shape, cat: c, page: 1, article: i}, true
}

// splitContentPath splits a listing or article path into its shape and
// the one or two segments after the shape's prefix: the category, then
// the slug (or a VIEApps page number).
func splitContentPath(path, lower string) (shape uint8, segs []string, ok bool) {
	switch {
	case strings.HasPrefix(lower, portalPrefix):
		shape = shapePortal
		segs = strings.Split(strings.Trim(path[len(portalPrefix):], "/"), "/")
	case strings.HasPrefix(path, appsPrefix) && strings.HasSuffix(path, ".html"):
		shape = shapeApps
		segs = strings.Split(strings.TrimSuffix(path[len(appsPrefix):], ".html"), "/")
	default:
		return 0, nil, false
	}
	if len(segs) > 2 || segs[0] == "" {
		return 0, nil, false
	}
	return shape, segs, true
}

// categoryOf returns the category a path segment names in a shape
// (VIEPortal ignores letter case), or noCat.
func categoryOf(shape uint8, seg string) uint8 {
	for i, cat := range categories {
		if shape == shapePortal && strings.EqualFold(cat.portal, seg) || shape == shapeApps && cat.apps == seg {
			return uint8(i)
		}
	}
	return noCat
}

// listingRoute is the route of a listing path without a page segment:
// VIEPortal numbers its pages with ?page=N, VIEApps ignores the query.
func listingRoute(shape, c uint8, pageParam string) (contentRoute, bool) {
	n := 1
	if shape == shapePortal && pageParam != "" {
		v, err := strconv.Atoi(pageParam)
		if err != nil {
			return contentRoute{}, false
		}
		n = v
	}
	return contentRoute{shape: shape, cat: c, page: n, article: -1}, true
}

// articleBySlug finds the article of a shape that slug names under
// category c (its first category or its cross-post); VIEPortal slugs
// match in any letter case. Called with p.mu held.
func (p *Portal) articleBySlug(shape, c uint8, slug string) (int32, bool) {
	i, found := p.slugs[p.slugHash(shape, slug)]
	if !found {
		return 0, false
	}
	e := &p.entries[i]
	if e.shape != shape || (e.cat != c && e.cat2 != c) {
		return 0, false
	}
	if s := p.slug(e); s != slug && (shape == shapeApps || !strings.EqualFold(s, slug)) {
		return 0, false
	}
	return i, true
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validators returns the ETag and Last-Modified of an article page.
// Called with p.mu held.
func (p *Portal) validators(e *entry, layout Layout) (string, time.Time) {
	h := fnv.New64a()
	var b [24]byte
	b[0], b[1], b[2] = byte(layout), byte(e.rev), byte(e.rev>>8)
	for k, v := range []int64{int64(e.gen), p.lastModified(e)} {
		for j := 0; j < 8; j++ {
			b[3+k*8+j] = byte(v >> (8 * j))
		}
	}
	_, _ = h.Write(b[:])
	_, _ = h.Write([]byte(strconv.FormatInt(p.opts.Seed, 10)))
	return `"` + strconv.FormatUint(h.Sum64(), 16) + `"`, time.Unix(p.lastModified(e), 0).UTC()
}

// notModified reports whether a conditional request matches (RFC 9110:
// If-None-Match wins over If-Modified-Since).
func notModified(r *http.Request, etag string, lm time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !lm.After(t) {
			return true
		}
	}
	return false
}

// serveArticle answers an article page or its print view. Called with
// p.mu held.
func (p *Portal) serveArticle(w http.ResponseWriter, r *http.Request, pg *page, e *entry) {
	pg.layout = p.layoutOf(e.shape)
	etag, lm := p.validators(e, pg.layout)
	printView := r.URL.Query().Get("print") != ""
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Last-Modified", lm.Format(http.TimeFormat))
	if notModified(r, etag, lm) {
		p.stats.inc(cNotModified)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	p.stats.inc(cArticle)
	if printView {
		p.stats.inc(cPrint)
	}
	pg.w = getBuf()
	defer putBuf(pg.w)
	if e.fault == faultWindows1258 {
		pg.charset = "windows-1258"
	}
	p.renderArticle(pg, e, printView)
	p.faults.writeArticle(w, r, pg, e)
}

// respond renders with fn into a pooled buffer and writes it.
func (p *Portal) respond(w http.ResponseWriter, r *http.Request, pg *page, status int, fn func()) {
	pg.w = getBuf()
	defer putBuf(pg.w)
	fn()
	p.write(w, r, pg, status)
}

// write sends the rendered page.
func (p *Portal) write(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset="+pg.charsetName())
	h.Set("Content-Length", strconv.Itoa(len(pg.w.b)))
	if pg.layout == LayoutVIEPortal {
		h.Set("Server", "Microsoft-IIS/7.5")
		h.Set("X-Powered-By", "ASP.NET")
		h.Set("Cache-Control", "private")
	} else {
		h.Set("Cache-Control", "public, max-age=60")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(pg.w.b)
	}
}
