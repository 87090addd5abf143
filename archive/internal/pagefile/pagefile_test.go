package pagefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// testDB writes a database with nested trees deep enough for branch pages
// and returns its path.
func testDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"a", "b", "small"} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			n := 5000
			if name == "small" {
				n = 2 // inline
			}
			for i := range n {
				if err := b.Put(fmt.Appendf(nil, "key-%06d", i), make([]byte, 100+i%7*300)); err != nil {
					return err
				}
			}
		}
		return tx.Bucket([]byte("a")).Put([]byte("big"), make([]byte, 3*4096)) // overflow pages
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWalkSoundFile(t *testing.T) {
	path := testDB(t)
	m, err := Check(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Walk(path, m)
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 || uint64(n) > m.Pages {
		t.Errorf("visited %d pages of %d", n, m.Pages)
	}
	if full, err := HoldsData(path, int(m.PageSize)); err != nil || !full {
		t.Errorf("HoldsData = %v, %v", full, err)
	}
}

func TestTruncatedFileIsRefused(t *testing.T) {
	path := testDB(t)
	m, _ := Check(path)
	if err := os.Truncate(path, int64(m.Pages)*int64(m.PageSize)-1); err != nil {
		t.Fatal(err)
	}
	if _, err := Check(path); !errors.Is(err, ErrDamaged) {
		t.Errorf("truncated: %v", err)
	}
}

// A branch that links back to the tree's root, a child out of range and a
// page whose header names another page are reported; the walk ends.
func TestWalkFindsLoopsAndBadLinks(t *testing.T) {
	for name, edit := range map[string]func(b []byte, m Meta, branch int64){
		"loop to the root": func(b []byte, m Meta, branch int64) {
			order.PutUint64(b[branch+headerSize+8:], uint64(branch)/uint64(m.PageSize))
		},
		"child out of range": func(b []byte, m Meta, branch int64) {
			order.PutUint64(b[branch+headerSize+8:], m.Pages+7)
		},
		"header names another page": func(b []byte, m Meta, branch int64) {
			child := int64(order.Uint64(b[branch+headerSize+8:])) * int64(m.PageSize)
			order.PutUint64(b[child:], 3)
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := testDB(t)
			m, _ := Check(path)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			branch := findPage(b, m, flagBranch)
			if branch < 0 {
				t.Fatal("no branch page")
			}
			edit(b, m, branch)
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Walk(path, m); !errors.Is(err, ErrDamaged) {
				t.Errorf("walk: %v, want ErrDamaged", err)
			}
		})
	}
}

// findPage returns the offset of the first page with flag, -1 if none.
func findPage(b []byte, m Meta, flag uint16) int64 {
	for id := int64(2); id < int64(m.Pages); id++ {
		off := id * int64(m.PageSize)
		if order.Uint64(b[off:]) == uint64(id) && order.Uint16(b[off+8:])&flag != 0 {
			return off
		}
	}
	return -1
}

func TestEmptyGrownFileHoldsNoData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Truncate(path, 1<<20); err != nil { // grown, never written
		t.Fatal(err)
	}
	if full, err := HoldsData(path, os.Getpagesize()); err != nil || full {
		t.Errorf("HoldsData = %v, %v on an empty file", full, err)
	}
}

// TestSoundQuick: a quick reader's check skips the walk (it checked the
// file before); a writer's never does.
func TestSoundQuick(t *testing.T) {
	path := testDB(t)
	m, _ := Check(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	branch := findPage(b, m, flagBranch)
	order.PutUint64(b[branch+headerSize+8:], uint64(branch)/uint64(m.PageSize)) // a loop
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Sound(path, false, false); !errors.Is(err, ErrDamaged) {
		t.Errorf("reader: %v, want ErrDamaged", err)
	}
	if err := Sound(path, false, true); err != nil {
		t.Errorf("quick reader: %v, want the walk skipped", err)
	}
	if err := Sound(path, true, true); !errors.Is(err, ErrDamaged) {
		t.Errorf("writer: %v, want ErrDamaged", err)
	}
}
