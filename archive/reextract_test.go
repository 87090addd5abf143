package archive

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
)

// fakePage renders a "page" that fakeExtract reads: title, byline and
// paragraphs on lines, a paragraph "SPONSOR …" standing for boilerplate.
func fakePage(title, byline string, paras ...string) []byte {
	return []byte(title + "\n" + byline + "\n" + strings.Join(paras, "\n"))
}

// fakeExtract is an extractor over fakePage; strip says whether it drops
// the SPONSOR paragraphs (the "fixed profile").
func fakeExtract(strip bool) func(*record.Capture) (*Article, error) {
	return func(c *record.Capture) (*Article, error) {
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
		art := article(lines[0], strings.Join(paras, "\n\n"))
		art.Byline = lines[1]
		return art, nil
	}
}

// capturedPage is a page as a crawl stores it: extracted by ex from body,
// with the raw capture.
func capturedPage(tb testing.TB, url string, body []byte, at time.Time, ex func(*record.Capture) (*Article, error)) Page {
	tb.Helper()
	c := &record.Capture{URL: url, Method: http.MethodGet, Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: body, FetchedAt: at}
	art, err := ex(c)
	if err != nil {
		tb.Fatal(err)
	}
	p := page(url, art, at)
	p.Capture = c
	return p
}

var reextractT0 = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

// capturedArchive stores a (sponsor block, refetched unchanged an hour
// later: the newest capture), b (clean), c (sponsor block), d (without a
// capture) and e (redacted).
func capturedArchive(t *testing.T) (*Archive, map[string]Result) {
	t.Helper()
	t0, old := reextractT0, fakeExtract(false)
	a, _ := openTest(t, Options{KeepRaw: true, BatchDelay: time.Millisecond})
	res := map[string]Result{}
	res["a"] = mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A", "AN", "a1", "SPONSOR x", "a2"), t0, old))
	res["b"] = mustPut(t, a, capturedPage(t, "http://p.test/b", fakePage("B", "BN", "b1", "b2"), t0, old))
	res["c"] = mustPut(t, a, capturedPage(t, "http://p.test/c", fakePage("C", "CN", "SPONSOR y", "c1"), t0, old))
	dp := capturedPage(t, "http://p.test/d", fakePage("D", "DN", "SPONSOR z", "d1"), t0, old)
	dp.Capture = nil
	res["d"] = mustPut(t, a, dp)
	res["e"] = mustPut(t, a, capturedPage(t, "http://p.test/e", fakePage("E", "EN", "e1"), t0, old))
	mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A", "AN", "a1", "SPONSOR x", "a2"), t0.Add(time.Hour), old))
	if err := a.Redact(context.Background(), res["e"].ID, "takedown"); err != nil {
		t.Fatal(err)
	}
	return a, res
}

// currentCaptures reads all of a's current captures, limit per page, by
// record id.
func currentCaptures(t *testing.T, a *Archive, limit int) map[string]CurrentCapture {
	t.Helper()
	got := map[string]CurrentCapture{}
	after := ""
	for {
		cs, next, err := a.CurrentCaptures(context.Background(), after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return got
		}
		if len(cs) > limit {
			t.Errorf("page of %d, limit %d", len(cs), limit)
		}
		for _, c := range cs {
			if c.ID <= after {
				t.Errorf("%s read after %s", c.ID, after)
			}
			if _, dup := got[c.ID]; dup {
				t.Errorf("%s read twice", c.ID)
			}
			got[c.ID] = c
		}
		after = next
	}
}

