package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
)

// fakePage renders a "page" that fakeExtract reads: title, byline and
// paragraphs on lines, a paragraph "SPONSOR …" standing for boilerplate.
func fakePage(title, byline string, paras ...string) []byte {
	return []byte(title + "\n" + byline + "\n" + strings.Join(paras, "\n"))
}

// fakeExtract is an extractor over fakePage; strip says whether it drops
// the SPONSOR paragraphs (the "fixed profile").
// anyPortal extracts the records of every portal with fn.
func anyPortal(fn extractFunc) extractorOf { return func(string) extractFunc { return fn } }

func fakeExtract(strip bool) extractFunc {
	return func(c *record.Capture) (*archive.Article, error) {
		lines := strings.Split(string(c.Body), "\n")
		if len(lines) < 3 {
			return nil, errors.New("no article")
		}
		var paras []string
		for _, p := range lines[2:] {
			if strip && strings.HasPrefix(p, "SPONSOR") {
				continue
			}
			paras = append(paras, p)
		}
		return &archive.Article{Title: lines[0], Byline: lines[1], Body: strings.Join(paras, "\n\n"), Extraction: "profile"}, nil
	}
}

// capturedPage is a page as a crawl stores it: extracted by ex from body,
// with the raw capture.
func capturedPage(tb testing.TB, url string, body []byte, at time.Time, ex extractFunc) archive.Page {
	tb.Helper()
	c := &record.Capture{URL: url, Method: http.MethodGet, Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: body, FetchedAt: at}
	art, err := ex(c)
	if err != nil {
		tb.Fatal(err)
	}
	return archive.Page{URL: url, Portal: "p", Article: art, FetchedAt: at, Capture: c}
}

func openArchive(tb testing.TB, path string, opts archive.Options) *archive.Archive {
	tb.Helper()
	a, err := archive.Open(path, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { a.Close() })
	return a
}

func mustPut(tb testing.TB, a *archive.Archive, p archive.Page) archive.Result {
	tb.Helper()
	r, err := a.Put(context.Background(), p)
	if err != nil {
		tb.Fatalf("put %s: %v", p.URL, err)
	}
	return r
}

func mustGet(tb testing.TB, a *archive.Archive, id string) *archive.History {
	tb.Helper()
	h, err := a.Get(context.Background(), id)
	if err != nil {
		tb.Fatalf("get %s: %v", id, err)
	}
	return h
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// revisions counts the revisions stored in a.
func revisions(tb testing.TB, a *archive.Archive) int {
	tb.Helper()
	n := 0
	if err := a.Records(context.Background(), archive.Filter{AllRevisions: true}, func([]byte) error { n++; return nil }); err != nil {
		tb.Fatal(err)
	}
	return n
}

func mustVerify(tb testing.TB, a *archive.Archive) {
	tb.Helper()
	if probs, err := a.Verify(context.Background()); err != nil || len(probs) > 0 {
		tb.Errorf("verify: %v %v", probs, err)
	}
}

var t0 = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

// reextractArchive stores: a (sponsor block, refetched unchanged later),
// b (clean), c (sponsor block), d (stored without a capture).
func reextractArchive(t *testing.T) (*archive.Archive, map[string]archive.Result) {
	t.Helper()
	a := openArchive(t, filepath.Join(t.TempDir(), "parc.db"), archive.Options{KeepRaw: true, BatchDelay: time.Millisecond})
	old := fakeExtract(false)
	res := map[string]archive.Result{}
	res["a"] = mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A", "AN", "a1", "SPONSOR x", "a2"), t0, old))
	res["b"] = mustPut(t, a, capturedPage(t, "http://p.test/b", fakePage("B", "BN", "b1", "b2"), t0, old))
	res["c"] = mustPut(t, a, capturedPage(t, "http://p.test/c", fakePage("C", "CN", "SPONSOR y", "c1"), t0, old))
	dp := capturedPage(t, "http://p.test/d", fakePage("D", "DN", "SPONSOR z", "d1"), t0, old)
	dp.Capture = nil
	res["d"] = mustPut(t, a, dp)
	// a refetched an hour later, same content: the newest capture.
	if r := mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A", "AN", "a1", "SPONSOR x", "a2"), t0.Add(time.Hour), old)); r.Outcome != archive.OutcomeUnchanged {
		t.Fatalf("refetch of a: %v", r.Outcome)
	}
	return a, res
}

