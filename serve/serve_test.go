package serve

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
)

const hostileTitle = `<script>alert("x")</script> Tin "độc" & lạ`

// fixture is an archive of three articles: one revised (its second
// paragraph edited), one with a hostile title, one redacted.
type fixture struct {
	path                   string
	revised, hostile, gone string
	capture                string // the capture key of the revised article's newest revision
}

func articlePage(url, title, body string, at time.Time) archive.Page {
	html := `<!DOCTYPE html><html><head><title>` + title + `</title><script src="https://cdn.example.net/x.js"></script>` +
		`<link rel="stylesheet" href="https://cdn.example.net/s.css"></head><body onload="alert(1)"><h1>` + title + `</h1>` +
		`<img src="https://img.example.net/a.jpg" alt="ảnh"><a href="/tin/khac.html">Tin khác</a> <a href="javascript:alert(1)">x</a>` +
		`<iframe src="https://ads.example.net/"></iframe><p>` + strings.ReplaceAll(body, "\n\n", "</p><p>") + `</p></body></html>`
	return archive.Page{
		URL: url, Portal: "vinachem", FetchedAt: at,
		Article: &archive.Article{Title: title, Body: body, Byline: "HỒNG LIÊN", Category: "Tin tập đoàn", Extraction: "profile",
			Published: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), Lead: "Tóm tắt " + title},
		Capture: &record.Capture{URL: url, Method: "GET", Status: 200, FetchedAt: at, Body: []byte(html),
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}},
	}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{path: filepath.Join(t.TempDir(), "parc.db")}
	arc, err := archive.Open(f.path, archive.Options{KeepRaw: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	ctx := context.Background()
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	put := func(p archive.Page) string {
		r, err := arc.Put(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	f.revised = put(articlePage("https://vinachem.com.vn/tin/1.html", "Tập đoàn Hóa chất Việt Nam tổng kết năm",
		"Hội nghị tổng kết diễn ra tại Hà Nội.\n\nVốn đầu tư tăng mười phần trăm.", at))
	put(articlePage("https://vinachem.com.vn/tin/1.html", "Tập đoàn Hóa chất Việt Nam tổng kết năm",
		"Hội nghị tổng kết diễn ra tại Hà Nội.\n\nVốn đầu tư tăng hai mươi phần trăm.", at.Add(time.Hour)))
	f.hostile = put(articlePage("https://vinachem.com.vn/tin/2.html", hostileTitle, "Nội dung bình thường.", at))
	f.gone = put(articlePage("https://vinachem.com.vn/tin/3.html", "Bài sẽ bị xoá", "Nội dung bí mật đầu tư.", at))
	if err := arc.Redact(ctx, f.gone, "yêu cầu pháp lý"); err != nil {
		t.Fatal(err)
	}
	h, err := arc.Get(ctx, f.revised)
	if err != nil {
		t.Fatal(err)
	}
	f.capture = captureKey(h.Revisions[len(h.Revisions)-1].CaptureID)
	return f
}

func newServer(t *testing.T, path string) *httptest.Server {
	t.Helper()
	s, err := New(Options{Source: &Opener{Path: path}, Portal: "vinachem", Version: "test",
		Now: func() time.Time { return time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func wantContains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: no %q in:\n%s", what, s, body)
		}
	}
}

func wantHeaders(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != PageCSP && csp != CaptureCSP {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
}

// TestPages: each route answers with its page, lang="vi", the security
// headers and nothing loaded from another host.
func TestPages(t *testing.T) {
	f := newFixture(t)
	srv := newServer(t, f.path)
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Kho lưu trữ", "vinachem", "<svg", "2024-03: 2 bài", "lưu lúc 2024-03-01T09:00:00Z"}},
		{"/articles/" + f.revised, 200, []string{"Tập đoàn Hóa chất Việt Nam tổng kết năm", "hai mươi phần trăm", "/captures/" + f.capture, "diff?a=1&amp;b=2"}},
		{"/articles/" + f.revised + "/diff?a=1&b=2", 200, []string{"<del>mười</del>", "<ins>hai mươi</ins>", `<tr class="changed" id="first-change">`}},
		{"/articles/" + f.revised + "/diff", 200, []string{"<ins>hai mươi</ins>"}},
		{"/articles/" + f.gone, 410, []string{"yêu cầu pháp lý", "tin/3.html"}},
		{"/search?q=hoa+chat", 200, []string{"1 kết quả", "/articles/" + f.revised}},
		{"/search?q=H%C3%B3a+ch%E1%BA%A5t", 200, []string{"/articles/" + f.revised}},
		{"/search?q=dau+tu", 200, []string{"1 kết quả", "/articles/" + f.revised}},
		{"/search?q=bi+mat", 200, []string{"0 kết quả"}},
		{"/feed.atom", 200, []string{"<feed", "tin/1.html"}},
		{"/parc.css", 200, []string{"font-family: system-ui"}},
	}
	for _, c := range cases {
		resp, body := get(t, "GET", srv.URL+c.path)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.path, resp.StatusCode, c.status)
		}
		wantHeaders(t, c.path, resp)
		wantContains(t, c.path, body, c.want...)
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			wantContains(t, c.path, body, `<html lang="vi">`)
			for _, bad := range []string{"<script", "http://", "https://"} {
				if strings.Contains(strings.Split(body, "<main>")[0], bad) {
					t.Errorf("%s: %q in the page's head", c.path, bad)
				}
			}
		}
	}
}

// TestHostileTitle: a title with markup is shown as text everywhere.
func TestHostileTitle(t *testing.T) {
	f := newFixture(t)
	srv := newServer(t, f.path)
	for _, p := range []string{"/articles/" + f.hostile, "/search?q=noi+dung+binh+thuong"} {
		_, body := get(t, "GET", srv.URL+p)
		if strings.Contains(body, "<script") {
			t.Errorf("%s: a <script> element in the page:\n%s", p, body)
		}
		wantContains(t, p, body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	}
}

// TestReplay: a capture is served with the sandbox CSP and nosniff, no
// script, iframe or outside address left but in /go links and the
// placeholder's title; its link leads to the archived article's capture,
// an unknown one to a not-in-archive page.
func TestReplay(t *testing.T) {
	f := newFixture(t)
	srv := newServer(t, f.path)
	resp, body := get(t, "GET", srv.URL+"/captures/"+f.capture)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != CaptureCSP || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	wantContains(t, "replay", body, "hai mươi phần trăm", `href="/go?url=https%3A%2F%2Fvinachem.com.vn%2Ftin%2Fkhac.html"`, "data:image/svg+xml")
	for _, bad := range []string{"<script", "<iframe", "<link", "onload", "javascript:", `src="https://`} {
		if strings.Contains(body, bad) {
			t.Errorf("replay: %q left in:\n%s", bad, body)
		}
	}
	resp, _ = get(t, "GET", srv.URL+"/go?url="+"https%3A%2F%2Fvinachem.com.vn%2Ftin%2F1.html")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/captures/"+f.capture {
		t.Errorf("/go to an archived article: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = get(t, "GET", srv.URL+"/go?url="+"https%3A%2F%2Fvinachem.com.vn%2Ftin%2Fkhac.html")
	if resp.StatusCode != 404 {
		t.Errorf("/go to an unknown page: %d", resp.StatusCode)
	}
	wantContains(t, "/go unknown", body, "not in the archive")
}

// TestMethodsAndNotFound: the archive is read-only (405 with Allow) and
// unknown ids and paths get the 404 page, all with the headers.
func TestMethodsAndNotFound(t *testing.T) {
	f := newFixture(t)
	srv := newServer(t, f.path)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		resp, body := get(t, m, srv.URL+"/articles/"+f.revised)
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d, Allow %q", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
		wantHeaders(t, m, resp)
		wantContains(t, m, body, "read-only")
	}
	resp, body := get(t, "HEAD", srv.URL+"/articles/"+f.revised)
	if resp.StatusCode != 200 || body != "" {
		t.Errorf("HEAD: %d with %d bytes", resp.StatusCode, len(body))
	}
	for _, p := range []string{"/articles/0123456789abcdef", "/articles/zz", "/articles/0123456789abcdef/diff",
		"/captures/01234567-89ab-cdef-0123-456789abcdef", "/captures/x", "/nothing/here"} {
		resp, body := get(t, "GET", srv.URL+p)
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
		wantHeaders(t, p, resp)
		wantContains(t, p, body, `<html lang="vi">`, "404")
	}
	resp, _ = get(t, "GET", srv.URL+"/articles/"+f.revised+"/diff?a=9")
	if resp.StatusCode != 400 {
		t.Errorf("diff of a revision out of range: %d", resp.StatusCode)
	}
}

// TestPanickingPage: a page that panics answers a 500 page with the
// usual headers, its panic in the log and no stack trace in the answer.
func TestPanickingPage(t *testing.T) {
	var logged bytes.Buffer
	s, err := New(Options{Source: &Opener{Path: filepath.Join(t.TempDir(), "parc.db")}, Portal: "vinachem", Version: "test",
		Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("a fault in a page") })
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, body := get(t, "GET", srv.URL+"/boom")
	if resp.StatusCode != 500 || strings.Contains(body, "goroutine") || strings.Contains(body, "a fault in a page") {
		t.Errorf("status %d, body:\n%s", resp.StatusCode, body)
	}
	wantHeaders(t, "/boom", resp)
	wantContains(t, "the log", logged.String(), "a fault in a page", "path=/boom")
}

// TestBusyArchive: while a writer holds the archive, pages answer 503
// with Retry-After; once it is released they answer again, and the server
// holds no lock between requests (a writer can open it).
func TestBusyArchive(t *testing.T) {
	f := newFixture(t)
	srv := newServer(t, f.path)
	if resp, _ := get(t, "GET", srv.URL+"/"); resp.StatusCode != 200 {
		t.Fatalf("home: %d", resp.StatusCode)
	}
	w, err := archive.Open(f.path, archive.Options{NoSync: true}) // a crawl starting now finds the archive free
	if err != nil {
		t.Fatalf("a writer could not open the archive after a page: %v", err)
	}
	resp, body := get(t, "GET", srv.URL+"/articles/"+f.revised)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "5" {
		t.Errorf("busy: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	wantHeaders(t, "busy", resp)
	wantContains(t, "busy", body, "archive busy")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, "GET", srv.URL+"/articles/"+f.revised); resp.StatusCode != 200 {
		t.Errorf("after the writer left: %d", resp.StatusCode)
	}
}

// TestOpenerKnowsTheFile: after a checked open the Opener knows the file;
// once a writer changed it, the next open checks it again and knows the
// new state.
func TestOpenerKnowsTheFile(t *testing.T) {
	f := newFixture(t)
	o := &Opener{Path: f.path}
	use := func() {
		t.Helper()
		if err := o.Use(context.Background(), func(arc *archive.Archive) error { _, err := arc.CurrentSeq(context.Background()); return err }); err != nil {
			t.Fatal(err)
		}
	}
	use()
	first := o.known
	if first == nil {
		t.Fatal("the file is not known after a checked open")
	}
	use()
	if !sameFile(first, o.known) {
		t.Fatal("an unchanged file looks changed")
	}
	articlePut(t, f.path)
	use()
	if o.known == nil || sameFile(first, o.known) {
		t.Errorf("after a write: known %v, first %v", o.known, first)
	}
}

func articlePut(t *testing.T, path string) {
	t.Helper()
	arc, err := archive.Open(path, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	if _, err := arc.Put(context.Background(), articlePage("https://vinachem.com.vn/tin/9.html", "Bài mới", "Nội dung mới.", time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC))); err != nil {
		t.Fatal(err)
	}
}
