package archive

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/record"
)

// fakeClock is an injected clock that tests advance explicitly.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)}
}

// openTest opens a fresh archive in a temporary directory.
func openTest(tb testing.TB, opts Options) (*Archive, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "parc.db")
	return reopen(tb, path, opts), path
}

func reopen(tb testing.TB, path string, opts Options) *Archive {
	tb.Helper()
	a, err := Open(path, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { a.Close() })
	return a
}

func article(title, body string) *Article {
	return &Article{
		Title:      title,
		Body:       body,
		Published:  time.Date(2021, 1, 27, 13, 39, 0, 0, time.FixedZone("ICT", 7*3600)),
		Byline:     "HỒNG LIÊN",
		Category:   "Tin tập đoàn",
		Extraction: "profile",
	}
}

func page(url string, art *Article, at time.Time) Page {
	return Page{URL: url, Portal: "vinachem", Article: art, FetchedAt: at}
}

func mustPut(tb testing.TB, a *Archive, p Page) Result {
	tb.Helper()
	r, err := a.Put(context.Background(), p)
	if err != nil {
		tb.Fatalf("put %s: %v", p.URL, err)
	}
	return r
}

func mustGet(tb testing.TB, a *Archive, idOrURL string) *History {
	tb.Helper()
	h, err := a.Get(context.Background(), idOrURL)
	if err != nil {
		tb.Fatalf("get %s: %v", idOrURL, err)
	}
	return h
}

func records(tb testing.TB, a *Archive, f Filter) []record.Record {
	tb.Helper()
	var out []record.Record
	err := a.Records(context.Background(), f, func(raw []byte) error {
		var r record.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		tb.Fatalf("records: %v", err)
	}
	return out
}

const seedBody = "Ngày 27/01/2021, Ban Chỉ đạo 35 Tập đoàn Hóa chất Việt Nam tổ chức hội nghị.\n\n" +
	"Hội nghị đánh giá kết quả công tác bảo vệ nền tảng tư tưởng của Đảng.\n\n" +
	"Các đơn vị cần đấu tranh phản bác các quan điểm sai trái, thù địch của các thế lực thù địch./."

func TestDedupURLVariants(t *testing.T) {
	clk := newClock()
	a, _ := openTest(t, Options{Now: clk.Now})
	base := "https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Hoi_nghi_Ban_Chi_dao_35/"
	first := mustPut(t, a, page(base, article("Hội nghị Ban Chỉ đạo 35", seedBody), clk.Now()))
	if first.Outcome != OutcomeNew || first.Revision != 1 || len(first.ID) != 16 {
		t.Fatalf("first put = %+v, want new revision 1 with a 16-char id", first)
	}
	variants := []struct{ name, url, canonical string }{
		{"tracking params", base + "?utm_source=facebook&fbclid=abc", ""},
		{"aspx path case", "https://www.vinachem.com.vn/desktop.aspx/tin-tuc/tin-tap-doan/hoi_nghi_ban_chi_dao_35/", ""},
		{"no trailing slash", strings.TrimSuffix(base, "/"), ""},
		{"no www", strings.Replace(base, "www.", "", 1), ""},
		{"http scheme", strings.Replace(base, "https:", "http:", 1), ""},
		{"canonical link", "https://www.vinachem.com.vn/print.aspx?id=35", base},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			clk.Advance(time.Hour)
			art := article("Hội nghị Ban Chỉ đạo 35", seedBody)
			art.Canonical = v.canonical
			r := mustPut(t, a, page(v.url, art, clk.Now()))
			if r.ID != first.ID {
				t.Fatalf("id = %s, want %s (one record)", r.ID, first.ID)
			}
			// A URL variant is the record's own URL; a page found through
			// its canonical link is a URL new to the record: an alias, the
			// first time only.
			want := OutcomeUnchanged
			if v.canonical != "" {
				want = OutcomeAlias
			}
			if r.Outcome != want {
				t.Errorf("outcome = %v, want %v", r.Outcome, want)
			}
			if again := mustPut(t, a, page(v.url, art, clk.Now())); again.Outcome != OutcomeUnchanged {
				t.Errorf("fetched again: outcome = %v, want unchanged", again.Outcome)
			}
		})
	}
	recs := records(t, a, Filter{})
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Revision != 1 {
		t.Errorf("revision = %d, want 1", r.Revision)
	}
	if r.LastSeen != clk.Now().UTC().Format(time.RFC3339) || r.FirstSeen == r.LastSeen {
		t.Errorf("first_seen %s last_seen %s: last_seen not updated", r.FirstSeen, r.LastSeen)
	}
	for _, want := range []string{base, "https://www.vinachem.com.vn/print.aspx?id=35"} {
		found := false
		for _, u := range r.URLs {
			found = found || u == want
		}
		if !found {
			t.Errorf("urls %q lack %s", r.URLs, want)
		}
	}
	if r.Published != "2021-01-27T13:39:00+07:00" || r.Byline != "HỒNG LIÊN" || r.Portal != "vinachem" {
		t.Errorf("record fields: published %q byline %q portal %q", r.Published, r.Byline, r.Portal)
	}
	// The print URL is now known: Get finds the record under it.
	if h := mustGet(t, a, "http://vinachem.com.vn/print.aspx?id=35&utm_medium=x"); h.Record.ID != first.ID {
		t.Errorf("get by alias url = %s", h.Record.ID)
	}
}

