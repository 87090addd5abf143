package archive

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/record"
)

func items(kind frontier.Kind, urls ...string) []frontier.Item {
	var out []frontier.Item
	for _, u := range urls {
		out = append(out, frontier.Item{URL: u, Kind: kind})
	}
	return out
}

// drain hands out every queued item (without Done) and returns their URLs.
func drain(tb testing.TB, f *Frontier) []string {
	tb.Helper()
	var out []string
	for {
		it, ok, err := f.Next(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, it.URL)
	}
}

// drainDone takes every item f hands out, in order, marking each done.
func drainDone(tb testing.TB, f *Frontier) []frontier.Item {
	tb.Helper()
	ctx := context.Background()
	var out []frontier.Item
	for {
		it, ok, err := f.Next(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, it)
		if err := f.Done(ctx, it, frontier.StatusDone); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestFrontierResumeAfterCrash(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true})
	f, err := a.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Run() != 1 {
		t.Fatalf("run %d, want 1", f.Run())
	}
	urls := []string{"https://vinachem.com.vn/nd/a/1.html", "https://vinachem.com.vn/nd/a/2.html", "https://vinachem.com.vn/nd/a/3.html"}
	added, err := f.Add(ctx, append(items(frontier.KindListing, "https://vinachem.com.vn/"), items(frontier.KindArticle, urls...)...), math.MaxInt)
	if err != nil || added.Fresh != 3 {
		t.Fatalf("add: fresh %d err %v, want 3", added.Fresh, err)
	}
	// Hand out the listing and two articles before they are committed:
	// the overlay serves them.
	l, _, _ := f.Next(ctx)
	a1, _, _ := f.Next(ctx)
	a2, _, _ := f.Next(ctx)
	if l.Kind != frontier.KindListing || a1.URL != urls[0] || a2.URL != urls[1] {
		t.Fatalf("FIFO order broken: %v %v %v", l, a1, a2)
	}
	// Adding a variant of a queued URL does nothing.
	if added, _ := f.Add(ctx, items(frontier.KindArticle, "http://www.vinachem.com.vn/nd/a/1.html?utm_source=x"), math.MaxInt); added.Fresh != 0 {
		t.Errorf("variant of a queued url counted fresh")
	}
	// a1's page is stored, then it is done; the listing is done too.
	w := a.NewWriter(WriterOptions{})
	if err := w.Submit(ctx, page(a1.URL, article("Một", "Bài một."), time.Time{})); err != nil {
		t.Fatal(err)
	}
	if err := f.Done(ctx, a1, frontier.StatusDone); err != nil {
		t.Fatal(err)
	}
	if err := f.Done(ctx, l, frontier.StatusDone); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if p := f.Pending(); p != 2 {
		t.Errorf("pending %d, want 2 (a2 in flight, a3 queued)", p)
	}
	// Crash: close without Finish while a2 is in flight.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b := reopen(t, path, Options{NoSync: true})
	g, err := b.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Run() != 1 || g.Pending() != 2 {
		t.Fatalf("resumed run %d pending %d, want run 1 with 2", g.Run(), g.Pending())
	}
	got := drain(t, g)
	if fmt.Sprint(got) != fmt.Sprint(urls[1:]) {
		t.Errorf("resumed queue %v, want %v", got, urls[1:])
	}
	// Nothing is queued twice in the resumed run, and the stored article
	// is not queued again either.
	if added, _ := g.Add(ctx, append(items(frontier.KindListing, "https://vinachem.com.vn/"), items(frontier.KindArticle, urls...)...), math.MaxInt); added.Fresh != 0 {
		t.Errorf("fresh %d on re-add in the same run", added.Fresh)
	}
	if more := drain(t, g); len(more) != 0 {
		t.Errorf("re-add queued %v", more)
	}
}

