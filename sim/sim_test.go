package sim

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/parc-archiver/parc/internal/canon"
)

const testBase = "http://example.com" // httptest.NewRequest's host

// get serves one request in-process.
func get(t testing.TB, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func parse(t testing.TB, b []byte) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	rePortalTime = regexp.MustCompile(`^(\d{2}):(\d{2})' (AM|PM)[\s\x{a0}]-[\s\x{a0}](Chủ nhật|Thứ [^,]+),[\s\x{a0}](\d{2})/(\d{2})/(\d{4})$`)
	reAppsTime   = regexp.MustCompile(`^(\d{2}):(\d{2}) (SA|CH) @ (Chủ Nhật|Thứ \S+) - (\d{2}) (Tháng [^,]+), (\d{4})$`)
)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// parseTime reads both vendors' article timestamps.
func parseTime(t testing.TB, s string) time.Time {
	t.Helper()
	s = strings.TrimSpace(s)
	if m := reAppsTime.FindStringSubmatch(s); m != nil {
		h := atoi(m[1]) % 12
		if m[3] == "CH" {
			h += 12
		}
		month := 0
		for i, name := range appsMonths {
			if name == m[6] {
				month = i + 1
			}
		}
		if month == 0 {
			t.Fatalf("unknown month in %q", s)
		}
		d := time.Date(atoi(m[7]), time.Month(month), atoi(m[5]), h, atoi(m[2]), 0, 0, vnZone)
		if appsWeekdays[d.Weekday()] != m[4] {
			t.Fatalf("%q: wrong weekday", s)
		}
		return d
	}
	m := rePortalTime.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("unparseable timestamp %q", s)
	}
	h := atoi(m[1]) % 12
	if m[3] == "PM" {
		h += 12
	}
	d := time.Date(atoi(m[7]), time.Month(atoi(m[6])), atoi(m[5]), h, atoi(m[2]), 0, 0, vnZone)
	if portalWeekdays[d.Weekday()] != m[4] {
		t.Fatalf("%q: wrong weekday", s)
	}
	return d
}

// extracted is what the Config profile yields from a page, computed the
// way a correct extractor does.
type extracted struct {
	title, byline, body, category, canonical, lead string
	published                                      time.Time
}

func extractPage(t testing.TB, b []byte) extracted {
	t.Helper()
	doc := parse(t, b)
	var x extracted
	x.canonical, _ = doc.Find(`link[rel="canonical"]`).Attr("href")
	x.title = collapse(doc.Find(SelTitle).First().Text())
	x.published = parseTime(t, doc.Find(SelPublished).First().Text())
	by := doc.Find(SelByline).First()
	x.byline = collapse(by.Text())
	x.category = collapse(doc.Find(SelCategory).First().Text())
	x.lead = collapse(doc.Find("div.cms.view.content > span.summary").Text())
	for _, s := range RemoveSelectors() {
		doc.Find(s).Remove()
	}
	by.Remove()
	var paras []string
	doc.Find(SelBody).First().Find("p").Each(func(_ int, p *goquery.Selection) {
		if s := collapse(p.Text()); s != "" {
			paras = append(paras, s)
		}
	})
	x.body = strings.Join(paras, "\n\n")
	return x
}

func TestDeterminism(t *testing.T) {
	a, b := New(Options{Articles: 300, Seed: 7}), New(Options{Articles: 300, Seed: 7})
	other := New(Options{Articles: 300, Seed: 8})
	truth := a.Truth()
	paths := []string{"/", "/nd/tin-tap-doan.html", "/Desktop.aspx/Tin-tuc/Phan-bon/?page=2", truth[1].URL, truth[len(truth)-1].URL}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			ra, rb := get(t, a, p), get(t, b, p)
			if ra.Code != http.StatusOK {
				t.Fatalf("status %d", ra.Code)
			}
			if !bytes.Equal(ra.Body.Bytes(), rb.Body.Bytes()) || ra.Header().Get("ETag") != rb.Header().Get("ETag") {
				t.Fatal("same seed served different bytes")
			}
		})
	}
	if truth[len(truth)-1].Body == other.Truth()[len(truth)-1].Body {
		t.Error("another seed generated the same body")
	}
}

