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
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	pg := &page{base: scheme + "://" + r.Host, now: p.now()}

	if p.opts.Faults && p.serveSpecial(w, r, lower) {
		return
	}
	switch {
	case path == "/robots.txt":
		p.stats.inc(cRobots)
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(p.robots()))
		return
	case strings.HasPrefix(lower, adminPrefix) || strings.HasPrefix(lower, draftPrefix):
		p.stats.inc(cDisallowed)
		p.mu.RLock()
		defer p.mu.RUnlock()
		pg.tpl = p.homeTemplate()
		p.respond(w, r, pg, http.StatusOK, func() {
			p.head(pg, "Đăng nhập hệ thống", "", "")
			p.header(pg, shapePortal)
			pg.w.s(`<div class="Login"><h2>Đăng nhập</h2><input type="text" name="user" /><input type="password" name="pass" /></div>`, "\n")
			p.footer(pg)
		})
		return
	case path == "/" || lower == "/default.aspx":
		p.stats.inc(cHome)
		p.mu.RLock()
		defer p.mu.RUnlock()
		pg.tpl = p.homeTemplate()
		p.respond(w, r, pg, http.StatusOK, func() { p.renderHome(pg) })
		return
	}

	p.mu.RLock()
	locked := true
	defer func() {
		if locked {
			p.mu.RUnlock()
		}
	}()
	shape, c, n, idx, ok := p.resolve(path, lower, r.URL.Query().Get("page"))
	switch {
	case ok && idx < 0:
		pg.tpl = p.template(shape)
		pg.w = getBuf()
		defer putBuf(pg.w)
		if p.renderListing(pg, shape, c, n) {
			p.stats.inc(cListing)
			p.write(w, r, pg, http.StatusOK)
			return
		}
	case ok:
		e := p.entries[idx]
		if e.gone {
			p.stats.inc(cGone)
			break
		}
		if p.faults.isDown(e.gen) {
			p.stats.inc(cF503)
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		if e.fault != faultNone {
			locked = false
			p.mu.RUnlock()
			if p.faults.before(w, r, &e) {
				return
			}
			p.mu.RLock()
			locked = true
		}
		p.serveArticle(w, r, pg, &e)
		return
	}
	p.stats.inc(cNotFound)
	pg.tpl = p.homeTemplate()
	p.respond(w, r, pg, http.StatusNotFound, func() { p.renderNotFound(pg) })
}

// resolve maps a path to a listing (idx < 0) or an article entry.
// Called with p.mu held.
func (p *Portal) resolve(path, lower, pageParam string) (shape, c uint8, n int, idx int32, ok bool) {
	var rest string
	var parts []string
	switch {
	case strings.HasPrefix(lower, portalPrefix):
		shape = shapePortal
		rest = strings.Trim(path[len(portalPrefix):], "/")
		parts = strings.Split(rest, "/")
	case strings.HasPrefix(path, appsPrefix) && strings.HasSuffix(path, ".html"):
		shape = shapeApps
		rest = strings.TrimSuffix(path[len(appsPrefix):], ".html")
		parts = strings.Split(rest, "/")
	default:
		return 0, 0, 0, 0, false
	}
	if len(parts) < 1 || len(parts) > 2 || parts[0] == "" {
		return 0, 0, 0, 0, false
	}
	c = noCat
	for i, cat := range categories {
		if shape == shapePortal && strings.EqualFold(cat.portal, parts[0]) || shape == shapeApps && cat.apps == parts[0] {
			c = uint8(i)
		}
	}
	if c == noCat {
		return 0, 0, 0, 0, false
	}
	n = 1
	if len(parts) == 1 {
		if shape == shapePortal && pageParam != "" {
			v, err := strconv.Atoi(pageParam)
			if err != nil {
				return 0, 0, 0, 0, false
			}
			n = v
		}
		return shape, c, n, -1, true
	}
	if shape == shapeApps && isDigits(parts[1]) {
		v, err := strconv.Atoi(parts[1])
		if err != nil || v < 2 {
			return 0, 0, 0, 0, false // page 1 is /nd/<category>.html
		}
		return shape, c, v, -1, true
	}
	i, found := p.slugs[p.slugHash(shape, parts[1])]
	if !found {
		return 0, 0, 0, 0, false
	}
	e := &p.entries[i]
	if e.shape != shape || (e.cat != c && e.cat2 != c) || p.slug(e) != parts[1] && (shape == shapeApps || !strings.EqualFold(p.slug(e), parts[1])) {
		return 0, 0, 0, 0, false
	}
	return shape, c, 1, i, true
}

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
func (p *Portal) validators(e *entry, tpl Layout) (string, time.Time) {
	h := fnv.New64a()
	var b [24]byte
	b[0], b[1], b[2] = byte(tpl), byte(e.rev), byte(e.rev>>8)
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
	pg.tpl = p.template(e.shape)
	etag, lm := p.validators(e, pg.tpl)
	print := r.URL.Query().Get("print") != ""
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Last-Modified", lm.Format(http.TimeFormat))
	if notModified(r, etag, lm) {
		p.stats.inc(cNotModified)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	p.stats.inc(cArticle)
	if print {
		p.stats.inc(cPrint)
	}
	pg.w = getBuf()
	defer putBuf(pg.w)
	switch e.fault {
	case faultWindows1258:
		pg.charset = "windows-1258"
	}
	p.renderArticle(pg, e, print)
	p.faults.after(w, r, pg, e)
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
	cs := pg.charset
	if cs == "" {
		cs = "utf-8"
	}
	h.Set("Content-Type", "text/html; charset="+cs)
	h.Set("Content-Length", strconv.Itoa(len(pg.w.b)))
	if pg.tpl == LayoutVIEPortal {
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
