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
