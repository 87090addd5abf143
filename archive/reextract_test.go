package archive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
)

// fakePage renders a "page" that fakeExtract reads: title, byline and
// paragraphs on lines, a paragraph "SPONSOR …" standing for boilerplate.
func fakePage(title, byline string, paras ...string) []byte {
	return []byte(title + "\n" + byline + "\n" + strings.Join(paras, "\n"))
}

// fakeExtract is an extractor over fakePage; strip says whether it drops
// the SPONSOR paragraphs (the "fixed profile").
func fakeExtract(strip bool) ExtractFunc {
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
func capturedPage(tb testing.TB, url string, body []byte, at time.Time, ex ExtractFunc) Page {
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

func TestReextract(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	old := fakeExtract(false)
	// fill stores: a (sponsor block, refetched unchanged later), b (clean),
	// c (sponsor block), d (stored without a capture), e (unparseable
	// capture for the new extractor: only one line after a profile
	// change is simulated by a failing extractor below).
	fill := func(t *testing.T) (*Archive, map[string]Result) {
		a, _ := openTest(t, Options{KeepRaw: true, BatchDelay: time.Millisecond})
		res := map[string]Result{}
		res["a"] = mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A", "AN", "a1", "SPONSOR x", "a2"), t0, old))
		res["b"] = mustPut(t, a, capturedPage(t, "http://p.test/b", fakePage("B", "BN", "b1", "b2"), t0, old))
		res["c"] = mustPut(t, a, capturedPage(t, "http://p.test/c", fakePage("C", "CN", "SPONSOR y", "c1"), t0, old))
		dp := capturedPage(t, "http://p.test/d", fakePage("D", "DN", "SPONSOR z", "d1"), t0, old)
		dp.Capture = nil
		res["d"] = mustPut(t, a, dp)
		// a refetched an hour later, same content: the newest capture.
		if r := mustPut(t, a, capturedPage(t, "http://p.test/a", fakePage("A", "AN", "a1", "SPONSOR x", "a2"), t0.Add(time.Hour), old)); r.Outcome != OutcomeUnchanged {
			t.Fatalf("refetch of a: %v", r.Outcome)
		}
		return a, res
	}

	t.Run("revises only what changed, citing the capture", func(t *testing.T) {
		a, res := fill(t)
		var results []ReextractResult
		st, err := a.Reextract(ctx, fakeExtract(true), ReextractOptions{BatchSize: 2, OnResult: func(r ReextractResult) { results = append(results, r) }})
		if err != nil {
			t.Fatal(err)
		}
		want := ReextractStats{Examined: 4, Revised: 2, Unchanged: 1, NoCapture: 1}
		if st != want {
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
		if probs, err := a.Verify(ctx); err != nil || len(probs) > 0 {
			t.Errorf("verify after reextract: %v %v", probs, err)
		}
		// Running it again changes nothing.
		st, err = a.Reextract(ctx, fakeExtract(true), ReextractOptions{BatchSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		if want := (ReextractStats{Examined: 4, Unchanged: 3, NoCapture: 1}); st != want {
			t.Errorf("second run %+v, want %+v", st, want)
		}
		if n := len(records(t, a, Filter{AllRevisions: true})); n != 6 {
			t.Errorf("%d revisions stored, want 6", n)
		}
	})

	t.Run("dry run writes nothing", func(t *testing.T) {
		a, _ := fill(t)
		seq, _ := a.CurrentSeq(ctx)
		var diffs int
		st, err := a.Reextract(ctx, fakeExtract(true), ReextractOptions{DryRun: true, OnResult: func(r ReextractResult) {
			if r.Outcome == OutcomeRevised && r.Diff != nil && r.Revision == 2 {
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
	})

	t.Run("failures are counted, not stored", func(t *testing.T) {
		a, res := fill(t)
		boom := errors.New("boom")
		st, err := a.Reextract(ctx, func(c *record.Capture) (*Article, error) {
			if strings.HasSuffix(c.URL, "/c") {
				return nil, boom
			}
			if strings.HasSuffix(c.URL, "/a") {
				return &Article{}, nil // no title or body
			}
			return fakeExtract(true)(c)
		}, ReextractOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if want := (ReextractStats{Examined: 4, Unchanged: 1, NoCapture: 1, Failed: 2}); st != want {
			t.Errorf("stats %+v, want %+v", st, want)
		}
		if h := mustGet(t, a, res["c"].ID); h.Record.Revision != 1 {
			t.Errorf("failed c got revision %d", h.Record.Revision)
		}
	})

	t.Run("redacted records are skipped", func(t *testing.T) {
		a, res := fill(t)
		if err := a.Redact(ctx, res["a"].ID, "takedown"); err != nil {
			t.Fatal(err)
		}
		st, err := a.Reextract(ctx, fakeExtract(true), ReextractOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Examined != 3 || st.Revised != 1 {
			t.Errorf("stats %+v, want 3 examined, 1 revised", st)
		}
	})

	t.Run("read-only archive", func(t *testing.T) {
		a, path := openTest(t, Options{})
		a.Close()
		ro := reopen(t, path, Options{ReadOnly: true})
		if _, err := ro.Reextract(ctx, fakeExtract(true), ReextractOptions{}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("reextract on a read-only archive: %v", err)
		}
		if _, err := ro.Reextract(ctx, fakeExtract(true), ReextractOptions{DryRun: true}); err != nil {
			t.Errorf("dry run on a read-only archive: %v", err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		a, _ := fill(t)
		cctx, cancel := context.WithCancel(ctx)
		n := 0
		st, err := a.Reextract(cctx, fakeExtract(true), ReextractOptions{BatchSize: 1, OnResult: func(ReextractResult) {
			if n++; n == 1 {
				cancel()
			}
		}})
		if !errors.Is(err, context.Canceled) || st.Examined >= 4 {
			t.Errorf("cancelled run: %+v %v", st, err)
		}
		// A re-run finishes the job.
		st, err = a.Reextract(ctx, fakeExtract(true), ReextractOptions{})
		if err != nil || st.Examined != 4 || st.Revised+st.Unchanged != 3 {
			t.Errorf("re-run: %+v %v", st, err)
		}
		if probs, _ := a.Verify(ctx); len(probs) > 0 {
			t.Errorf("verify: %v", probs)
		}
	})
}

// Pages of many records are read in separate transactions while the
// committer grows the file: nothing blocks and every record is examined once.
func TestReextractManyRecords(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{KeepRaw: true, NoSync: true, BatchDelay: time.Millisecond})
	w := a.NewWriter(WriterOptions{})
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
	st, err := a.Reextract(ctx, fakeExtract(true), ReextractOptions{BatchSize: 7, OnResult: func(r ReextractResult) { seen[r.ID]++ }})
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
