package archive

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive/internal/tail"
	bolt "go.etcd.io/bbolt"
)

// writeTailToTrees puts the tail's entries in the trees, as a merge does
// before it raises the mark.
func writeTailToTrees(tx *bolt.Tx, t *tail.Tail) error {
	var err error
	t.ForEachSim(func(id string, sim uint64) {
		for band := range 4 {
			if err == nil {
				err = tx.Bucket(bSim).Put(tail.SimKey(band, sim, id), u64(sim))
			}
		}
	})
	t.ForEachHash(func(h, id string) {
		if err == nil {
			err = tx.Bucket(bHashes).Put([]byte(h), []byte(id))
		}
	})
	return err
}

// describeTail lists the tail's records with their simhashes and its
// hashes, in order (its band chains derive from the simhashes, see the
// tests of package tail).
func describeTail(t *tail.Tail) string {
	var recs, hs []string
	t.ForEachSim(func(id string, sim uint64) { recs = append(recs, fmt.Sprintf("%s=%x", id, sim)) })
	t.ForEachHash(func(h, id string) { hs = append(hs, h+"="+id) })
	slices.Sort(recs)
	slices.Sort(hs)
	return fmt.Sprint(recs, " ", hs)
}

// treeSims returns the ids filed in the simhash tree, with how many band
// entries each has.
func treeSims(t *testing.T, a *Archive) map[string]int {
	t.Helper()
	got := map[string]int{}
	if err := a.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bSim).ForEach(func(k, _ []byte) error { got[string(k[3:])]++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// settle waits until the committer has finished what it was doing,
// a merge included: results are reported before the merge that follows
// their commit.
func settle(t *testing.T, a *Archive) {
	t.Helper()
	if err := a.do(context.Background(), func(*bolt.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func mustVerify(t *testing.T, a *Archive) {
	t.Helper()
	if probs, err := a.Verify(context.Background()); err != nil || len(probs) != 0 {
		t.Fatalf("verify: %v %v", probs, err)
	}
}

// tailScenario stores, reopens, revises and redacts articles in an
// archive whose tail is merged once it holds tailMax records, and returns
// what each step reported.
func tailScenario(t *testing.T, tailMax int) []string {
	ctx := context.Background()
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	var log []string
	a, path := openTest(t, Options{NoSync: true})
	a.tailMax = tailMax
	put := func(u, title, body string) Result {
		t.Helper()
		r := mustPut(t, a, page("https://vinachem.com.vn/nd/"+u+".html", article(title, body), at))
		near := ""
		if r.Record != nil {
			near = r.Record.NearDuplicateOf
		}
		log = append(log, fmt.Sprintf("%s: %s %s rev %d near %q", u, r.Outcome, r.ID, r.Revision, near))
		return r
	}
	body := func(i int) string { return benchBody(i, 8) }
	var ids []string
	for i := range 10 {
		ids = append(ids, put(fmt.Sprint("a", i), fmt.Sprint("Bài ", i), body(i)).ID)
	}
	put("near-a3", "Gần 3", body(3)+" Thêm.")
	put("dup-a7", "Bài 7", body(7))

	a.Close()
	a = reopen(t, path, Options{NoSync: true})
	a.tailMax = tailMax
	mustVerify(t, a)

	put("dup-a1", "Bài 1", body(1))
	put("near-a8", "Gần 8", body(8)+" Thêm nữa.")
	// A revision moves a record's simhash; its old content stays
	// indexed (an old copy elsewhere is an alias of it).
	put("a2", "Bài 2", body(102))
	put("near-a2-new", "Gần 2", body(102)+" Thêm.")
	put("near-a2-old", "Gần 2 cũ", body(2)+" Thêm.")
	put("old-a2", "Bài 2", body(2))
	// Redacted content is forgotten: stored again, it is a new record.
	if err := a.Redact(ctx, ids[5], "test"); err != nil {
		t.Fatal(err)
	}
	put("again-a5", "Bài 5", body(5))
	put("near-a5", "Gần 5", body(5)+" Thêm nữa.")
	for i := range 6 {
		put(fmt.Sprint("b", i), fmt.Sprint("Mới ", i), body(200+i))
	}
	mustVerify(t, a)
	return log
}

// TestIndexTailSameResults: where the index entries are (the tail, the
// trees, or both across merges and a reopen) changes no dedup or
// near-duplicate result.
func TestIndexTailSameResults(t *testing.T) {
	want := tailScenario(t, 1<<30) // never merged
	for _, max := range []int{0, 3} {
		if got := tailScenario(t, max); !slices.Equal(got, want) {
			t.Errorf("tailMax %d:\n%s\nwant\n%s", max, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	// The scenario must exercise what it claims to.
	joined := strings.Join(want, "\n")
	for _, s := range []string{"dup-a7: duplicate", "dup-a1: duplicate", "old-a2: duplicate", "again-a5: new", "a2: revised"} {
		if !strings.Contains(joined, s) {
			t.Errorf("scenario lacks %q:\n%s", s, joined)
		}
	}
	for _, u := range []string{"near-a3", "near-a8", "near-a2-new", "near-a5"} {
		for _, l := range want {
			if strings.HasPrefix(l, u+":") && strings.HasSuffix(l, `near ""`) {
				t.Errorf("%s found no near duplicate: %s", u, l)
			}
		}
	}
}

// TestIndexTailMerge: merging empties the tail, files every live record's
// four bands in the tree and raises the mark; a reopen then rebuilds
// only what came after.
func TestIndexTailMerge(t *testing.T) {
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	a, path := openTest(t, Options{NoSync: true})
	a.tailMax = 4
	a.txNodes = 2 // several merge transactions
	for i := range 6 {
		mustPut(t, a, page(fmt.Sprintf("https://vinachem.com.vn/nd/%d.html", i), article("Bài", benchBody(i, 2)), at))
	}
	settle(t, a)
	// Four records reached tailMax: merged; two since.
	if n := a.tail.Len(); n != 2 {
		t.Errorf("tail holds %d records, want 2", n)
	}
	sims := treeSims(t, a)
	if len(sims) != 4 {
		t.Errorf("tree has %d records, want 4", len(sims))
	}
	for id, n := range sims {
		if n != 4 {
			t.Errorf("%s: %d bands in the tree, want 4", id, n)
		}
	}
	var mark uint64
	a.db.View(func(tx *bolt.Tx) error { mark, _ = readMark(tx); return nil })
	if mark != 4 {
		t.Errorf("mark %d, want 4", mark)
	}
	mustVerify(t, a)
	before := describeTail(a.tail)
	a.Close()
	a = reopen(t, path, Options{NoSync: true})
	if got := describeTail(a.tail); got != before {
		t.Errorf("rebuilt tail\n%s\nwant\n%s", got, before)
	}
}

// TestIndexTailInterruptedMerge: a merge that wrote entries to the trees
// but died before raising the mark leaves them in both places; a revision
// then removes the stale tree entries too, and the next merge completes.
func TestIndexTailInterruptedMerge(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	a, path := openTest(t, Options{NoSync: true})
	var first Result
	for i := range 3 {
		r := mustPut(t, a, page(fmt.Sprintf("https://vinachem.com.vn/nd/%d.html", i), article("Bài", benchBody(i, 2)), at))
		if i == 0 {
			first = r
		}
	}
	if err := a.do(ctx, func(tx *bolt.Tx) error { return writeTailToTrees(tx, a.tail) }); err != nil {
		t.Fatal(err)
	}
	a.Close()
	a = reopen(t, path, Options{NoSync: true})
	mustVerify(t, a)
	r := mustPut(t, a, page("https://vinachem.com.vn/nd/0.html", article("Bài", benchBody(50, 2)), at))
	if r.Outcome != OutcomeRevised {
		t.Fatalf("outcome %s, want revised", r.Outcome)
	}
	// The old simhash is gone from the tree, not only from the tail.
	if n := treeSims(t, a)[first.ID]; n != 0 {
		t.Errorf("revised record keeps %d stale bands in the tree", n)
	}
	// Its old content stays indexed to it.
	if r := mustPut(t, a, page("https://vinachem.com.vn/nd/copy.html", article("Bài", benchBody(0, 2)), at)); r.Outcome != OutcomeAlias || r.ID != first.ID {
		t.Errorf("old content: %s of %s, want alias of %s", r.Outcome, r.ID, first.ID)
	}
	mustVerify(t, a)
	// Set on the committer's goroutine, which reads it after each commit.
	if err := a.do(ctx, func(*bolt.Tx) error { a.tailMax = 0; return nil }); err != nil {
		t.Fatal(err)
	}
	mustPut(t, a, page("https://vinachem.com.vn/nd/9.html", article("Bài", benchBody(9, 2)), at))
	settle(t, a)
	if a.tail.Len() != 0 {
		t.Errorf("tail holds %d records after a merge", a.tail.Len())
	}
	sims := treeSims(t, a)
	if len(sims) != 4 || sims[first.ID] != 4 {
		t.Errorf("tree after merge: %v, want 4 records with 4 bands each", sims)
	}
	mustVerify(t, a)
}

// TestIndexTailRevisionsStayBounded: revising the same records re-adds
// them to the tail's append-only slice; the committer merges the tail as
// soon as that makes it due (tail.TestDueBoundsGrowth), so it stays
// bounded even when no new record arrives.
func TestIndexTailRevisionsStayBounded(t *testing.T) {
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	a, _ := openTest(t, Options{NoSync: true})
	a.tailMax = 3
	u := "https://vinachem.com.vn/nd/1.html"
	for i := range 20 {
		mustPut(t, a, page(u, article("Bài", benchBody(i, 2)), at))
		settle(t, a)
		if a.tail.Due(a.tailMax) {
			t.Fatalf("after %d revisions the tail is due and not merged", i)
		}
	}
	var mark uint64
	a.db.View(func(tx *bolt.Tx) error { mark, _ = readMark(tx); return nil })
	if mark == 0 {
		t.Error("revisions of one record never merged the tail")
	}
	mustVerify(t, a)
}

// TestOpenSkipsUndecodableTailDoc: a record above the mark whose state
// does not decode leaves the archive writable (the tail leaves it out);
// verify reports it.
func TestOpenSkipsUndecodableTailDoc(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	a, path := openTest(t, Options{NoSync: true})
	r := mustPut(t, a, page("https://vinachem.com.vn/nd/1.html", article("Bài", benchBody(1, 2)), at))
	mustPut(t, a, page("https://vinachem.com.vn/nd/2.html", article("Bài", benchBody(2, 2)), at))
	if err := a.do(ctx, func(tx *bolt.Tx) error { return tx.Bucket(bDocs).Put([]byte(r.ID), []byte("{broken")) }); err != nil {
		t.Fatal(err)
	}
	a.Close()
	a, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("writable open with a broken record: %v", err)
	}
	defer a.Close()
	if n := a.tail.Len(); n != 1 {
		t.Errorf("tail holds %d records, want the 1 that decodes", n)
	}
	probs, err := a.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range probs {
		found = found || p.ID == r.ID && strings.Contains(p.Detail, "does not decode")
	}
	if !found {
		t.Errorf("verify does not report the broken record: %v", probs)
	}
	// The archive still takes new pages.
	if res := mustPut(t, a, page("https://vinachem.com.vn/nd/3.html", article("Bài", benchBody(3, 2)), at)); res.Outcome != OutcomeNew {
		t.Errorf("outcome %s, want new", res.Outcome)
	}
}

// TestVerifyFindsMissingIndexEntries: verify reports a record at or
// below the mark whose content hash or simhash band is missing from its
// tree.
func TestVerifyFindsMissingIndexEntries(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2024, 1, 8, 8, 15, 0, 0, time.UTC)
	a, _ := openTest(t, Options{NoSync: true})
	a.tailMax = 0 // every commit merges: the entries are in the trees
	r := mustPut(t, a, page("https://vinachem.com.vn/nd/1.html", article("Bài", benchBody(1, 2)), at))
	settle(t, a)
	mustVerify(t, a)
	if err := a.do(ctx, func(tx *bolt.Tx) error {
		d, _, err := loadDoc(tx, r.ID)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bSim).Delete(tail.SimKey(2, d.SimHash, r.ID)); err != nil {
			return err
		}
		return tx.Bucket(bHashes).Delete([]byte(r.Record.ContentHash))
	}); err != nil {
		t.Fatal(err)
	}
	probs, err := a.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(probs)
	for _, want := range []string{"near-duplicate band 2 missing", "content hash " + r.Record.ContentHash + " not indexed"} {
		if !strings.Contains(got, want) {
			t.Errorf("verify: %s\nwant a problem %q", got, want)
		}
	}
}