func TestTruthShape(t *testing.T) {
	p := New(Options{Articles: 500, Seed: 3})
	truth := p.Truth()
	if len(truth) != 500 {
		t.Fatalf("got %d articles, want 500", len(truth))
	}
	keys := map[string]bool{}
	var portal, apps, cross int
	for i, a := range truth {
		if keys[a.Key] {
			t.Fatalf("duplicate key %s", a.Key)
		}
		keys[a.Key] = true
		if i > 0 && !a.Published.After(truth[i-1].Published) {
			t.Fatalf("%s not in publication order", a.Key)
		}
		if n := len(strings.Fields(a.Title)); a.Key != SeedKey && (n < 8 || n > 20) {
			t.Errorf("%s: title of %d words: %q", a.Key, n, a.Title)
		}
		if n := len(strings.Split(a.Body, "\n\n")); a.Key != SeedKey && (n < 3 || n > 12) {
			t.Errorf("%s: %d paragraphs", a.Key, n)
		}
		if a.Published.Second() != 0 || a.Published.Location() != vnZone {
			t.Errorf("%s: published %v", a.Key, a.Published)
		}
		switch a.Layout {
		case LayoutVIEPortal:
			portal++
			if !a.Published.Before(eraSwitch) {
				t.Errorf("%s: VIEPortal article of %v", a.Key, a.Published)
			}
		case LayoutVIEApps:
			apps++
		}
		if len(a.Paths) == 3 {
			cross++
		}
	}
	if portal == 0 || apps == 0 || cross == 0 {
		t.Errorf("portal %d, apps %d, cross-posted %d: want all > 0", portal, apps, cross)
	}
}

// TestSeedArticle checks the reference article against its text (sim/testdata/seed.txt).
func TestSeedArticle(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.Trim(string(raw), "\n"), "\n\n")
	wantBody := strings.Join(blocks[2:9], "\n\n")
	for _, l := range []Layout{LayoutMixed, LayoutVIEPortal, LayoutVIEApps} {
		t.Run(l.String(), func(t *testing.T) {
			p := New(Options{Articles: 50, Layout: l})
			a, ok := p.Lookup(SeedKey)
			if !ok {
				t.Fatal("no seed article")
			}
			if a.Title != blocks[0] || a.Byline != "HỒNG LIÊN" || a.Body != wantBody || a.Category != "Tin tập đoàn" {
				t.Fatalf("seed truth differs: %+v", a)
			}
			if want := time.Date(2021, 1, 27, 13, 39, 0, 0, vnZone); !a.Published.Equal(want) {
				t.Errorf("published %v, want %v", a.Published, want)
			}
			w := get(t, p, a.URL)
			page := w.Body.String()
			for _, s := range []string{blocks[1], blocks[0], "HỒNG LIÊN"} {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			doc := parse(t, w.Body.Bytes())
			sponsor := collapse(doc.Find("div.SponsorLinks").Text())
			if want := collapse(blocks[10]); sponsor != want {
				t.Errorf("sponsor block\n got %q\nwant %q", sponsor, want)
			}
			x := extractPage(t, w.Body.Bytes())
			if x.body != wantBody || x.title != a.Title || x.byline != a.Byline || !x.published.Equal(a.Published) {
				t.Errorf("profile extraction differs from truth: %+v", x)
			}
			if strings.Contains(x.body, "Sponsor") || strings.Contains(x.body, "HỒNG LIÊN") {
				t.Error("body carries sponsor or byline text")
			}
		})
	}
}

