package guard

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/pagefile"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "x.db"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A panic inside a transaction becomes a *Damage; what the transaction
// wrote is not committed, and the DB takes no more writes.
func TestPanicBecomesDamage(t *testing.T) {
	db := openTest(t)
	err := db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("b")); err != nil {
			return err
		}
		var m map[string]int
		m["x"]++ // a nil map: a runtime panic, as a damaged page gives bbolt
		return nil
	})
	var d *Damage
	if !errors.As(err, &d) || !errors.Is(err, pagefile.ErrDamaged) {
		t.Fatalf("Update: %v, want a *Damage", err)
	}
	if err := db.DB.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("b")) != nil {
			t.Error("the panicking transaction was committed")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(*bolt.Tx) error { return nil }); !errors.As(err, &d) {
		t.Errorf("a write after damage: %v, want refused", err)
	}
	if db.Broken() == nil {
		t.Error("Broken() nil after damage")
	}
}

// A read of a memory map past the end of its truncated file is a fault
// (SIGBUS) that would kill the process; in a guarded transaction it is a
// *Damage.
func TestFaultBecomesDamage(t *testing.T) {
	db := openTest(t)
	path := filepath.Join(t.TempDir(), "mapped")
	if err := os.WriteFile(path, make([]byte, 1<<16), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, 1<<16, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	var sink byte
	err = db.View(func(*bolt.Tx) error {
		sink = m[1<<15] // past the end of the file now
		return nil
	})
	var d *Damage
	if !errors.As(err, &d) {
		t.Fatalf("View reading past a truncated map: %v (read %d), want a *Damage", err, sink)
	}
}