func TestFrontierRuns(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true, KeepRaw: true})
	f, err := a.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored := "https://vinachem.com.vn/nd/a/stored.html"
	failing := "https://vinachem.com.vn/nd/a/failing.html"
	skipped := "https://vinachem.com.vn/robots-says-no.html"
	if _, err := f.Add(ctx, append(items(frontier.KindListing, "https://vinachem.com.vn/"), items(frontier.KindArticle, stored, failing, skipped)...), math.MaxInt); err != nil {
		t.Fatal(err)
	}
	p := page(stored, article("Lưu", "Đã lưu."), time.Time{})
	p.Capture = &record.Capture{URL: stored, Status: 200, Body: []byte("<html>stored</html>"),
		Header: http.Header{"Etag": {`"v1"`}, "Last-Modified": {"Wed, 27 Jan 2021 06:39:00 GMT"}}}
	for {
		it, ok, err := f.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		st := frontier.StatusDone
		switch it.URL {
		case stored:
			if _, err := a.Put(ctx, p); err != nil {
				t.Fatal(err)
			}
		case failing:
			st = frontier.StatusFailed
		case skipped:
			st = frontier.StatusSkip
		}
		if err := f.Done(ctx, it, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if s, err := a.Stats(ctx); err != nil || s.Failed != 1 || s.Pending != 0 || !s.RunFinished {
		t.Fatalf("stats %+v %v", s, err)
	}
	a.Close()

	tests := []struct {
		name      string
		refresh   bool
		wantQueue []string
		wantFresh int
	}{
		{"new run retries failures, skips archived", false, []string{failing, "https://vinachem.com.vn/", skipped}, 1}, // failing was queued when the run started
		{"refresh queues archived with validators", true, []string{failing, "https://vinachem.com.vn/", stored, skipped}, 2},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := reopen(t, path, Options{NoSync: true, KeepRaw: true})
			defer b.Close()
			g, err := b.Frontier(ctx, FrontierOptions{Refresh: tc.refresh})
			if err != nil {
				t.Fatal(err)
			}
			if g.Run() != uint64(2+i) {
				t.Errorf("run %d, want %d", g.Run(), 2+i)
			}
			added, err := g.Add(ctx, append(items(frontier.KindListing, "https://vinachem.com.vn/"), items(frontier.KindArticle, stored, failing, skipped)...), math.MaxInt)
			if err != nil {
				t.Fatal(err)
			}
			if added.Fresh != tc.wantFresh {
				t.Errorf("fresh = %d, want %d", added.Fresh, tc.wantFresh)
			}
			var got []string
			for _, it := range drainDone(t, g) {
				got = append(got, it.URL)
				if it.URL == stored && (it.ETag != `"v1"` || it.LastModified == "") {
					t.Errorf("refresh validators: %+v", it)
				}
			}
			if err := g.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			want := append([]string{}, tc.wantQueue...)
			sort.Strings(want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("queued %v, want %v", got, want)
			}
		})
	}
}

// --refresh revisits every archived article, also those no listing walked
// in this run links any more, each once, with its validators; a redacted
// article is never fetched again.
func TestFrontierRefreshQueuesWholeArchive(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true, KeepRaw: true})
	urls := []string{"https://vinachem.com.vn/nd/a/1.html", "https://vinachem.com.vn/nd/a/2.html", "https://vinachem.com.vn/nd/a/3.html"}
	var ids []string
	for i, u := range urls {
		p := page(u, article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung bài số %d.", i)), time.Time{})
		p.Capture = &record.Capture{URL: u, Status: 200, Body: []byte("<html></html>"), Header: http.Header{"Etag": {fmt.Sprintf(`"e%d"`, i)}}}
		r, err := a.Put(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.Record.ID)
	}
	if err := a.Redact(ctx, ids[2], "test"); err != nil {
		t.Fatal(err)
	}
	a.Close()

	b := reopen(t, path, Options{NoSync: true, KeepRaw: true})
	defer b.Close()
	f, err := b.Frontier(ctx, FrontierOptions{Refresh: true, Portal: "vinachem"})
	if err != nil {
		t.Fatal(err)
	}
	// The listing shows the first article again: it is not queued twice.
	if _, err := f.Add(ctx, append(items(frontier.KindListing, "https://vinachem.com.vn/"), items(frontier.KindArticle, urls[0])...), math.MaxInt); err != nil {
		t.Fatal(err)
	}
	etags := map[string]string{}
	for _, it := range drainDone(t, f) {
		if _, dup := etags[it.URL]; dup {
			t.Errorf("%s queued twice", it.URL)
		}
		etags[it.URL] = it.ETag
	}
	want := map[string]string{urls[0]: `"e0"`, urls[1]: `"e1"`, "https://vinachem.com.vn/": ""}
	if fmt.Sprint(etags) != fmt.Sprint(want) {
		t.Errorf("queued %v, want %v", etags, want)
	}
}