// TestProfileMatchesTruth extracts every article with Config's selectors,
// in every layout, and compares with Truth.
func TestProfileMatchesTruth(t *testing.T) {
	for _, l := range []Layout{LayoutMixed, LayoutVIEPortal, LayoutVIEApps} {
		t.Run(l.String(), func(t *testing.T) {
			p := New(Options{Articles: 120, Seed: 11, Layout: l})
			for _, a := range p.Truth() {
				for _, path := range a.Paths {
					w := get(t, p, path)
					if w.Code != http.StatusOK {
						t.Fatalf("%s: status %d", path, w.Code)
					}
					x := extractPage(t, w.Body.Bytes())
					if x.title != a.Title || x.body != a.Body || x.byline != a.Byline || !x.published.Equal(a.Published) || x.lead != a.Lead {
						t.Fatalf("%s: extraction differs from truth\n got %+v\nwant %+v", path, x, a)
					}
					if x.canonical != testBase+a.URL {
						t.Fatalf("%s: canonical %q, want %q", path, x.canonical, testBase+a.URL)
					}
					if !strings.Contains(path, "print=1") && x.category != a.Category {
						t.Fatalf("%s: category %q, want %q", path, x.category, a.Category)
					}
				}
			}
		})
	}
}

func TestLayoutMarkup(t *testing.T) {
	p := New(Options{Articles: 400, Seed: 5, PageSize: 5})
	truth := p.Truth()
	var portalArt, appsArt Article
	for _, a := range truth {
		if a.Layout == LayoutVIEPortal && a.Key != SeedKey {
			portalArt = a
		}
		if a.Layout == LayoutVIEApps {
			appsArt = a
		}
	}
	tests := []struct {
		name      string
		path      string
		selectors []string
	}{
		{"vieapps article", appsArt.URL, []string{"header.header", "div.main.container", "footer.footer", "ul.cms.breadcrumbs",
			"div.cms.view.content > h2", "div.cms.view.content div.meta span > label", "div.cms.view.content div.meta section > span",
			"div.cms.view.content > span.summary", "div.cms.view.content > section > p", "div.cms.view.content > div.info",
			"div.cms.view.content > div.tags a", "div.cms.view.internal.relateds", "div.cms.view.external.relateds", "div.cms.view.others"}},
		{"vieapps listing", "/nd/tin-tap-doan.html", []string{"ul.cms.list.content > li h3 > a[href]", "ul.cms.list.content > li i.far.fa-clock",
			"ul.cms.list.content > li i.far.fa-user", "ul.cms.list.content > li > span", "section.cms.pagination a.next", "section.cms.pagination ul > li > a"}},
		{"vieportal article", portalArt.URL, []string{"#aspnetForm input#__VIEWSTATE", "div.Breadcrumb", "div.NewsDetail > h1.Title",
			"div.NewsDetail > div.DateTime", "div.NewsDetail > div.Content > p", "div.Content > p[style*=right] > strong", "div.SponsorLinks a",
			"div.OtherNews li a", "div.Tools a"}},
		{"vieportal listing", "/Desktop.aspx/Tin-tuc/Tin-tap-doan/", []string{"div.NewsList div.NewsItem a.NewsTitle", "div.Pager a"}},
		{"home", "/", []string{"header.header span.date", `a[href^="/Admin/"]`, "ul.cms.list.content > li"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, p, tc.path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			doc := parse(t, w.Body.Bytes())
			for _, s := range tc.selectors {
				if doc.Find(s).Length() == 0 {
					t.Errorf("no %q", s)
				}
			}
		})
	}
	t.Run("vieapps list time", func(t *testing.T) {
		doc := parse(t, get(t, p, "/nd/tin-tap-doan.html").Body.Bytes())
		s := collapse(doc.Find("ul.cms.list.content > li div.meta span").First().Text())
		if !regexp.MustCompile(`^\d{2}/\d{2}/\d{4} \d{2}:\d{2} (SA|CH)$`).MatchString(s) {
			t.Errorf("list time %q", s)
		}
	})
	t.Run("top date is today", func(t *testing.T) {
		if !strings.Contains(get(t, p, "/").Body.String(), "Thứ Sáu, Ngày 19 tháng 04 năm 2024") {
			t.Error("header lacks today's date")
		}
	})
}