func TestAliasAndDistinct(t *testing.T) {
	clk := newClock()
	a, _ := openTest(t, Options{Now: clk.Now})
	one := mustPut(t, a, page("https://vinachem.com.vn/nd/tin-tap-doan/bai-mot.html", article("Tiêu đề", seedBody), clk.Now()))

	t.Run("cross-posted same content is an alias", func(t *testing.T) {
		// Same text with different white space: the same normalised content.
		body := strings.ReplaceAll(seedBody, " ", "  ")
		r := mustPut(t, a, page("https://vinachem.com.vn/nd/tin-nganh/bai-mot-dang-lai.html", article("Tiêu  đề ", body), clk.Now()))
		if r.Outcome != OutcomeAlias || r.ID != one.ID {
			t.Fatalf("got %v %s, want alias of %s", r.Outcome, r.ID, one.ID)
		}
		if len(r.Record.URLs) != 2 {
			t.Errorf("urls = %q, want both", r.Record.URLs)
		}
		// Refetching the alias URL is now an unchanged refetch of the same record.
		r = mustPut(t, a, page("https://vinachem.com.vn/nd/tin-nganh/bai-mot-dang-lai.html", article("Tiêu đề", seedBody), clk.Now()))
		if r.Outcome != OutcomeUnchanged || r.ID != one.ID {
			t.Errorf("refetch alias: %v %s", r.Outcome, r.ID)
		}
	})
	t.Run("equal titles, different articles", func(t *testing.T) {
		r := mustPut(t, a, page("https://vinachem.com.vn/nd/tin-tap-doan/bai-hai.html", article("Tiêu đề", "Một bài hoàn toàn khác về phân bón."), clk.Now()))
		if r.Outcome != OutcomeNew || r.ID == one.ID {
			t.Fatalf("got %v %s, want a new record", r.Outcome, r.ID)
		}
	})
	t.Run("off-site canonical is not an identity", func(t *testing.T) {
		art := article("Bài ba", "Nội dung bài ba.")
		art.Canonical = "https://baomoi.com/bai-ba.html"
		r := mustPut(t, a, page("https://vinachem.com.vn/nd/tin-tap-doan/bai-ba.html", art, clk.Now()))
		if r.Record.URL != "https://vinachem.com.vn/nd/tin-tap-doan/bai-ba.html" {
			t.Errorf("url = %s, want the fetched URL", r.Record.URL)
		}
	})
	if n := len(records(t, a, Filter{})); n != 3 {
		t.Errorf("%d records, want 3", n)
	}
}