// TestReextractRevisesWhatChanged: only records whose extraction changed
// get a revision, citing the newest capture and its fetch time; a second
// run changes nothing.
func TestReextractRevisesWhatChanged(t *testing.T) {
	ctx := context.Background()
	a, res := reextractArchive(t)
	var results []ReextractResult
	st, err := reextract(ctx, a, anyPortal(fakeExtract(true)), ReextractOptions{BatchSize: 2, OnResult: func(r ReextractResult) { results = append(results, r) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ReextractStats{Examined: 4, Revised: 2, Unchanged: 1, NoCapture: 1}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if len(results) != 4 {
		t.Errorf("%d results, want 4", len(results))
	}
	ha := mustGet(t, a, res["a"].ID)
	if ha.Record.Revision != 2 || ha.Record.Body != "a1\n\na2" {
		t.Fatalf("a after reextract: revision %d body %q", ha.Record.Revision, ha.Record.Body)
	}
	rev1, rev2 := ha.Revisions[0], ha.Revisions[1]
	newest := rev1.Refetches[len(rev1.Refetches)-1]
	if rev2.CaptureID != newest.ID || ha.Record.CaptureID != newest.ID || rev2.CaptureDigest != newest.Digest {
		t.Errorf("revision 2 cites capture %s, want the newest %s", rev2.CaptureID, newest.ID)
	}
	if rev2.FetchedAt != utc(t0.Add(time.Hour)) {
		t.Errorf("revision 2 fetched_at %s, want the capture's %s", rev2.FetchedAt, utc(t0.Add(time.Hour)))
	}
	if rev2.Diff == nil || rev2.Diff.ParagraphsRemoved != 1 || strings.Join(rev2.Diff.Fields, ",") != "body" {
		t.Errorf("revision 2 diff %+v", rev2.Diff)
	}
	if hb := mustGet(t, a, res["b"].ID); hb.Record.Revision != 1 || len(hb.Revisions[0].Refetches) != 0 || hb.Record.LastSeen != utc(t0) {
		t.Errorf("unchanged b was touched: %+v", hb.Record)
	}
	if hc := mustGet(t, a, res["c"].ID); hc.Record.Revision != 2 || hc.Record.Body != "c1" {
		t.Errorf("c: revision %d body %q", hc.Record.Revision, hc.Record.Body)
	}
	if hd := mustGet(t, a, res["d"].ID); hd.Record.Revision != 1 {
		t.Errorf("d without capture got revision %d", hd.Record.Revision)
	}
	mustVerify(t, a)
	// Running it again changes nothing.
	st, err = reextract(ctx, a, anyPortal(fakeExtract(true)), ReextractOptions{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ReextractStats{Examined: 4, Unchanged: 3, NoCapture: 1}); st != want {
		t.Errorf("second run %+v, want %+v", st, want)
	}
	if n := revisions(t, a); n != 6 {
		t.Errorf("%d revisions stored, want 6", n)
	}
}

// TestReextractDryRun writes nothing and reports the would-be revisions
// with their diffs.
func TestReextractDryRun(t *testing.T) {
	ctx := context.Background()
	a, _ := reextractArchive(t)
	seq, _ := a.CurrentSeq(ctx)
	var diffs int
	st, err := reextract(ctx, a, anyPortal(fakeExtract(true)), ReextractOptions{DryRun: true, OnResult: func(r ReextractResult) {
		if r.Outcome == archive.OutcomeRevised && r.Diff != nil && r.Revision == 2 {
			diffs++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Revised != 2 || diffs != 2 {
		t.Errorf("dry run: %+v, %d diffs", st, diffs)
	}
	if after, _ := a.CurrentSeq(ctx); after != seq {
		t.Errorf("dry run moved the change sequence %d -> %d", seq, after)
	}
}

// TestReextractFailures are counted, not stored.
func TestReextractFailures(t *testing.T) {
	a, res := reextractArchive(t)
	boom := errors.New("boom")
	var errs []string
	st, err := reextract(context.Background(), a, anyPortal(func(c *record.Capture) (*archive.Article, error) {
		if strings.HasSuffix(c.URL, "/c") {
			return nil, boom
		}
		if strings.HasSuffix(c.URL, "/a") {
			return &archive.Article{}, nil // no title or body
		}
		return fakeExtract(true)(c)
	}), ReextractOptions{OnResult: func(r ReextractResult) {
		if r.Err != nil {
			errs = append(errs, r.Err.Error())
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ReextractStats{Examined: 4, Unchanged: 1, NoCapture: 1, Failed: 2}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if h := mustGet(t, a, res["c"].ID); h.Record.Revision != 1 {
		t.Errorf("failed c got revision %d", h.Record.Revision)
	}
	slices.Sort(errs)
	want := []string{
		"extract http://p.test/c from capture " + mustGet(t, a, res["c"].ID).Record.CaptureID + ": boom",
		"re-extracted http://p.test/a: http://p.test/a: no title or body: invalid page",
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}
}

// TestReextractSkipsRedacted: redacted records are not examined.
func TestReextractSkipsRedacted(t *testing.T) {
	ctx := context.Background()
	a, res := reextractArchive(t)
	if err := a.Redact(ctx, res["a"].ID, "takedown"); err != nil {
		t.Fatal(err)
	}
	st, err := reextract(ctx, a, anyPortal(fakeExtract(true)), ReextractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Examined != 3 || st.Revised != 1 {
		t.Errorf("stats %+v, want 3 examined, 1 revised", st)
	}
}

// TestReextractReadOnly: only a dry run works on a read-only archive.
func TestReextractReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parc.db")
	openArchive(t, path, archive.Options{}).Close()
	ro := openArchive(t, path, archive.Options{ReadOnly: true})
	if _, err := reextract(ctx, ro, anyPortal(fakeExtract(true)), ReextractOptions{}); !errors.Is(err, archive.ErrReadOnly) {
		t.Errorf("reextract on a read-only archive: %v", err)
	}
	if _, err := reextract(ctx, ro, anyPortal(fakeExtract(true)), ReextractOptions{DryRun: true}); err != nil {
		t.Errorf("dry run on a read-only archive: %v", err)
	}
}

// TestReextractCancelled stops with ctx's error, having stored what it
// reported; a re-run finishes the job.
func TestReextractCancelled(t *testing.T) {
	ctx := context.Background()
	a, _ := reextractArchive(t)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if st, err := reextract(cctx, a, anyPortal(fakeExtract(true)), ReextractOptions{}); !errors.Is(err, context.Canceled) || st != (ReextractStats{}) {
		t.Errorf("run with an ended context: %+v %v", st, err)
	}
	cctx, cancel = context.WithCancel(ctx)
	n := 0
	st, err := reextract(cctx, a, anyPortal(fakeExtract(true)), ReextractOptions{BatchSize: 1, OnResult: func(ReextractResult) {
		if n++; n == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || st.Examined >= 4 {
		t.Errorf("cancelled run: %+v %v", st, err)
	}
	st, err = reextract(ctx, a, anyPortal(fakeExtract(true)), ReextractOptions{})
	if err != nil || st.Examined != 4 || st.Revised+st.Unchanged != 3 {
		t.Errorf("re-run: %+v %v", st, err)
	}
	mustVerify(t, a)
}

// TestReextractChangedMeanwhile: a record revised by another write after
// its page was read is reported as failed and left as that write made it.
func TestReextractChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	a, res := reextractArchive(t)
	// Records are examined in id order; d has no capture to extract.
	ids := []string{res["a"].ID, res["b"].ID, res["c"].ID}
	slices.Sort(ids)
	// While the first capture of the page is re-extracted, c (or a, when
	// c is first) gets a revision from a crawl.
	victim := "c"
	if ids[0] == res["c"].ID {
		victim = "a"
	}
	first := true
	var failed []ReextractResult
	ex := func(c *record.Capture) (*archive.Article, error) {
		if first {
			first = false
			mustPut(t, a, capturedPage(t, "http://p.test/"+victim, fakePage("V", "VN", "new text"), t0.Add(2*time.Hour), fakeExtract(false)))
		}
		return fakeExtract(true)(c)
	}
	st, err := reextract(ctx, a, anyPortal(ex), ReextractOptions{OnResult: func(r ReextractResult) {
		if r.Err != nil {
			failed = append(failed, r)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Failed != 1 || len(failed) != 1 || failed[0].ID != res[victim].ID {
		t.Fatalf("stats %+v, failed %+v; want %s failed", st, failed, victim)
	}
	f := failed[0]
	wantMsg := res[victim].ID + ": record changed while being re-extracted; run reextract again"
	if !errors.Is(f.Err, archive.ErrChangedMeanwhile) || f.Err.Error() != wantMsg || f.Outcome != 0 || f.Diff != nil {
		t.Errorf("result %+v, want the error %q", f, wantMsg)
	}
	if h := mustGet(t, a, res[victim].ID); h.Record.Revision != 2 || h.Record.Title != "V" {
		t.Errorf("%s: revision %d title %q, want the crawl's revision 2", victim, h.Record.Revision, h.Record.Title)
	}
	mustVerify(t, a)
}

// TestReextractManyRecords: pages of many records are read in separate
// transactions while the committer grows the file: nothing blocks and
// every record is examined once.
func TestReextractManyRecords(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, filepath.Join(t.TempDir(), "parc.db"), archive.Options{KeepRaw: true, NoSync: true, BatchDelay: time.Millisecond})
	w := a.NewWriter(archive.WriterOptions{})
	const n = 120
	big := strings.Repeat("lorem ipsum dolor sit amet ", 100)
	for i := range n {
		body := fakePage(fmt.Sprintf("T%d", i), "X", fmt.Sprintf("p%d %s", i, big), "SPONSOR s")
		if err := w.Submit(ctx, capturedPage(t, fmt.Sprintf("http://p.test/%d", i), body, time.Unix(1e9, 0), fakeExtract(false))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	st, err := reextract(ctx, a, anyPortal(fakeExtract(true)), ReextractOptions{BatchSize: 7, OnResult: func(r ReextractResult) { seen[r.ID]++ }})
	if err != nil {
		t.Fatal(err)
	}
	if st.Examined != n || st.Revised != n || len(seen) != n {
		t.Errorf("stats %+v, %d distinct records reported, want %d each", st, len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("record %s reported %d times", id, k)
		}
	}
}

// TestReextractStatsJSON: the stats encode with the field names they had
// in package archive.
func TestReextractStatsJSON(t *testing.T) {
	b, err := json.Marshal(ReextractStats{Examined: 1, Revised: 2, Unchanged: 3, NoCapture: 4, Failed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"examined":1,"revised":2,"unchanged":3,"no_capture":4,"failed":5}`; string(b) != want {
		t.Errorf("%s, want %s", b, want)
	}
}
