package serve

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// twoPortals is an archive of two portals, vinachem and dap, each with
// one article on the same subject (so one search finds both).
type twoPortals struct {
	path         string
	own, other   string // the ids of vinachem's and dap's article
	ownCapture   string // capture keys
	otherCapture string
}

func newTwoPortals(t *testing.T) *twoPortals {
	t.Helper()
	f := &twoPortals{path: filepath.Join(t.TempDir(), "parc.db")}
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	own := articlePage("https://vinachem.com.vn/tin/1.html", "Vinachem tổng kết năm", "Hội nghị tổng kết tại Hà Nội.", at)
	other := articlePage("https://dap.vn/tin/1.html", "DAP tổng kết năm", "Hội nghị tổng kết tại Hải Phòng.", at.Add(time.Hour))
	other.Portal = "dap"
	other.Article.Published = other.Article.Published.AddDate(0, -2, 0) // a month vinachem has none of
	f.own, f.other = putPage(t, f.path, own), putPage(t, f.path, other)
	arc, err := archive.Open(f.path, archive.Options{NoSync: true, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	for id, key := range map[string]*string{f.own: &f.ownCapture, f.other: &f.otherCapture} {
		h, err := arc.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		*key = captureKey(h.Revisions[0].CaptureID)
	}
	return f
}

// servePortals serves path's pages of portals only (Options.Portals),
// knowing the config's portals known; with the search index when
// indexed.
func servePortals(t *testing.T, path string, indexed bool, portals, known []string) *httptest.Server {
	t.Helper()
	o := Options{Source: &Opener{Path: path}, Portal: "vinachem", Portals: portals, Known: known, Version: "test",
		Now: func() time.Time { return time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC) }}
	if indexed {
		ix, err := OpenIndex(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		o.Index = ix
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func wantLacks(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("%s: %q in:\n%s", what, s, body)
		}
	}
}

// TestServedPortalsSearch: with Options.Portals, search (from the index
// and by reading every record) and its JSON Lines find the served
// portals' articles only; ?portal= of another finds nothing, and the page
// says that portal is not served.
func TestServedPortalsSearch(t *testing.T) {
	f := newTwoPortals(t)
	all := servePortals(t, f.path, false, nil, nil)
	_, body := get(t, "GET", all.URL+"/search?q=tong+ket")
	wantContains(t, "every portal", body, "2 kết quả", "/articles/"+f.own, "/articles/"+f.other)
	for _, indexed := range []bool{false, true} {
		srv := servePortals(t, f.path, indexed, []string{"vinachem"}, nil)
		what := map[bool]string{false: "scan", true: "index"}[indexed]
		_, body := get(t, "GET", srv.URL+"/search?q=tong+ket")
		wantContains(t, what, body, "1 kết quả", "/articles/"+f.own)
		wantLacks(t, what, body, "/articles/"+f.other, "Kho đang bận", "Đang lập chỉ mục")
		_, body = get(t, "GET", srv.URL+"/search?portal=dap")
		wantContains(t, what+" ?portal=dap", body, "0 kết quả", "Trang dap không được phục vụ ở đây")
		wantLacks(t, what+" ?portal=dap", body, "/articles/"+f.other)

		resp, body := get(t, "GET", srv.URL+"/search.jsonl?q=tong+ket")
		if resp.StatusCode != 200 || resp.Header.Get("X-Parc-Results") != "1" {
			t.Errorf("%s jsonl: %d, %s results", what, resp.StatusCode, resp.Header.Get("X-Parc-Results"))
		}
		var rec struct{ ID, Portal string }
		if err := json.Unmarshal([]byte(strings.TrimSpace(body)), &rec); err != nil || rec.ID != f.own || rec.Portal != "vinachem" {
			t.Errorf("%s jsonl: %+v, %v in:\n%s", what, rec, err, body)
		}
		resp, body = get(t, "GET", srv.URL+"/search.jsonl?portal=dap")
		if resp.StatusCode != 200 || body != "" || resp.Header.Get("X-Parc-Results") != "0" {
			t.Errorf("%s jsonl ?portal=dap: %d, %s results:\n%s", what, resp.StatusCode, resp.Header.Get("X-Parc-Results"), body)
		}
	}
}

// TestServedPortalsHome: the home page shows the served portals' rows and
// months only, and says which are shown.
func TestServedPortalsHome(t *testing.T) {
	f := newTwoPortals(t)
	_, body := get(t, "GET", servePortals(t, f.path, false, nil, nil).URL+"/")
	wantContains(t, "every portal", body, "/search?portal=dap", "/search?portal=vinachem", "2024-01: 1 bài")
	wantLacks(t, "every portal", body, "Chỉ hiện các trang")
	for _, indexed := range []bool{false, true} {
		_, body := get(t, "GET", servePortals(t, f.path, indexed, []string{"vinachem"}, nil).URL+"/")
		wantContains(t, "vinachem's", body, "Chỉ hiện các trang (portals): vinachem", "/search?portal=vinachem", "2024-03: 1 bài")
		wantLacks(t, "vinachem's", body, "/search?portal=dap", "2024-01")
	}
}

// TestServedPortalsRecords: an article, its diff, a capture and a /go
// link of a portal not served are 404 as unknown ones; the served
// portal's answer.
func TestServedPortalsRecords(t *testing.T) {
	f := newTwoPortals(t)
	srv := servePortals(t, f.path, false, []string{"vinachem"}, nil)
	for path, status := range map[string]int{
		"/articles/" + f.own: 200, "/articles/" + f.own + "/diff": 200, "/captures/" + f.ownCapture: 200,
		"/go?url=https://vinachem.com.vn/tin/1.html": 303,
		"/articles/" + f.other:                       404, "/articles/" + f.other + "/diff": 404, "/captures/" + f.otherCapture: 404,
		"/go?url=https://dap.vn/tin/1.html": 404,
	} {
		resp, body := get(t, "GET", srv.URL+path)
		if resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, status)
		}
		if status == 404 {
			wantLacks(t, path, body, "DAP tổng kết năm", "Hải Phòng")
		}
	}
	// Every portal served: dap's too.
	all := servePortals(t, f.path, false, nil, nil)
	for _, path := range []string{"/articles/" + f.other, "/captures/" + f.otherCapture} {
		if resp, _ := get(t, "GET", all.URL+path); resp.StatusCode != 200 {
			t.Errorf("every portal: %s: %d", path, resp.StatusCode)
		}
	}
}