// crawl walks the portal from "/" the way parc does: cleaned URLs that
// match Config's regexps and robots.txt. It returns canonical URL -> the
// cleaned URLs it was fetched under.
func crawl(t testing.TB, h http.Handler) map[string][]string {
	t.Helper()
	article, listing := URLPatterns(testBase)
	reA, reL := regexp.MustCompile(article), regexp.MustCompile(listing)
	base, _ := url.Parse(testBase + "/")
	seen := map[string]bool{testBase + "/": true}
	queue := []string{testBase + "/"}
	found := map[string][]string{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		w := get(t, h, u)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", u, w.Code)
		}
		doc := parse(t, w.Body.Bytes())
		if reA.MatchString(u) {
			c, _ := doc.Find(`link[rel="canonical"]`).Attr("href")
			found[c] = append(found[c], u)
		}
		pu, _ := url.Parse(u)
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			next, err := canon.Clean(pu, href)
			if err != nil || seen[next] || !strings.HasPrefix(next, testBase+"/") {
				return
			}
			lp := strings.ToLower(strings.TrimPrefix(next, testBase))
			if strings.HasPrefix(lp, "/admin/") || strings.HasPrefix(lp, "/desktop.aspx/tin-tuc/ban-nhap/") {
				return
			}
			if reA.MatchString(next) || reL.MatchString(next) {
				seen[next] = true
				queue = append(queue, next)
			}
		})
		_ = base
	}
	return found
}

func TestEveryArticleReachable(t *testing.T) {
	for _, l := range []Layout{LayoutMixed, LayoutVIEPortal, LayoutVIEApps} {
		t.Run(l.String(), func(t *testing.T) {
			p := New(Options{Articles: 200, Seed: 2, Layout: l, PageSize: 7})
			found := crawl(t, p)
			for _, a := range p.Truth() {
				if len(found[testBase+a.URL]) == 0 {
					t.Errorf("%s (%s) not reachable from /", a.Key, a.URL)
				}
			}
			if got, want := len(found), len(p.Truth()); got != want {
				t.Errorf("found %d canonical articles, want %d", got, want)
			}
			if s := p.Requests(); s.Disallowed != 0 {
				t.Errorf("crawl hit %d disallowed pages", s.Disallowed)
			}
		})
	}
}