// TestCurrentCaptures pages through the records in id order, without the
// redacted ones, each with the newest stored capture of its current
// revision.
func TestCurrentCaptures(t *testing.T) {
	a, res := capturedArchive(t)
	got := currentCaptures(t, a, 2)
	if len(got) != 4 {
		t.Fatalf("%d records read, want 4 (e is redacted)", len(got))
	}
	ca := got[res["a"].ID]
	h := mustGet(t, a, res["a"].ID)
	newest := h.Revisions[0].Refetches[len(h.Revisions[0].Refetches)-1]
	if ca.Ref != newest || ca.Err != nil || ca.Capture == nil || ca.Record.URL != "http://p.test/a" {
		t.Errorf("a: ref %+v err %v, want the newest capture %+v", ca.Ref, ca.Err, newest)
	}
	if ca.Capture != nil && (ca.Capture.FetchedAt != reextractT0.Add(time.Hour) || !strings.Contains(string(ca.Capture.Body), "SPONSOR x")) {
		t.Errorf("a: capture %+v", ca.Capture)
	}
	if cd := got[res["d"].ID]; cd.Ref.ID != "" || cd.Capture != nil || cd.Err != nil || cd.Record.Revision != 1 {
		t.Errorf("d without a capture: %+v", cd)
	}
	// A capture that does not decode is reported with the record.
	capID := got[res["b"].ID].Ref.ID
	if err := a.do(context.Background(), func(tx *bolt.Tx) error { return tx.Bucket(bCaptures).Put([]byte(capID), []byte("junk")) }); err != nil {
		t.Fatal(err)
	}
	cb := currentCaptures(t, a, 10)[res["b"].ID]
	if cb.Err == nil || !strings.HasPrefix(cb.Err.Error(), "capture "+capID+" of "+res["b"].ID+": ") || cb.Ref.ID != capID {
		t.Errorf("b with a broken capture: ref %+v err %v", cb.Ref, cb.Err)
	}
}

// TestCompareRevision tells what storing an article would change, and
// writes nothing.
func TestCompareRevision(t *testing.T) {
	ctx := context.Background()
	a, res := capturedArchive(t)
	seq, _ := a.CurrentSeq(ctx)
	got := currentCaptures(t, a, 10)
	ca, cb := got[res["a"].ID], got[res["b"].ID]
	compare := func(c CurrentCapture, art *Article) Comparison {
		t.Helper()
		cmp, err := a.CompareRevision(c, art)
		if err != nil {
			t.Fatal(err)
		}
		return cmp
	}
	art, _ := fakeExtract(false)(ca.Capture)
	if cmp := compare(ca, art); cmp.Outcome != OutcomeUnchanged || cmp.Revision != 1 || cmp.Diff != nil {
		t.Errorf("same extraction: %+v", cmp)
	}
	art, _ = fakeExtract(true)(ca.Capture)
	if cmp := compare(ca, art); cmp.Outcome != OutcomeRevised || cmp.Revision != 2 || cmp.Diff == nil || cmp.Diff.ParagraphsRemoved != 1 || strings.Join(cmp.Diff.Fields, ",") != "body" {
		t.Errorf("sponsor block removed: %+v %+v", cmp, cmp.Diff)
	}
	art, _ = fakeExtract(true)(cb.Capture)
	art.Byline = "Someone Else"
	if cmp := compare(cb, art); cmp.Outcome != OutcomeRevised || cmp.Diff == nil || strings.Join(cmp.Diff.Fields, ",") != "byline" {
		t.Errorf("byline changed: %+v %+v", cmp, cmp.Diff)
	}
	if _, err := a.CompareRevision(ca, &Article{}); !errors.Is(err, ErrInvalidPage) || !strings.HasPrefix(err.Error(), "re-extracted http://p.test/a: ") {
		t.Errorf("empty article: %v", err)
	}
	if _, err := a.CompareRevision(got[res["d"].ID], art); err == nil {
		t.Error("compared without a capture")
	}
	if after, _ := a.CurrentSeq(ctx); after != seq {
		t.Errorf("comparing moved the change sequence %d -> %d", seq, after)
	}
}

// revised compares c's capture extracted without the sponsor block and
// checks that it is a revision.
func revised(t *testing.T, a *Archive, c CurrentCapture) Comparison {
	t.Helper()
	art, _ := fakeExtract(true)(c.Capture)
	cmp, err := a.CompareRevision(c, art)
	if err != nil || cmp.Outcome != OutcomeRevised {
		t.Fatalf("compare %s: %+v %v", c.ID, cmp, err)
	}
	return cmp
}

// storedResult is what onStored was called with.
type storedResult struct {
	revision, calls int
	err             error
}

// reviseFromCapture stores cmp, waits for the commit and returns what
// onStored reported.
func reviseFromCapture(t *testing.T, a *Archive, cmp Comparison) storedResult {
	t.Helper()
	var got storedResult
	if err := a.ReviseFromCapture(context.Background(), cmp, func(rev int, err error) { got.revision, got.err = rev, err; got.calls++ }); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got.calls != 1 {
		t.Errorf("onStored called %d times, want once", got.calls)
	}
	return got
}

