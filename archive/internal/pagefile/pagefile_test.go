package pagefile

import (
	"bytes"
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
	return writeDB(t, func(tx *bolt.Tx) error {
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
}

// writeDB writes a database with fill and returns its path.
func writeDB(t *testing.T, fill func(tx *bolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fill); err != nil {
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
			editBranch(t, path, edit)
			m, _ := Check(path)
			if _, err := Walk(path, m); !errors.Is(err, ErrDamaged) {
				t.Errorf("walk: %v, want ErrDamaged", err)
			}
		})
	}
}

// editBranch rewrites the file at path with edit applied to its first
// branch page (at offset branch).
func editBranch(t *testing.T, path string, edit func(b []byte, m Meta, branch int64)) {
	t.Helper()
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

// countingReader counts the bytes read through it.
type countingReader struct {
	r interface {
		ReadAt([]byte, int64) (int, error)
	}
	n int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// bigValuesDB writes a database whose leaves mostly hold values of
// several pages (as an archive's records and captures are), with a
// nested bucket filed after a big value in the same leaf.
func bigValuesDB(t *testing.T) string {
	t.Helper()
	return writeDB(t, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("captures"))
		if err != nil {
			return err
		}
		for i := range 300 {
			if err := b.Put(fmt.Appendf(nil, "c-%04d", i), make([]byte, 5*4096+i)); err != nil {
				return err
			}
		}
		p, err := tx.CreateBucket([]byte("parent"))
		if err != nil {
			return err
		}
		if err := p.Put([]byte("a-big"), make([]byte, 3*4096)); err != nil {
			return err
		}
		nested, err := p.CreateBucket([]byte("b-nested"))
		if err != nil {
			return err
		}
		for i := range 500 { // a tree of its own, not inline
			if err := nested.Put(fmt.Appendf(nil, "n-%04d", i), make([]byte, 200)); err != nil {
				return err
			}
		}
		return nil
	})
}

// The walk reads the first page of a page with overflow pages, not the
// bytes of the big values on them: on a file of big values it reads a
// small part of the file.
func TestWalkSkipsOverflowPages(t *testing.T) {
	path := bigValuesDB(t)
	m, err := Check(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := &countingReader{r: f}
	n, err := walk(cr, m)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(m.Pages) * int64(m.PageSize)
	if cr.n > size/3 {
		t.Errorf("walk read %d bytes of a %d-byte file (%d pages visited)", cr.n, size, n)
	}
	if uint64(n) < m.Pages*3/4 {
		t.Errorf("visited %d of %d pages", n, m.Pages)
	}
}

// A nested bucket whose header lies on the overflow pages of its leaf is
// still read and followed: a root that links back to a visited page is
// found.
func TestWalkFollowsBucketsOnOverflowPages(t *testing.T) {
	path := bigValuesDB(t)
	m, _ := Check(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(b, []byte("b-nested"))
	if at < 0 {
		t.Fatal("no nested bucket key")
	}
	leafStart := at / int(m.PageSize) * int(m.PageSize)
	for order.Uint64(b[leafStart:]) != uint64(leafStart/int(m.PageSize)) || order.Uint16(b[leafStart+8:]) != flagLeaf {
		leafStart -= int(m.PageSize)
	}
	if at-leafStart < int(m.PageSize) {
		t.Fatalf("the nested bucket's key is on its leaf's first page (offset %d): the test needs it further", at-leafStart)
	}
	// The bucket header follows the key: point its root at the leaf
	// holding it, a loop.
	order.PutUint64(b[at+len("b-nested"):], uint64(leafStart/int(m.PageSize)))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Walk(path, m); !errors.Is(err, ErrDamaged) {
		t.Errorf("walk: %v, want ErrDamaged", err)
	}
}

// damageBranch points the first branch page's first child at the branch
// itself (a loop Walk reports).
func damageBranch(t *testing.T, path string) {
	t.Helper()
	editBranch(t, path, func(b []byte, m Meta, branch int64) {
		order.PutUint64(b[branch+headerSize+8:], uint64(branch)/uint64(m.PageSize))
	})
}

// TestSoundQuick: a quick reader's check skips the walk (it checked the
// file before); a writer's never does, nor a recheck.
func TestSoundQuick(t *testing.T) {
	path := testDB(t)
	damageBranch(t, path)
	if err := Sound(path, Opening{}); !errors.Is(err, ErrDamaged) {
		t.Errorf("reader: %v, want ErrDamaged", err)
	}
	if err := Sound(path, Opening{Quick: true}); err != nil {
		t.Errorf("quick reader: %v, want the walk skipped", err)
	}
	if err := Sound(path, Opening{Writer: true, Quick: true}); !errors.Is(err, ErrDamaged) {
		t.Errorf("writer: %v, want ErrDamaged", err)
	}
	if err := Sound(path, Opening{Quick: true, Recheck: true}); !errors.Is(err, ErrDamaged) {
		t.Errorf("recheck: %v, want ErrDamaged", err)
	}
}