// TestPagination walks each category's listing through its next links.
func TestPagination(t *testing.T) {
	p := New(Options{Articles: 300, Seed: 9, PageSize: 9})
	want := map[string]int{} // listing page 1 -> articles listed
	for s := range p.lists {
		for c := range categories {
			want[listingPath(uint8(s), uint8(c), 1)] = len(p.lists[s][c])
		}
	}
	for first, n := range want {
		t.Run(first, func(t *testing.T) {
			got := map[string]bool{}
			pages := 0
			for u := first; u != ""; pages++ {
				doc := parse(t, get(t, p, u).Body.Bytes())
				doc.Find("ul.cms.list.content > li h3 > a, div.NewsList a.NewsTitle").Each(func(_ int, a *goquery.Selection) {
					href, _ := a.Attr("href")
					k, err := canon.Key(testBase + href)
					if err != nil {
						t.Fatal(err)
					}
					got[k] = true
				})
				u = ""
				doc.Find("section.cms.pagination a.next, div.Pager a").Each(func(_ int, a *goquery.Selection) {
					if a.HasClass("next") || strings.Contains(a.Text(), "Tiếp") {
						u, _ = a.Attr("href")
					}
				})
			}
			if len(got) != n {
				t.Errorf("listed %d distinct articles over %d pages, want %d", len(got), pages, n)
			}
			if wantPages := max(1, (n+8)/9); pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}
}

func TestDedupScenarios(t *testing.T) {
	p := New(Options{Articles: 300, Seed: 4})
	var crossed, portal Article
	for _, a := range p.Truth() {
		if len(a.Paths) == 3 && crossed.Key == "" {
			crossed = a
		}
		if a.Layout == LayoutVIEPortal && a.Key != SeedKey {
			portal = a
		}
	}
	tests := []struct{ name, path, canonical string }{
		{"cross-post", crossed.Paths[1], crossed.URL},
		{"print view", crossed.URL + "?print=1", crossed.URL},
		{"tracking parameters", crossed.URL + "?utm_source=facebook&fbclid=IwAR0x&zarsrc=30", crossed.URL},
		{"lower case", strings.ToLower(portal.URL), portal.URL},
		{"upper case", strings.ToUpper(portal.URL), portal.URL},
		{"no trailing slash", strings.TrimSuffix(portal.URL, "/"), portal.URL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, p, tc.path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			x := extractPage(t, w.Body.Bytes())
			if x.canonical != testBase+tc.canonical {
				t.Errorf("canonical %q, want %q", x.canonical, testBase+tc.canonical)
			}
		})
	}
	t.Run("listings carry variants", func(t *testing.T) {
		var all strings.Builder
		for c := range categories {
			for s := range p.lists {
				all.WriteString(get(t, p, listingPath(uint8(s), uint8(c), 1)).Body.String())
			}
		}
		for _, s := range []string{"utm_source=", "fbclid=", "zarsrc=", "#comments", `href="/desktop.aspx/tin-tuc/`} {
			if !strings.Contains(all.String(), s) {
				t.Errorf("no listing link with %q", s)
			}
		}
	})
	t.Run("unknown slug", func(t *testing.T) {
		if w := get(t, p, "/nd/tin-tap-doan/khong-ton-tai.html"); w.Code != http.StatusNotFound {
			t.Errorf("status %d, want 404", w.Code)
		}
	})
}

func TestConditionalRequests(t *testing.T) {
	now := refTime
	p := New(Options{Articles: 40, Now: func() time.Time { return now }})
	a := p.Truth()[10]
	first := get(t, p, a.URL)
	etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatal("no validators")
	}
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"if-none-match", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"weak if-none-match in list", []string{"If-None-Match", `"x", W/` + etag}, http.StatusNotModified},
		{"stale etag", []string{"If-None-Match", `"stale"`}, http.StatusOK},
		{"if-modified-since", []string{"If-Modified-Since", lm}, http.StatusNotModified},
		{"older if-modified-since", []string{"If-Modified-Since", a.Modified.Add(-time.Hour).UTC().Format(http.TimeFormat)}, http.StatusOK},
		{"etag wins", []string{"If-None-Match", `"stale"`, "If-Modified-Since", lm}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if w := get(t, p, a.URL, tc.header...); w.Code != tc.want {
				t.Errorf("status %d, want %d", w.Code, tc.want)
			}
		})
	}
	if got := p.Requests().NotModified; got != 3 {
		t.Errorf("NotModified = %d, want 3", got)
	}
	now = now.Add(time.Hour)
	if _, err := p.Edit(a.Key); err != nil {
		t.Fatal(err)
	}
	w := get(t, p, a.URL, "If-None-Match", etag)
	if w.Code != http.StatusOK || w.Header().Get("ETag") == etag || w.Header().Get("Last-Modified") == lm {
		t.Errorf("after Edit: status %d, etag %s, last-modified %s", w.Code, w.Header().Get("ETag"), w.Header().Get("Last-Modified"))
	}
}

