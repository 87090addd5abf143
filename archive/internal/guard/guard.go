// Package guard runs bbolt on a file that may be damaged without letting
// the damage kill the process. bbolt trusts its file: a bit flip in a page
// makes it panic (index out of range, "invalid page type"), and a read of
// the memory map past a truncated file's end is a fault (SIGBUS) that
// kills the process unless the goroutine reading it asked for a panic
// instead (debug.SetPanicOnFault). DB runs every transaction with that set
// and turns a panic into a *Damage error; the transaction is rolled back
// (bbolt's deferred rollback), so nothing of it is committed, and the DB
// refuses further writes. Callers still check the file's structure before
// opening it (package pagefile): a loop in a tree is not a panic but an
// endless walk.
package guard

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/pagefile"
)

// Damage is a panic or fault bbolt met reading the archive at Path.
type Damage struct {
	Path  string
	Cause any // what was recovered
}

// Unwrap makes a Damage a pagefile.ErrDamaged.
func (d *Damage) Unwrap() error { return pagefile.ErrDamaged }

func (d *Damage) Error() string {
	return fmt.Sprintf("archive %s is damaged (%v): run parc verify; restore from parc backup", d.Path, d.Cause)
}

// DB is a bbolt database whose transactions are guarded.
type DB struct {
	*bolt.DB
	path   string
	broken atomic.Pointer[Damage]
	writer bool
	now    func() time.Time
}

// Open opens the bbolt file at path, guarded; now is the clock Close
// stamps the file with.
func Open(path string, opts *bolt.Options, now func() time.Time) (*DB, error) {
	d := &DB{path: path, writer: opts == nil || !opts.ReadOnly, now: now}
	err := d.run(func() error {
		db, err := bolt.Open(path, 0o600, opts)
		d.DB = db
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// View runs a read transaction, guarded.
func (d *DB) View(fn func(*bolt.Tx) error) error {
	return d.run(func() error { return d.DB.View(fn) })
}

// Update runs a write transaction, guarded; after damage it refuses.
func (d *DB) Update(fn func(*bolt.Tx) error) error {
	if b := d.broken.Load(); b != nil {
		return b
	}
	return d.run(func() error { return d.DB.Update(fn) })
}

// Close closes the database. A writer that met no damage then stamps the
// file as sound (pagefile.StampWritten), so that the next open, a reader
// right after a crawl, skips the walk of its pages.
func (d *DB) Close() error {
	if err := d.DB.Close(); err != nil {
		return err
	}
	if d.writer && d.broken.Load() == nil && d.now != nil {
		pagefile.StampWritten(d.path, d.now, time.Sleep)
	}
	return nil
}

// Broken returns the damage met so far, nil if none.
func (d *DB) Broken() error {
	if b := d.broken.Load(); b != nil {
		return b
	}
	return nil
}

// run calls fn with faults turned into panics and panics into *Damage.
func (d *DB) run(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			dmg := &Damage{Path: d.path, Cause: r}
			d.broken.CompareAndSwap(nil, dmg)
			err = dmg
		}
	}()
	return fn()
}

// MapSize is the address space a writable archive maps up front.
// bbolt otherwise remaps at every doubling of the file, and each remap
// waits for all read transactions and first copies every open node's keys
// and values to the heap: ~2 % of a crawl's allocation. The mapping is
// virtual: pages count in RSS only once read, and the file itself grows as
// data is written, except on Windows, where bbolt would size the file to
// the mapping, and on 32-bit systems, which lack the address space.
func MapSize(readOnly bool) int {
	if readOnly || runtime.GOOS == "windows" || strconv.IntSize < 64 {
		return 0
	}
	return 1 << 30
}
