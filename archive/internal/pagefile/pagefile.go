// Package pagefile checks a bbolt file from outside bbolt, reading it with
// plain reads (never a memory map), before bbolt maps and trusts it:
//
//   - Check reads the two meta pages, picks the valid one with the
//     highest transaction id (as bbolt does) and refuses a file shorter
//     than that meta says: bbolt would map past the end of the file and
//     the first read there would kill the process with SIGBUS.
//   - Walk visits every page reachable from that meta's root, each at
//     most once, so it ends within the file's page count: a page out of
//     range, a page whose header names another page, a page linked twice
//     (a loop, on which bbolt's cursors would recurse or iterate forever)
//     or elements running off their page are reported instead. It reads
//     the first page of a page with overflow pages, not the bytes of the
//     big values on them (most of an archive: records and captures, which
//     carry checksums of their own), and reads each big level of the trees
//     into the page cache first with a few large reads in flight
//     (prefetch.Warmer), so a cold file is not read 4 KB at a time.
//   - HoldsData tells a file bbolt reads as empty but that holds pages of
//     data (its newest meta page damaged, bbolt fell back to the initial
//     state), which no writer may take for a new archive.
//
// The layout read is bbolt's (go.etcd.io/bbolt/internal/common), in the
// machine's byte order, as bbolt writes it.
package pagefile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"time"
)

// ErrDamaged reports a file whose structure bbolt cannot be trusted with.
var ErrDamaged = errors.New("damaged")

const (
	headerSize  = 16 // id u64, flags u16, count u16, overflow u32
	elementSize = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags u32, pos u32, ksize u32, vsize u32
	metaMagic   = 0xED0CDAED
	metaVersion = 2

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	bucketLeaf   = 0x01
	bucketHeader = 16 // root u64, sequence u64
)

var order = binary.NativeEndian

// Meta is what a valid meta page says.
type Meta struct {
	PageSize uint32
	Root     uint64 // root bucket's page
	Freelist uint64
	Pages    uint64 // high water mark: pages in use
	TxID     uint64
}

// Check reads the meta pages of the file at path and checks the file is as
// long as the chosen one says. It returns that meta.
func Check(path string) (Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Meta{}, err
	}
	m, err := readMetas(f)
	if err != nil {
		return Meta{}, err
	}
	if need := int64(m.Pages) * int64(m.PageSize); fi.Size() < need {
		return Meta{}, fmt.Errorf("%w: the file is %d bytes, its metadata says %d (truncated)", ErrDamaged, fi.Size(), need)
	}
	return m, nil
}

// readMetas reads both meta pages and returns the valid one with the
// highest transaction id.
func readMetas(r io.ReaderAt) (Meta, error) {
	var buf [headerSize + 64]byte
	if _, err := r.ReadAt(buf[:], 0); err != nil {
		return Meta{}, fmt.Errorf("%w: no meta page: %v", ErrDamaged, err)
	}
	first, err0 := parseMeta(buf[:])
	size := uint32(4096)
	if err0 == nil {
		size = first.PageSize
	}
	var best Meta
	found := false
	for i, off := range []int64{0, int64(size)} {
		if _, err := r.ReadAt(buf[:], off); err != nil {
			continue
		}
		m, err := parseMeta(buf[:])
		if err != nil || (i == 1 && err0 == nil && m.PageSize != size) {
			continue
		}
		if !found || m.TxID > best.TxID {
			best, found = m, true
		}
	}
	if !found {
		if !magicAt(r, 0) && !magicAt(r, int64(size)) {
			return Meta{}, errNotBolt
		}
		return Meta{}, fmt.Errorf("%w: neither meta page is valid", ErrDamaged)
	}
	return best, nil
}

// errNotBolt: the file has no bbolt meta page at all (not a bbolt file,
// which bbolt itself reports).
var errNotBolt = errors.New("not a bbolt file")

// magicAt reports whether the page at off has bbolt's meta magic.
func magicAt(r io.ReaderAt, off int64) bool {
	var b [4]byte
	_, err := r.ReadAt(b[:], off+headerSize)
	return err == nil && order.Uint32(b[:]) == metaMagic
}

// parseMeta decodes and validates a meta page (header, then the meta).
func parseMeta(p []byte) (Meta, error) {
	if order.Uint16(p[8:])&flagMeta == 0 {
		return Meta{}, ErrDamaged
	}
	b := p[headerSize:]
	h := fnv.New64a()
	h.Write(b[:56])
	if order.Uint32(b[0:]) != metaMagic || order.Uint32(b[4:]) != metaVersion || order.Uint64(b[56:]) != h.Sum64() {
		return Meta{}, ErrDamaged
	}
	m := Meta{PageSize: order.Uint32(b[8:]), Root: order.Uint64(b[16:]), Freelist: order.Uint64(b[32:]), Pages: order.Uint64(b[40:]), TxID: order.Uint64(b[48:])}
	if m.PageSize < 512 || m.PageSize > 1<<16 || m.PageSize&(m.PageSize-1) != 0 || m.Pages < 4 {
		return Meta{}, ErrDamaged
	}
	return m, nil
}

// Opening says who opens the file Sound checks, and how.
type Opening struct {
	Writer  bool      // a writer (it may create the archive)
	Quick   bool      // a reader that checked this very file before, unchanged
	Recheck bool      // walk even when the file is stamped sound
	Now     time.Time // the time of the check
}

// Sound checks the file at path before bbolt opens it (a missing or empty
// file is a new archive: nothing to check): its meta pages and length
// (Check), its trees (Walk, unless o.Quick, a reader that checked this
// very file before, or the file is stamped as it is: see stamp.go;
// o.Recheck walks anyway) and, for a writer (one that would create an
// archive in a file bbolt reads as empty), that an empty-looking file
// holds no data.
func Sound(path string, o Opening) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		return nil // bbolt reports what is wrong, or creates the file
	}
	m, err := Check(path)
	if errors.Is(err, errNotBolt) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.Quick && !o.Writer && !o.Recheck {
		return nil
	}
	if o.Recheck || !stamped(path, fi, m) {
		if _, err := Walk(path, m); err != nil {
			return err
		}
		writeStamp(path, fi, m, o.Now)
	}
	if !o.Writer || !m.empty(path) {
		return nil
	}
	full, err := HoldsData(path, int(m.PageSize))
	if err != nil {
		return err
	}
	if full {
		return fmt.Errorf("%w: bbolt reads an empty database (its newest meta page is probably damaged) but the file holds data; parc will not write over it", ErrDamaged)
	}
	return nil
}

// empty reports whether m's root bucket holds nothing: bbolt's initial
// state.
func (m Meta) empty(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	hdr := make([]byte, headerSize)
	if _, err := f.ReadAt(hdr, int64(m.Root)*int64(m.PageSize)); err != nil {
		return false
	}
	return order.Uint16(hdr[8:])&flagLeaf != 0 && order.Uint16(hdr[10:]) == 0
}