func TestPublishEditRemove(t *testing.T) {
	now := refTime.Add(24 * time.Hour)
	p := New(Options{Articles: 60, Seed: 1, Now: func() time.Time { return now }})
	before := p.Truth()
	added := p.Publish(3)
	if len(added) != 3 || len(p.Truth()) != len(before)+3 {
		t.Fatalf("published %d, truth %d", len(added), len(p.Truth()))
	}
	newest := added[2]
	if !newest.Published.After(before[len(before)-1].Published) || !newest.Published.Equal(now.Add(2*time.Minute).In(vnZone)) {
		t.Errorf("published at %v", newest.Published)
	}
	for _, path := range []string{"/", listingFor(t, p, newest)} {
		doc := parse(t, get(t, p, path).Body.Bytes())
		href, _ := doc.Find("ul.cms.list.content > li h3 > a, div.NewsList a.NewsTitle").First().Attr("href")
		if k, _ := canon.Key(testBase + href); k != mustKey(t, newest.URL) {
			t.Errorf("%s: top link %s, want %s", path, href, newest.URL)
		}
	}
	if x := extractPage(t, get(t, p, newest.URL).Body.Bytes()); x.body != newest.Body || x.title != newest.Title {
		t.Error("published article differs from its truth")
	}

	t.Run("edit", func(t *testing.T) {
		a := before[20]
		e1, err := p.Edit(a.Key)
		if err != nil {
			t.Fatal(err)
		}
		e2, _ := p.Edit(a.Key)
		if e1.Title == a.Title || e1.Body != a.Body || e1.Revision != 2 {
			t.Errorf("first edit should change the title only: %+v", e1)
		}
		if e2.Title != e1.Title || e2.Body == e1.Body || e2.Revision != 3 || !e2.Modified.After(e1.Modified) {
			t.Errorf("second edit should change a paragraph: %+v", e2)
		}
		if x := extractPage(t, get(t, p, a.URL).Body.Bytes()); x.title != e2.Title || x.body != e2.Body {
			t.Error("page does not show the edit")
		}
		if _, err := p.Edit("nope"); err == nil {
			t.Error("Edit of an unknown key succeeded")
		}
	})
	t.Run("remove", func(t *testing.T) {
		a := added[0]
		if err := p.Remove(a.Key); err != nil {
			t.Fatal(err)
		}
		if w := get(t, p, a.URL); w.Code != http.StatusNotFound {
			t.Errorf("status %d, want 404", w.Code)
		}
		if !strings.Contains(get(t, p, "/").Body.String(), a.URL) {
			t.Error("removed article no longer linked from home")
		}
		for _, x := range p.Truth() {
			if x.Key == a.Key {
				t.Error("removed article still in Truth")
			}
		}
		if p.Requests().Gone != 1 {
			t.Errorf("Gone = %d", p.Requests().Gone)
		}
	})
}

func listingFor(t testing.TB, p *Portal, a Article) string {
	t.Helper()
	for c, cat := range categories {
		if cat.name == a.Category {
			shape := uint8(shapeApps)
			if a.Layout == LayoutVIEPortal {
				shape = shapePortal
			}
			return listingPath(shape, uint8(c), 1)
		}
	}
	t.Fatalf("no category %q", a.Category)
	return ""
}

func mustKey(t testing.TB, path string) string {
	t.Helper()
	k, err := canon.Key(testBase + path)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSetLayout(t *testing.T) {
	p := New(Options{Articles: 80, Seed: 6})
	a := p.Truth()[70]
	etag := get(t, p, a.URL).Header().Get("ETag")
	p.SetLayout(LayoutRedesign)
	w := get(t, p, a.URL, "If-None-Match", etag)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d after redesign", w.Code)
	}
	doc := parse(t, w.Body.Bytes())
	if doc.Find(SelBody).Length() != 0 || doc.Find(SelTitle).Length() != 0 {
		t.Error("redesigned page still matches the profile")
	}
	if !strings.Contains(doc.Text(), strings.Split(a.Body, "\n\n")[0]) {
		t.Error("redesigned page lost the body")
	}
	p.SetLayout(LayoutVIEPortal)
	if got := p.Truth()[70]; got.Layout != LayoutVIEPortal || got.Body != a.Body {
		t.Errorf("layout %v", got.Layout)
	}
	if x := extractPage(t, get(t, p, a.URL).Body.Bytes()); x.body != a.Body {
		t.Error("VIEPortal templates on a VIEApps URL lost the body")
	}
}

func TestRobots(t *testing.T) {
	for _, faults := range []bool{false, true} {
		p := New(Options{Articles: 20, Faults: faults, CrawlDelay: 2 * time.Second})
		body := get(t, p, "/robots.txt").Body.String()
		if !strings.Contains(body, "Disallow: /Admin/") {
			t.Errorf("faults=%v: robots.txt %q", faults, body)
		}
		if got := strings.Contains(body, "Crawl-delay: 2\n"); got != faults {
			t.Errorf("faults=%v: Crawl-delay present %v", faults, got)
		}
		if home := get(t, p, "/").Body.String(); !strings.Contains(home, `href="/Admin/`) {
			t.Error("home page does not link the admin section")
		}
		get(t, p, "/Admin/Login.aspx")
		if p.Requests().Disallowed != 1 {
			t.Error("admin request not counted")
		}
	}
}