// A refresh run queues the archive in chunks; killed half-way (closed
// without Finish) and resumed by a plain crawl, it still revisits every
// archived article, and the resumed run hands each out once.
func TestFrontierRefreshResumes(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true})
	n := refillChunk + refillChunk/2
	want := map[string]bool{}
	w := a.NewWriter(WriterOptions{})
	for i := range n {
		u := fmt.Sprintf("https://vinachem.com.vn/nd/a/%d.html", i)
		if err := w.Submit(ctx, page(u, article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung riêng của bài số %d.", i)), time.Time{})); err != nil {
			t.Fatal(err)
		}
		want[u] = true
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := a.Frontier(ctx, FrontierOptions{Portal: "vinachem"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Finish(ctx); err != nil {
		t.Fatal(err)
	}

	f, err = a.Frontier(ctx, FrontierOptions{Refresh: true, Portal: "vinachem"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for range refillChunk / 4 { // some done, then a crash
		it, ok, err := f.Next(ctx)
		if err != nil || !ok {
			t.Fatalf("next: %v %v", ok, err)
		}
		got[it.URL] = true
		if err := f.Done(ctx, it, frontier.StatusDone); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := f.Next(ctx); err != nil { // handed out, never done
		t.Fatal(err)
	}
	a.Close()

	b := reopen(t, path, Options{NoSync: true})
	defer b.Close()
	g, err := b.Frontier(ctx, FrontierOptions{Portal: "vinachem"}) // a plain crawl resumes the refresh
	if err != nil {
		t.Fatal(err)
	}
	if g.Run() != f.Run() {
		t.Fatalf("run %d, want the interrupted run %d resumed", g.Run(), f.Run())
	}
	again := map[string]bool{}
	for _, it := range drainDone(t, g) {
		if again[it.URL] {
			t.Errorf("%s handed out twice in the resumed run", it.URL)
		}
		again[it.URL] = true
		got[it.URL] = true
	}
	if len(got) != len(want) {
		t.Errorf("refresh visited %d of %d archived articles", len(got), len(want))
	}
}

// RevisitAfter queues an archived article a listing links again, with its
// validators, once its last fetch is older than the revisit age; a
// recently fetched one is not refetched.
func TestFrontierRevisitAfter(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	a, _ := openTest(t, Options{NoSync: true, KeepRaw: true, Now: clk.Now})
	old, recent := "https://vinachem.com.vn/nd/a/old.html", "https://vinachem.com.vn/nd/a/recent.html"
	p := page(old, article("Cũ", "Bài đăng từ hôm trước."), clk.Now())
	p.Capture = &record.Capture{URL: old, Status: 200, Body: []byte("<html></html>"), Header: http.Header{"Etag": {`"o1"`}}, FetchedAt: clk.Now()}
	if _, err := a.Put(ctx, p); err != nil {
		t.Fatal(err)
	}
	clk.Advance(3 * time.Hour)
	if _, err := a.Put(ctx, page(recent, article("Mới", "Bài vừa đăng sáng nay."), clk.Now())); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	for _, tc := range []struct {
		name  string
		after time.Duration
		want  map[string]string
	}{
		{"off", 0, map[string]string{}},
		{"two hours", 2 * time.Hour, map[string]string{old: `"o1"`}},
		{"half an hour", 30 * time.Minute, map[string]string{old: `"o1"`, recent: ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := a.Frontier(ctx, FrontierOptions{RevisitAfter: tc.after})
			if err != nil {
				t.Fatal(err)
			}
			added, err := f.Add(ctx, items(frontier.KindArticle, old, recent), math.MaxInt)
			if err != nil || added.Fresh != 0 {
				t.Fatalf("add: fresh %d, %v", added.Fresh, err)
			}
			got := map[string]string{}
			for _, it := range drainDone(t, f) {
				got[it.URL] = it.ETag
			}
			if err := f.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("queued %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFrontierUnstoredPageIsNotDone: a page whose store failed leaves its
// frontier entry failed although the crawler reported it done, so the next
// run fetches it again; the page stored beside it stays done.
func TestFrontierUnstoredPageIsNotDone(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	f, err := a.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	urls := []string{"https://vinachem.com.vn/nd/a/1.html", "https://vinachem.com.vn/nd/a/2.html"}
	if _, err := f.Add(ctx, items(frontier.KindArticle, urls...), math.MaxInt); err != nil {
		t.Fatal(err)
	}
	var failed []string
	w := a.NewWriter(WriterOptions{OnResult: func(p Page, _ Result, err error) {
		if err != nil {
			failed = append(failed, p.URL)
		}
	}})
	for _, body := range []string{"Bài một.", ""} { // the second cannot be stored
		it, _, err := f.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Submit(ctx, page(it.URL, article("Một", body), time.Time{})); err != nil {
			t.Fatal(err)
		}
		if err := f.Done(ctx, it, frontier.StatusDone); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err == nil && len(failed) != 1 {
		t.Fatalf("store failures %v, want the second page", failed)
	}
	if err := f.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	g, err := a.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Pending(); p != 1 {
		t.Errorf("next run: %d pending, want 1", p)
	}
	if got := drain(t, g); fmt.Sprint(got) != fmt.Sprint(urls[1:]) {
		t.Errorf("next run queues %v, want the unstored page %v", got, urls[1:])
	}
}

// Add queues at most room new entries; the others it counts as dropped
// without marking them seen, and URLs queued already are no new entries
// (neither queued nor dropped), whatever the room.
func TestFrontierAddRoom(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	f, err := a.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range 5 {
		urls = append(urls, fmt.Sprintf("https://vinachem.com.vn/nd/a/%d.html", i))
	}
	got, err := f.Add(ctx, append(items(frontier.KindArticle, urls...), items(frontier.KindListing, "https://vinachem.com.vn/")...), 2)
	if want := (frontier.Added{Queued: 2, Fresh: 2, Dropped: 4}); err != nil || got != want {
		t.Fatalf("add with room 2: %+v, %v; want %+v", got, err, want)
	}
	if got, _ := f.Add(ctx, items(frontier.KindArticle, urls[:2]...), 0); got != (frontier.Added{}) {
		t.Errorf("queued urls again with room 0: %+v, want nothing dropped", got)
	}
	got, err = f.Add(ctx, items(frontier.KindArticle, urls...), 10)
	if want := (frontier.Added{Queued: 3, Fresh: 3}); err != nil || got != want {
		t.Fatalf("add with room 10: %+v, %v; want %+v (the dropped ones were not marked seen)", got, err, want)
	}
	if q := drain(t, f); len(q) != 5 {
		t.Errorf("queued %v, want the 5 articles", q)
	}
}