func TestRevisions(t *testing.T) {
	clk := newClock()
	a, _ := openTest(t, Options{Now: clk.Now})
	url := "https://vinachem.com.vn/nd/tin-tap-doan/bai.html"
	r1 := mustPut(t, a, page(url, article("Tiêu đề", "Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba."), clk.Now()))
	clk.Advance(time.Hour)
	t.Run("unchanged", func(t *testing.T) {
		r := mustPut(t, a, page(url, article("Tiêu đề", "Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba."), clk.Now()))
		if r.Outcome != OutcomeUnchanged || r.Revision != 1 || r.Record != nil {
			t.Fatalf("got %+v, want unchanged revision 1", r)
		}
	})
	clk.Advance(time.Hour)
	t.Run("body edited", func(t *testing.T) {
		r := mustPut(t, a, page(url, article("Tiêu đề", "Đoạn một.\n\nĐoạn hai đã sửa.\n\nĐoạn ba.\n\nĐoạn bốn."), clk.Now()))
		if r.Outcome != OutcomeRevised || r.Revision != 2 || r.ID != r1.ID {
			t.Fatalf("got %v rev %d id %s, want revised 2 of %s", r.Outcome, r.Revision, r.ID, r1.ID)
		}
	})
	clk.Advance(time.Hour)
	t.Run("byline only", func(t *testing.T) {
		art := article("Tiêu đề", "Đoạn một.\n\nĐoạn hai đã sửa.\n\nĐoạn ba.\n\nĐoạn bốn.")
		art.Byline = "THU HÀ"
		r := mustPut(t, a, page(url, art, clk.Now()))
		if r.Outcome != OutcomeRevised || r.Revision != 3 {
			t.Fatalf("got %v rev %d, want revised 3", r.Outcome, r.Revision)
		}
	})
	h := mustGet(t, a, r1.ID)
	if len(h.Revisions) != 3 || len(h.Versions) != 3 {
		t.Fatalf("%d revisions, %d versions, want 3", len(h.Revisions), len(h.Versions))
	}
	d := h.Revisions[1].Diff
	if d == nil || d.ParagraphsChanged != 1 || d.ParagraphsAdded != 1 || d.ParagraphsRemoved != 0 {
		t.Fatalf("diff = %+v, want 1 changed, 1 added", d)
	}
	if d.Changed[0].Old != "Đoạn hai." || d.Changed[0].New != "Đoạn hai đã sửa." || d.Added[0] != "Đoạn bốn." {
		t.Errorf("diff paragraphs = %+v", d)
	}
	if got := h.Revisions[2].Diff.Fields; len(got) != 1 || got[0] != "byline" {
		t.Errorf("byline diff fields = %q", got)
	}
	if h.Versions[0].Body != "Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba." || h.Versions[0].Revision != 1 {
		t.Errorf("first version = %+v", h.Versions[0])
	}
	if h.Record.FirstSeen != h.Versions[0].FirstSeen || h.Record.LastChanged != clk.Now().Format(time.RFC3339) {
		t.Errorf("first_seen %s / %s, last_changed %s", h.Record.FirstSeen, h.Versions[0].FirstSeen, h.Record.LastChanged)
	}
	all := records(t, a, Filter{AllRevisions: true})
	if len(all) != 3 || all[0].Revision != 1 || all[2].Revision != 3 {
		t.Errorf("all revisions export: %d records", len(all))
	}
}

func TestNearDuplicate(t *testing.T) {
	a, _ := openTest(t, Options{})
	words := strings.Fields(strings.Repeat("phân bón urê giá tăng mạnh trong quý một do nhu cầu nông nghiệp và xuất khẩu ", 4))
	body := strings.Join(words, " ")
	r1 := mustPut(t, a, page("https://vinachem.com.vn/a.html", article("A", body), time.Time{}))
	r2 := mustPut(t, a, page("https://vinachem.com.vn/b.html", article("B", body+" Thêm."), time.Time{}))
	if r2.Outcome != OutcomeNew || r2.Record.NearDuplicateOf != r1.ID {
		t.Errorf("near duplicate: %v of %q, want new near %s", r2.Outcome, r2.Record.NearDuplicateOf, r1.ID)
	}
	r3 := mustPut(t, a, page("https://vinachem.com.vn/c.html", article("C", "Hoàn toàn khác: lễ kỷ niệm ngày thành lập tập đoàn với nhiều hoạt động văn hóa thể thao."), time.Time{}))
	if r3.Record.NearDuplicateOf != "" {
		t.Errorf("unrelated article marked near duplicate of %s", r3.Record.NearDuplicateOf)
	}
}

func TestInvalidPage(t *testing.T) {
	a, _ := openTest(t, Options{})
	tests := []struct {
		name string
		p    Page
	}{
		{"no article", Page{URL: "https://vinachem.com.vn/x.html"}},
		{"no body", page("https://vinachem.com.vn/x.html", article("T", "  \n\n "), time.Time{})},
		{"no title", page("https://vinachem.com.vn/x.html", article("", "body"), time.Time{})},
		{"bad url", page("ftp://vinachem.com.vn/x", article("T", "B"), time.Time{})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := a.Put(context.Background(), tc.p); !errors.Is(err, ErrInvalidPage) {
				t.Errorf("err = %v, want ErrInvalidPage", err)
			}
		})
	}
	if n := len(records(t, a, Filter{})); n != 0 {
		t.Errorf("%d records stored from invalid pages", n)
	}
}

