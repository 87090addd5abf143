package boltcopy

import (
	"fmt"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A loop that deletes while it iterates removes every pair it means to,
// even when the transaction wrote to the bucket before (etcd-io/bbolt#146:
// there, Delete followed by Next skips a key).
func TestDeleteAtDeletesEveryMatch(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "x.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range 300 {
			if err := b.Put(fmt.Appendf(nil, "k%03d", i), []byte("v")); err != nil {
				return err
			}
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil; {
			if k, _, err = DeleteAt(c, k); err != nil {
				return err
			}
		}
		var left []string
		_ = b.ForEach(func(k, _ []byte) error { left = append(left, string(k)); return nil })
		if len(left) != 0 {
			t.Errorf("%d keys left after deleting all: %.80v", len(left), left)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Buckets with a transform writes every value as transformed, in key
// order, across batches, commits and nested buckets, and returns the
// transform's error.
func TestBucketsTransforms(t *testing.T) {
	dir := t.TempDir()
	src, err := bolt.Open(filepath.Join(dir, "src.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := src.Update(func(tx *bolt.Tx) error {
		a, err := tx.CreateBucket([]byte("a"))
		if err != nil {
			return err
		}
		for i := range 1000 {
			if err := a.Put(fmt.Appendf(nil, "k%04d", i), fmt.Appendf(nil, "v%d", i)); err != nil {
				return err
			}
		}
		n, err := a.CreateBucket([]byte("k0500x")) // between two keys: a flush before it
		if err != nil {
			return err
		}
		if err := n.Put([]byte("inner"), []byte("w")); err != nil {
			return err
		}
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("untouched"))
	}); err != nil {
		t.Fatal(err)
	}
	upper := func(path [][]byte, k, v []byte) ([]byte, error) {
		if string(path[0]) != "a" {
			return v, nil
		}
		return append([]byte("T:"), v...), nil
	}
	dst, err := bolt.Open(filepath.Join(dir, "dst.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if err := src.View(func(tx *bolt.Tx) error { return Buckets(t.Context(), dst, tx, 4096, upper) }); err != nil {
		t.Fatal(err)
	}
	if err := dst.View(func(tx *bolt.Tx) error {
		a := tx.Bucket([]byte("a"))
		for i := range 1000 {
			if got, want := string(a.Get(fmt.Appendf(nil, "k%04d", i))), fmt.Sprintf("T:v%d", i); got != want {
				t.Fatalf("k%04d = %q, want %q", i, got, want)
			}
		}
		if got := string(a.Bucket([]byte("k0500x")).Get([]byte("inner"))); got != "T:w" {
			t.Errorf("nested value %q", got)
		}
		if got := string(tx.Bucket([]byte("b")).Get([]byte("k"))); got != "untouched" {
			t.Errorf("b/k = %q", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	broken := func(path [][]byte, k, v []byte) ([]byte, error) {
		if string(k) == "k0700" {
			return nil, fmt.Errorf("cannot transform %s", k)
		}
		return v, nil
	}
	dst2, err := bolt.Open(filepath.Join(dir, "dst2.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst2.Close()
	if err := src.View(func(tx *bolt.Tx) error { return Buckets(t.Context(), dst2, tx, 4096, broken) }); err == nil || err.Error() != "cannot transform k0700" {
		t.Errorf("Buckets with a failing transform: %v", err)
	}
}