func TestConfig(t *testing.T) {
	p := New(Options{})
	cfg := p.Config("http://127.0.0.1:8080")
	for _, s := range []string{"start_urls: ['http://127.0.0.1:8080/']", "allowed_domains: ['127.0.0.1']", "timezone: Asia/Ho_Chi_Minh", "parallelism: 4", "delay: 0s", "- 'div.SponsorLinks'"} {
		if !strings.Contains(cfg, s) {
			t.Errorf("config lacks %q", s)
		}
	}
	article, listing := URLPatterns("http://127.0.0.1:8080")
	reA, reL := regexp.MustCompile(article), regexp.MustCompile(listing)
	tests := []struct {
		url               string
		isArticle, isList bool
	}{
		{"http://127.0.0.1:8080/", false, true},
		{"http://127.0.0.1:8080/nd/tin-tap-doan.html", false, true},
		{"http://127.0.0.1:8080/nd/tin-tap-doan/12.html", false, true},
		{"http://127.0.0.1:8080/nd/tin-tap-doan/san-luong-tang-8.html", true, false},
		{"http://127.0.0.1:8080/Desktop.aspx/Tin-tuc/Phan-bon/", false, true},
		{"http://127.0.0.1:8080/desktop.aspx/tin-tuc/phan-bon/?page=3", false, true},
		{"http://127.0.0.1:8080/Desktop.aspx/Tin-tuc/Phan-bon/San_luong_tang/", true, false},
		{"http://127.0.0.1:8080/Desktop.aspx/Tin-tuc/Phan-bon/San_luong_tang/?print=1", true, false},
		{"http://127.0.0.1:8081/nd/tin-tap-doan/san-luong.html", false, false},
		{"http://127.0.0.1:8080/tags/phan-bon.html", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			if reA.MatchString(tc.url) != tc.isArticle || reL.MatchString(tc.url) != tc.isList {
				t.Errorf("article %v listing %v", reA.MatchString(tc.url), reL.MatchString(tc.url))
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	p := New(Options{Articles: 20000, Seed: 1})
	truth := p.Truth()
	paths := map[string]string{
		"article-vieportal": truth[100].URL,
		"article-vieapps":   truth[len(truth)-5].URL,
		"listing":           "/nd/tin-tap-doan/3.html",
		"home":              "/",
	}
	for name, path := range paths {
		b.Run(name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				p.ServeHTTP(w, r)
			}
			b.SetBytes(int64(w.n / max(1, b.N)))
		})
	}
}

func BenchmarkNew100k(b *testing.B) {
	for b.Loop() {
		New(Options{Articles: 100000})
	}
}

type discardWriter struct {
	h http.Header
	n int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Write(b []byte) (int, error) { d.n += len(b); return io.Discard.Write(b) }

// TestConcurrent serves while publishing, editing and redesigning; run
// with -race.
func TestConcurrent(t *testing.T) {
	p := New(Options{Articles: 100, Faults: true, SlowDelay: time.Millisecond})
	paths := []string{"/", "/nd/tin-tap-doan.html"}
	for _, f := range p.Faults() {
		if f.Kind != "huge" {
			paths = append(paths, f.Path)
		}
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 30; i++ {
				get(t, p, paths[(i+g)%len(paths)])
			}
		}()
	}
	for i := 0; i < 10; i++ {
		a := p.Publish(1)[0]
		if _, err := p.Edit(a.Key); err != nil {
			t.Error(err)
		}
		p.SetLayout(Layout(i % 4))
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	if s := p.Requests(); s.Total != 120 {
		t.Errorf("Total = %d, want 120", s.Total)
	}
}