func TestWriterBatchesAndOrder(t *testing.T) {
	a, path := openTest(t, Options{BatchSize: 7, BatchDelay: time.Hour, NoSync: true})
	var (
		mu   sync.Mutex
		got  []string
		seen = map[string]Outcome{}
	)
	w := a.NewWriter(WriterOptions{OnResult: func(p Page, r Result, err error) {
		if err != nil {
			t.Errorf("%s: %v", p.URL, err)
		}
		// Stored means committed: a fresh read sees the record.
		if _, gerr := a.Get(context.Background(), r.ID); gerr != nil {
			t.Errorf("OnResult before commit: %v", gerr)
		}
		mu.Lock()
		got = append(got, p.URL)
		seen[p.URL] = r.Outcome
		mu.Unlock()
	}})
	ctx := context.Background()
	var want []string
	for i := range 20 {
		u := "https://vinachem.com.vn/nd/a/" + string(rune('a'+i)) + ".html"
		want = append(want, u)
		if err := w.Submit(ctx, page(u, article("T "+u, "Body of "+u), time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	// Two full batches of 7 are committed without waiting for the delay;
	// the rest waits for Flush.
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("OnResult order:\n%v\nwant\n%v", got, want)
	}
	if err := w.Submit(ctx, page(want[0], article("x", "y"), time.Time{})); !errors.Is(err, ErrClosed) {
		t.Errorf("submit after close: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b := reopen(t, path, Options{ReadOnly: true})
	if n := len(records(t, b, Filter{})); n != 20 {
		t.Errorf("%d records after reopen, want 20", n)
	}
}

func TestWriterDelayCommits(t *testing.T) {
	a, _ := openTest(t, Options{BatchSize: 1000, BatchDelay: time.Millisecond, NoSync: true})
	done := make(chan Result, 1)
	w := a.NewWriter(WriterOptions{OnResult: func(_ Page, r Result, err error) { done <- r }})
	if err := w.Submit(context.Background(), page("https://vinachem.com.vn/a.html", article("T", "B"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	// No Flush: the batch delay alone commits the lone page.
	if r := <-done; r.Outcome != OutcomeNew {
		t.Errorf("outcome %v", r.Outcome)
	}
}

func TestLocking(t *testing.T) {
	a, path := openTest(t, Options{})
	_ = a
	t.Run("second writer", func(t *testing.T) {
		_, err := Open(path, Options{LockTimeout: 0})
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v, want ErrLocked naming the path", err)
		}
	})
	t.Run("reader waits then gives up", func(t *testing.T) {
		_, err := Open(path, Options{ReadOnly: true, LockTimeout: 60 * time.Millisecond})
		if !errors.Is(err, ErrLocked) {
			t.Errorf("err = %v, want ErrLocked", err)
		}
	})
	t.Run("after close", func(t *testing.T) {
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		r1 := reopen(t, path, Options{ReadOnly: true})
		r2 := reopen(t, path, Options{ReadOnly: true})
		if _, err := r1.Put(context.Background(), page("https://x.vn/a", article("a", "b"), time.Time{})); !errors.Is(err, ErrReadOnly) {
			t.Errorf("put on read-only: %v", err)
		}
		_ = r2
	})
}

func TestSchemaAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	t.Run("not bbolt", func(t *testing.T) {
		p := filepath.Join(dir, "notes.txt")
		if err := os.WriteFile(p, []byte(strings.Repeat("not a database\n", 600)), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(p, Options{}); !errors.Is(err, ErrNotArchive) {
			t.Errorf("err = %v, want ErrNotArchive", err)
		}
		if b, _ := os.ReadFile(p); !strings.HasPrefix(string(b), "not a database") {
			t.Error("foreign file was modified")
		}
	})
	t.Run("missing read-only", func(t *testing.T) {
		if _, err := Open(filepath.Join(dir, "none.db"), Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v, want not exist", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		p := filepath.Join(dir, "new.db")
		a, err := Open(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.do(context.Background(), func(tx *bolt.Tx) error {
			return tx.Bucket(bMeta).Put([]byte(metaSchema), []byte("99"))
		}); err != nil {
			t.Fatal(err)
		}
		a.Close()
		if _, err := Open(p, Options{}); !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "99") {
			t.Errorf("err = %v, want ErrSchema naming version 99", err)
		}
	})
}