// TestServedPortalsFeed: /feed.atom holds the served portals' articles;
// ?portal= of one not served is 404, of one the config does not know is
// 404 naming the known ones, of a known one without articles an empty
// feed.
func TestServedPortalsFeed(t *testing.T) {
	f := newTwoPortals(t)
	known := []string{"vinachem", "dap", "pvfcco"}
	srv := servePortals(t, f.path, false, []string{"vinachem"}, known)
	resp, body := get(t, "GET", srv.URL+"/feed.atom")
	if resp.StatusCode != 200 {
		t.Fatalf("feed: %d", resp.StatusCode)
	}
	wantContains(t, "feed", body, "Vinachem tổng kết năm", "<title>parc vinachem</title>")
	wantLacks(t, "feed", body, "DAP tổng kết năm")
	_, body = get(t, "GET", srv.URL+"/feed.atom?portal=vinachem")
	wantContains(t, "?portal=vinachem", body, "Vinachem tổng kết năm")
	resp, body = get(t, "GET", srv.URL+"/feed.atom?portal=dap")
	if resp.StatusCode != 404 {
		t.Errorf("?portal=dap (not served): %d", resp.StatusCode)
	}
	wantContains(t, "?portal=dap", body, "Trang dap không được phục vụ")
	wantLacks(t, "?portal=dap", body, "DAP tổng kết năm")

	all := servePortals(t, f.path, false, nil, known)
	_, body = get(t, "GET", all.URL+"/feed.atom")
	wantContains(t, "every portal's feed", body, "Vinachem tổng kết năm", "DAP tổng kết năm")
	_, body = get(t, "GET", all.URL+"/feed.atom?portal=dap")
	wantContains(t, "dap's feed", body, "DAP tổng kết năm")
	wantLacks(t, "dap's feed", body, "Vinachem tổng kết năm")
	resp, body = get(t, "GET", all.URL+"/feed.atom?portal=pvfcco")
	if resp.StatusCode != 200 || strings.Contains(body, "<entry>") {
		t.Errorf("?portal=pvfcco (known, no articles): %d:\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, "GET", all.URL+"/feed.atom?portal=nope")
	if resp.StatusCode != 404 {
		t.Errorf("?portal=nope (unknown): %d", resp.StatusCode)
	}
	wantContains(t, "?portal=nope", body, "No portal named nope", "vinachem, dap, pvfcco")
	// Not knowing the config's portals, any name is taken.
	resp, _ = get(t, "GET", servePortals(t, f.path, false, nil, nil).URL+"/feed.atom?portal=nope")
	if resp.StatusCode != 200 {
		t.Errorf("?portal=nope, no names known: %d", resp.StatusCode)
	}
}

// TestLastRunsOfServedPortals: the home page's runs are the served
// portals' and those naming no portal.
func TestLastRunsOfServedPortals(t *testing.T) {
	raws := []json.RawMessage{
		json.RawMessage(`{"portal":"vinachem","pages":1,"finished":"2024-03-01T00:00:00Z"}`),
		json.RawMessage(`{"portal":"dap","pages":2,"finished":"2024-03-01T00:00:00Z"}`),
		json.RawMessage(`{"pages":3,"finished":"2024-03-01T00:00:00Z"}`),
	}
	rows := lastRuns(raws, 10, func(p string) bool { return p == "vinachem" })
	if len(rows) != 2 || rows[0].Pages != 3 || rows[1].Pages != 1 {
		t.Errorf("runs %+v, want those of 3 and 1 pages", rows)
	}
}
