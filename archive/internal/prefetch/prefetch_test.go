package prefetch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// The walk finds every leaf page of a bucket's tree, and only leaves
// (bbolt's own page types and counts agree); it refuses a root that is
// no tree page; Trees reads without changing what bbolt reads.
func TestWalkFindsTheLeaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := []string{"small", "records", "index"}
	for batch := range 20 {
		err := db.Update(func(tx *bolt.Tx) error {
			for _, n := range names {
				b, err := tx.CreateBucketIfNotExists([]byte(n))
				if err != nil {
					return err
				}
				count, size := 100, 1+batch*500%9000
				if n == "small" {
					count, size = 1, 10
				}
				for i := range count {
					if err := b.Put(fmt.Appendf(nil, "%08x-%d", (i*2654435761)%1000003, batch), []byte(strings.Repeat("v", size))); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	err = db.View(func(tx *bolt.Tx) error {
		ps := int64(tx.DB().Info().PageSize)
		pages := uint64(fi.Size() / ps)
		var roots []uint64
		for _, name := range names {
			b := tx.Bucket([]byte(name))
			if b.Root() == 0 {
				continue // inline bucket: no pages of its own
			}
			roots = append(roots, uint64(b.Root()))
			w := &treeWalk{f: f, pageSize: ps, pages: pages}
			if !w.walk(uint64(b.Root())) {
				t.Fatalf("%s: walk gave up on a sound file", name)
			}
			if want := b.Stats().LeafPageN; len(w.leaves) != want {
				t.Errorf("%s: walk found %d leaves, bbolt says %d", name, len(w.leaves), want)
			}
			for _, id := range w.leaves {
				if info, err := tx.Page(int(id)); err != nil || info.Type != "leaf" {
					t.Errorf("%s: page %d is %+v (%v), not a leaf", name, id, info, err)
				}
			}
		}
		if len(roots) < 2 {
			t.Fatalf("only %d buckets have trees: the test proves little", len(roots))
		}
		for _, bad := range []uint64{pages + 5, 1, 0} {
			if (&treeWalk{f: f, pageSize: ps, pages: pages}).walk(bad) {
				t.Errorf("root %d (past the end, a meta page, none) was walked", bad)
			}
		}
		runs := leafRuns([]uint64{40, 3, 10, 200, 12}, 205)
		// gap 4, tail 3: 3..6, 10..13 and 12..15 merge (gaps of at most 4 pages); 40..43; 200..203.
		if want := []pageRun{{3, 16}, {40, 44}, {200, 204}}; fmt.Sprint(runs) != fmt.Sprint(want) {
			t.Errorf("leafRuns = %v, want %v", runs, want)
		}
		Trees(context.Background(), path, int(ps), roots)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