// TestReviseFromCapture stores the revision citing the capture and its
// fetch time.
func TestReviseFromCapture(t *testing.T) {
	a, res := capturedArchive(t)
	ca := currentCaptures(t, a, 10)[res["a"].ID]
	if got := reviseFromCapture(t, a, revised(t, a, ca)); got.err != nil || got.revision != 2 {
		t.Fatalf("stored: %+v", got)
	}
	h := mustGet(t, a, res["a"].ID)
	rev2 := h.Revisions[1]
	if h.Record.Revision != 2 || h.Record.Body != "a1\n\na2" || rev2.CaptureID != ca.Ref.ID || rev2.CaptureDigest != ca.Ref.Digest || h.Record.CaptureID != ca.Ref.ID {
		t.Errorf("a: revision %d body %q capture %s, want 2, the stripped body, %s", h.Record.Revision, h.Record.Body, rev2.CaptureID, ca.Ref.ID)
	}
	if rev2.FetchedAt != utc(reextractT0.Add(time.Hour)) || rev2.Diff == nil || rev2.Diff.ParagraphsRemoved != 1 {
		t.Errorf("revision 2: fetched_at %s diff %+v", rev2.FetchedAt, rev2.Diff)
	}
	mustVerify(t, a)
}

// TestReviseFromCaptureChangedMeanwhile: a record that a write revised or
// redacted, or whose capture went, since it was read is left alone.
func TestReviseFromCaptureChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	a, res := capturedArchive(t)
	got := currentCaptures(t, a, 10)
	ca, cb, cc := got[res["a"].ID], got[res["b"].ID], got[res["c"].ID]
	cmpA, cmpC := revised(t, a, ca), revised(t, a, cc)
	art, _ := fakeExtract(true)(cb.Capture)
	art.Byline = "Someone Else"
	cmpB, err := a.CompareRevision(cb, art)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A2", "AN", "a3"), reextractT0.Add(2*time.Hour), fakeExtract(false)))
	if err := a.Redact(ctx, res["b"].ID, "takedown"); err != nil {
		t.Fatal(err)
	}
	if err := a.do(ctx, func(tx *bolt.Tx) error { return tx.Bucket(bCaptures).Delete([]byte(cc.Ref.ID)) }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cmp  Comparison
		want string
	}{
		{cmpA, res["a"].ID + ": "},
		{cmpB, res["b"].ID + ": "},
		{cmpC, res["c"].ID + ": capture " + cc.Ref.ID + ": "},
	} {
		got := reviseFromCapture(t, a, tc.cmp)
		if want := tc.want + ErrChangedMeanwhile.Error(); !errors.Is(got.err, ErrChangedMeanwhile) || got.err.Error() != want {
			t.Errorf("%s: %v, want %q", tc.cmp.from.ID, got.err, want)
		}
	}
	if h := mustGet(t, a, res["a"].ID); h.Record.Revision != 2 || h.Record.Title != "A2" {
		t.Errorf("a: revision %d title %q, want the crawl's revision 2", h.Record.Revision, h.Record.Title)
	}
	if h := mustGet(t, a, res["c"].ID); h.Record.Revision != 1 {
		t.Errorf("c without its capture got revision %d", h.Record.Revision)
	}
}

// TestReviseFromCaptureRefuses what is not a revision, and a read-only
// archive.
func TestReviseFromCaptureRefuses(t *testing.T) {
	ctx := context.Background()
	a, res := capturedArchive(t)
	ca := currentCaptures(t, a, 10)[res["a"].ID]
	art, _ := fakeExtract(false)(ca.Capture)
	same, err := a.CompareRevision(ca, art)
	if err != nil {
		t.Fatal(err)
	}
	called := false
	if err := a.ReviseFromCapture(ctx, same, func(int, error) { called = true }); err == nil {
		t.Error("an unchanged comparison was queued")
	}
	path := a.Path()
	cmp := revised(t, a, ca)
	a.Close()
	ro := reopen(t, path, Options{ReadOnly: true})
	if !ro.ReadOnly() || a.ReadOnly() {
		t.Errorf("ReadOnly: %v for the read-only open, %v for the writable one", ro.ReadOnly(), a.ReadOnly())
	}
	if err := ro.ReviseFromCapture(ctx, cmp, func(int, error) { called = true }); !errors.Is(err, ErrReadOnly) {
		t.Errorf("revise on a read-only archive: %v", err)
	}
	if called {
		t.Error("onStored called for a revision that was not queued")
	}
}
