package serve

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// newIndexedServer serves f's archive with the search index beside it.
func newIndexedServer(t *testing.T, path string, window uint64) (*httptest.Server, *Index) {
	t.Helper()
	ix, err := OpenIndex(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ix.window = window
	s, err := New(Options{Source: &Opener{Path: path}, Index: ix, Portal: "vinachem", Version: "test",
		Now: func() time.Time { return time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, ix
}

func putPage(t *testing.T, path string, p archive.Page) string {
	t.Helper()
	arc, err := archive.Open(path, archive.Options{KeepRaw: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	r, err := arc.Put(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestSearchIndex: search answers from the index beside the archive,
// kept in step with it: an article stored after the index was built is
// found, a redacted one is no longer found; while a writer holds the
// archive, search still answers (from the index) where the article page
// answers 503.
func TestSearchIndex(t *testing.T) {
	f := newFixture(t)
	srv, ix := newIndexedServer(t, f.path, syncWindow)
	if _, err := os.Stat(IndexPath(f.path)); err != nil || ix.InMemory() {
		t.Fatalf("no index beside the archive: %v", err)
	}
	_, body := get(t, "GET", srv.URL+"/search?q=hoa+chat")
	wantContains(t, "hoa chat", body, "1 kết quả", "/articles/"+f.revised)
	_, body = get(t, "GET", srv.URL+"/search?q=%C4%91%E1%BA%A7u+t%C6%B0&category=tin+tap+doan&portal=vinachem&from=2024-03-01&to=2024-03-01")
	wantContains(t, "đầu tư with filters", body, "1 kết quả", "/articles/"+f.revised)
	_, body = get(t, "GET", srv.URL+"/search?q=dau+tu&from=2024-03-02")
	wantContains(t, "after the date", body, `class="count">0 kết quả`)
	_, body = get(t, "GET", srv.URL+"/search?q=hoa+chat+binh+thuong") // each word in another article
	wantContains(t, "every word", body, `class="count">0 kết quả`)

	at := time.Date(2024, 3, 3, 9, 0, 0, 0, time.UTC)
	fresh := putPage(t, f.path, articlePage("https://vinachem.com.vn/tin/9.html", "Phân bón Lâm Thao xuất khẩu", "Đầu tư mới cho nhà máy.", at))
	_, body = get(t, "GET", srv.URL+"/search?q=phan+bon+lam+thao")
	wantContains(t, "stored after the index was built", body, "1 kết quả", "/articles/"+fresh)

	arc, err := archive.Open(f.path, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := arc.Redact(context.Background(), f.revised, "test"); err != nil {
		t.Fatal(err)
	}
	// The writer still holds the archive: search answers from the index,
	// the article page cannot.
	resp, body := get(t, "GET", srv.URL+"/search?q=phan+bon")
	if resp.StatusCode != 200 {
		t.Errorf("search while busy: %d", resp.StatusCode)
	}
	wantContains(t, "search while busy", body, "Kho đang bận", "/articles/"+fresh)
	if resp, _ := get(t, "GET", srv.URL+"/articles/"+fresh); resp.StatusCode != 503 {
		t.Errorf("article while busy: %d", resp.StatusCode)
	}
	arc.Close()
	_, body = get(t, "GET", srv.URL+"/search?q=hoa+chat")
	wantContains(t, "redacted", body, `class="count">0 kết quả`)
	if res, err := ix.Search(context.Background(), Query{Text: "hoa chat", Page: 1}); err != nil || res.Total != 0 {
		t.Errorf("the redacted article is still in the index: %+v, %v", res, err)
	}
}

// TestSearchWhileIndexing: an index far behind the archive answers by
// reading the records, saying it is indexing, until it caught up.
func TestSearchWhileIndexing(t *testing.T) {
	f := newFixture(t)
	srv, ix := newIndexedServer(t, f.path, 1)
	_, body := get(t, "GET", srv.URL+"/search?q=hoa+chat")
	wantContains(t, "indexing", body, "indexing", "1 kết quả", "/articles/"+f.revised)
	if err := ix.Sync(context.Background(), &Opener{Path: f.path}); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, "GET", srv.URL+"/search?q=hoa+chat")
	if strings.Contains(body, "indexing") {
		t.Errorf("still indexing after Sync:\n%s", body)
	}
	wantContains(t, "caught up", body, "1 kết quả")
}

// TestIndexInMemory: where the index cannot be written beside the archive,
// it is kept in memory and search works all the same.
func TestIndexInMemory(t *testing.T) {
	f := newFixture(t)
	if err := os.WriteFile(IndexPath(f.path), []byte("not a directory"), 0o444); err != nil {
		t.Fatal(err)
	}
	srv, ix := newIndexedServer(t, f.path, syncWindow)
	if !ix.InMemory() {
		t.Fatal("index not in memory")
	}
	_, body := get(t, "GET", srv.URL+"/search?q=dau+tu")
	wantContains(t, "in memory", body, "1 kết quả", "/articles/"+f.revised)
}

// TestResultsPage: 20 results a page, with the next page linked.
func TestResultsPage(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2024, 3, 3, 9, 0, 0, 0, time.UTC)
	arc, err := archive.Open(f.path, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 45 {
		p := articlePage("https://vinachem.com.vn/loat/"+itoa(i)+".html", "Loạt bài số "+itoa(i), "Nội dung loạt bài số "+itoa(i)+".", at)
		p.Capture = nil
		if _, err := arc.Put(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	arc.Close()
	srv, _ := newIndexedServer(t, f.path, syncWindow)
	_, body := get(t, "GET", srv.URL+"/search?q=loat+bai")
	if n := strings.Count(body, `<li><a href="/articles/`); n != PageSize {
		t.Errorf("page 1: %d results", n)
	}
	wantContains(t, "page 1", body, "45 kết quả", "trang 1/3", `rel="next" href="/search?page=2&amp;q=loat&#43;bai"`)
	_, body = get(t, "GET", srv.URL+"/search?q=loat+bai&page=3")
	if n := strings.Count(body, `<li><a href="/articles/`); n != 5 {
		t.Errorf("page 3: %d results", n)
	}
	for _, page := range []string{"2000", "461168601842738792", "9223372036854775807"} { // deep, and past any int product
		resp, body := get(t, "GET", srv.URL+"/search?q=loat+bai&page="+page)
		if n := strings.Count(body, `<li><a href="/articles/`); resp.StatusCode != 200 || n != 0 {
			t.Errorf("page %s: status %d, %d results", page, resp.StatusCode, n)
		}
	}
}

// TestUnindex: parc redact's Unindex takes an article out of the index
// file beside the archive.
func TestUnindex(t *testing.T) {
	f := newFixture(t)
	ix, err := OpenIndex(f.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ix.Sync(ctx, &Opener{Path: f.path}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if err := Unindex(f.path, f.revised); err != nil {
		t.Fatal(err)
	}
	if ix, err = OpenIndex(f.path, nil); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if res, err := ix.Search(ctx, Query{Text: "hoa chat", Page: 1}); err != nil || res.Total != 0 {
		t.Errorf("after Unindex: %+v, %v", res, err)
	}
	if res, err := ix.Search(ctx, Query{Text: "noi dung binh thuong", Page: 1}); err != nil || res.Total != 1 {
		t.Errorf("the other articles: %+v, %v", res, err)
	}
}

// TestSearchDaysInPortalZone: from and to are days in the portal's time
// zone, with the index and without it: an article published at 03:00 in
// Hanoi on 1 March (20:00 UTC the day before) is on 1 March.
func TestSearchDaysInPortalZone(t *testing.T) {
	f := newFixture(t)
	p := articlePage("https://vinachem.com.vn/tin/som.html", "Tin sớm", "Bản tin rạng sáng.", time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
	p.Article.Published = time.Date(2024, 2, 29, 20, 0, 0, 0, time.UTC)
	id := putPage(t, f.path, p)
	hanoi, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := OpenIndex(f.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, o := range []Options{{Source: &Opener{Path: f.path}, Location: hanoi}, {Source: &Opener{Path: f.path}, Index: ix, Location: hanoi}} {
		s, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		_, body := get(t, "GET", srv.URL+"/search?q=ban+tin&from=2024-03-01&to=2024-03-01")
		wantContains(t, "1 March in Hanoi", body, "1 kết quả", "/articles/"+id)
		_, body = get(t, "GET", srv.URL+"/search?q=ban+tin&to=2024-02-29")
		wantContains(t, "up to 29 February in Hanoi", body, `class="count">0 kết quả`)
		srv.Close()
	}
}

// TestSearchExport: the search page links the JSON Lines of its results,
// which are the export records of every page's articles.
func TestSearchExport(t *testing.T) {
	f := newFixture(t)
	srv, _ := newIndexedServer(t, f.path, syncWindow)
	_, body := get(t, "GET", srv.URL+"/search?q=noi+dung&page=1")
	wantContains(t, "search page", body, `href="/search.jsonl?q=noi&#43;dung"`)
	resp, body := get(t, "GET", srv.URL+"/search.jsonl?q=noi+dung")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/jsonl; charset=utf-8" {
		t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines:\n%s", len(lines), body)
	}
	var rec struct{ ID, Title string }
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec.ID != f.hostile || rec.Title != hostileTitle {
		t.Errorf("line %s: %+v, %v", lines[0], rec, err)
	}
}

// TestRedactedWhileServing: parc redact's Unindex, while a server has the
// index open, reaches that server's index through the redactions list:
// the article is not found, even while a writer holds the archive and
// search answers from the index alone.
func TestRedactedWhileServing(t *testing.T) {
	f := newFixture(t)
	srv, _ := newIndexedServer(t, f.path, syncWindow)
	_, body := get(t, "GET", srv.URL+"/search?q=hoa+chat")
	wantContains(t, "before", body, "1 kết quả")
	arc, err := archive.Open(f.path, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	if err := arc.Redact(context.Background(), f.revised, "test"); err != nil {
		t.Fatal(err)
	}
	if err := Unindex(f.path, f.revised); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, "GET", srv.URL+"/search?q=hoa+chat") // the writer still holds the archive
	wantContains(t, "while busy", body, "Kho đang bận", "0 kết quả")
}

// TestHomeFromIndex: the home page's counts come from the index as they
// come from reading every record: articles, gone ones, the newest, the
// months; a redacted article is not counted.
func TestHomeFromIndex(t *testing.T) {
	f := newFixture(t)
	scan := newServer(t, f.path)
	indexed, _ := newIndexedServer(t, f.path, syncWindow)
	_, want := get(t, "GET", scan.URL+"/")
	_, got := get(t, "GET", indexed.URL+"/")
	strip := func(s string) string { return s[strings.Index(s, "<main>"):strings.Index(s, "</main>")] }
	if strip(got) != strip(want) {
		t.Errorf("home from the index:\n%s\nfrom the records:\n%s", strip(got), strip(want))
	}
	wantContains(t, "indexed home", got, "2 bài, 0 đã gỡ", "lưu lúc 2024-03-01T09:00:00Z", "2024-03: 2 bài")
	arc, err := archive.Open(f.path, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := arc.Redact(context.Background(), f.revised, "test"); err != nil {
		t.Fatal(err)
	}
	arc.Close()
	if err := Unindex(f.path, f.revised); err != nil {
		t.Fatal(err)
	}
	_, got = get(t, "GET", indexed.URL+"/")
	wantContains(t, "after a redaction", got, "1 bài, 0 đã gỡ", "2024-03: 1 bài")
}

// syncedTo is a Source that closes done once, after a use, the index is
// at change sequence want: the use that found nothing more to index.
type syncedTo struct {
	Source
	ix   *Index
	want uint64
	done chan struct{}
	once sync.Once
}

func (s *syncedTo) Use(ctx context.Context, fn func(*archive.Archive) error) error {
	err := s.Source.Use(ctx, fn)
	if s.ix.seq.Load() == s.want {
		s.once.Do(func() { close(s.done) })
	}
	return err
}

// TestIndexOfAnotherArchive: another archive put in the indexed one's
// place (a copy from another machine, with more changes than the index
// has seen) is never answered from the old index: the first search reads
// the new archive and wakes KeepIndexed, which builds the index again.
func TestIndexOfAnotherArchive(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix, err := OpenIndex(f.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Sync(ctx, &Opener{Path: f.path}); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	arc, err := archive.Open(other, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 3, 9, 0, 0, 0, time.UTC)
	for i := range 30 {
		p := articlePage("https://vinachem.com.vn/loat/"+itoa(i)+".html", "Loạt bài số "+itoa(i), "Nội dung loạt bài số "+itoa(i)+".", at)
		p.Capture = nil
		if _, err := arc.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	want, err := arc.CurrentSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	arc.Close()
	if want <= ix.seq.Load() {
		t.Fatalf("the other archive is at %d, the index at %d: want it ahead", want, ix.seq.Load())
	}

	ix.window = 1
	src := &syncedTo{Source: &Opener{Path: f.path}, ix: ix, want: want, done: make(chan struct{})}
	s, err := New(Options{Source: src, Index: ix, Portal: "vinachem", Version: "test", RetryAfter: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	bg, stop := context.WithCancel(ctx)
	kept := make(chan struct{})
	go func() { defer close(kept); s.KeepIndexed(bg) }()
	defer func() { stop(); <-kept }()

	if err := os.Rename(other, f.path); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, "GET", srv.URL+"/search?q=hoa+chat")
	wantContains(t, "the old archive's article", body, `class="count">0 kết quả`)
	_, body = get(t, "GET", srv.URL+"/search?q=loat+bai")
	wantContains(t, "the new archive's articles", body, `class="count">30 kết quả`)
	<-src.done
	_, body = get(t, "GET", srv.URL+"/search?q=loat+bai")
	if strings.Contains(body, "indexing") {
		t.Errorf("still indexing after KeepIndexed caught up:\n%s", body)
	}
	wantContains(t, "the rebuilt index", body, `class="count">30 kết quả`)
	if hits, err := ix.Search(ctx, Query{Text: "hoa chat"}); err != nil || hits.Total != 0 {
		t.Errorf("the old archive's article still in the index: %+v %v", hits, err)
	}
}
