package archive

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/parc-archiver/parc/internal/testtool"
	bolt "go.etcd.io/bbolt"
)

// The prefetch walk finds every leaf page of a bucket's tree, and only
// leaves (bbolt's own page types and counts agree), and gives up on a
// damaged file instead of reading garbage as page numbers.
func TestPrefetchWalkFindsTheLeaves(t *testing.T) {
	a, path := openTest(t, Options{NoSync: true})
	clock := newClock()
	w := a.NewWriter(WriterOptions{})
	for i := range 600 {
		p := page(fmt.Sprintf("https://www.vinachem.com.vn/tin/%d.html", i), article(fmt.Sprintf("Tin %d", i), testtool.Body(i, 3+i%9)), clock.Now())
		if err := w.Submit(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	err = a.db.View(func(tx *bolt.Tx) error {
		ps := int64(tx.DB().Info().PageSize)
		for _, name := range [][]byte{bRecords, bOrder, bDocs} {
			b := tx.Bucket(name)
			tw := &treeWalk{f: f, pageSize: ps, pages: uint64(fi.Size() / ps)}
			if !tw.walk(uint64(b.Root())) {
				t.Fatalf("%s: walk gave up on a sound file", name)
			}
			if want := b.Stats().LeafPageN; len(tw.leaves) != want || want < 2 {
				t.Errorf("%s: walk found %d leaves, bbolt says %d", name, len(tw.leaves), want)
			}
			for _, id := range tw.leaves {
				if info, err := tx.Page(int(id)); err != nil || info.Type != "leaf" {
					t.Errorf("%s: page %d is %+v (%v), not a leaf", name, id, info, err)
				}
			}
			// A root that is no page of the tree (a leaf elsewhere, or past
			// the end) is refused, not walked.
			bad := &treeWalk{f: f, pageSize: ps, pages: uint64(fi.Size() / ps)}
			if bad.walk(uint64(fi.Size()/ps) + 5) {
				t.Errorf("%s: a root past the end of the file was walked", name)
			}
			if bad.walk(1) {
				t.Errorf("%s: a meta page was walked as a tree", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// And exports read the same with it.
	n := 0
	if err := a.Records(context.Background(), Filter{}, func([]byte) error { n++; return nil }); err != nil || n != 600 {
		t.Errorf("Records after prefetch: %d records, %v", n, err)
	}
}
