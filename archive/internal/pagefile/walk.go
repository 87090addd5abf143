package pagefile

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/parc-archiver/parc/archive/internal/prefetch"
)

// walker visits the pages of one file.
type walker struct {
	r       io.ReaderAt
	m       Meta
	visited []uint64           // bitmap over page ids
	pages   int                // pages visited, overflow included
	next    []uint64           // the pages the level being read links
	buf     []byte             // the page being read
	warm    func(ids []uint64) // reads a level's pages into the page cache; nil: no
}

// Walk visits every page reachable from m's root bucket in the file at
// path, each at most once, and reports the first structural damage. It
// returns the pages visited. It goes a level at a time (the pages the
// level above links, nested buckets' roots included), each level in file
// order, so that a cold file is read mostly forward.
func Walk(path string, m Meta) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := newWalker(f, m)
	warmer := prefetch.NewWarmer(f, int64(m.PageSize))
	w.warm = func(ids []uint64) { warmer.Pages(context.Background(), ids) }
	return w.run()
}

// warmLevel is the number of pages from which a level is read into the
// page cache before it is walked (prefetch.Pages): a few reads of up to
// 1 MiB in flight instead of one 4 KB read after another.
const warmLevel = 64

// walk is Walk on the file r.
func walk(r io.ReaderAt, m Meta) (int, error) { return newWalker(r, m).run() }

func newWalker(r io.ReaderAt, m Meta) *walker {
	return &walker{r: r, m: m, visited: make([]uint64, (m.Pages+63)/64)}
}

// run walks the file.
func (w *walker) run() (int, error) {
	m := w.m
	if err := w.freelist(); err != nil {
		return w.pages, err
	}
	level := []uint64{m.Root}
	for depth := 0; len(level) > 0; depth++ {
		if depth > maxLevels {
			return w.pages, fmt.Errorf("%w: trees more than %d levels deep (a loop)", ErrDamaged, maxLevels)
		}
		slices.Sort(level)
		if w.warm != nil && len(level) >= warmLevel {
			w.warm(level)
		}
		w.next = nil
		for _, id := range level {
			if err := w.page(id); err != nil {
				return w.pages, err
			}
		}
		level = w.next
	}
	return w.pages, nil
}

// noFreelist is the freelist id of a file whose freelist is not stored.
const noFreelist = ^uint64(0)

// freelist checks the freelist page, which bbolt reads when it opens the
// file: its header and every free page id in range.
func (w *walker) freelist() error {
	id := w.m.Freelist
	if id == noFreelist {
		return nil
	}
	if id < 2 || id >= w.m.Pages {
		return fmt.Errorf("%w: freelist at page %d, outside the file's %d pages", ErrDamaged, id, w.m.Pages)
	}
	p, err := w.readSpan(id)
	if err != nil {
		return err
	}
	if order.Uint16(p[8:])&flagFreelist == 0 {
		return fmt.Errorf("%w: page %d is not the freelist", ErrDamaged, id)
	}
	ids, count := p[headerSize:], int(order.Uint16(p[10:]))
	if count == 0xFFFF { // the count is in the first element
		if len(ids) < 8 {
			return fmt.Errorf("%w: freelist cut", ErrDamaged)
		}
		count, ids = int(order.Uint64(ids)), ids[8:]
	}
	if count < 0 || count > len(ids)/8 {
		return fmt.Errorf("%w: freelist of %d ids does not fit its pages", ErrDamaged, count)
	}
	for i := range count {
		if free := order.Uint64(ids[i*8:]); free < 2 || free >= w.m.Pages {
			return fmt.Errorf("%w: freelist names page %d, outside the file's %d pages", ErrDamaged, free, w.m.Pages)
		}
	}
	return nil
}

// maxLevels bounds the levels of the walk: trees far higher than any real
// B+tree, in buckets nested a few deep.
const maxLevels = 256

// page visits page id: checks it and notes what it links for the next
// level.
func (w *walker) page(id uint64) error {
	if id < 2 || id >= w.m.Pages {
		return fmt.Errorf("%w: a link to page %d, outside the file's %d pages", ErrDamaged, id, w.m.Pages)
	}
	if w.visited[id/64]&(1<<(id%64)) != 0 {
		return fmt.Errorf("%w: page %d is linked twice (a loop)", ErrDamaged, id)
	}
	w.visited[id/64] |= 1 << (id % 64)
	p, span, err := w.read(id)
	if err != nil {
		return err
	}
	return w.elements(p, span, id, 0)
}

// buffer returns the page buffer, n bytes long: one page is read at a
// time (an inline bucket's page is a slice of its leaf's).
func (w *walker) buffer(n int) []byte {
	if cap(w.buf) < n {
		w.buf = make([]byte, n)
	}
	return w.buf[:n]
}

// read returns page id and span, the length of the page with its
// overflow pages, which bounds its elements. It reads the first page only
// when that holds all the walk looks at (the header, the element table
// and the values of the buckets a leaf holds): the overflow pages of a
// leaf hold the bytes of its big values, most of a file's pages, which
// bbolt reads only when asked for them (records carry their own
// checksums).
func (w *walker) read(id uint64) (p []byte, span int, err error) {
	ps := int64(w.m.PageSize)
	p = w.buffer(int(ps))
	if _, err := w.r.ReadAt(p, int64(id)*ps); err != nil {
		return nil, 0, fmt.Errorf("%w: page %d: %v", ErrDamaged, id, err)
	}
	if got := order.Uint64(p); got != id {
		return nil, 0, fmt.Errorf("%w: page %d says it is page %d", ErrDamaged, id, got)
	}
	over := uint64(order.Uint32(p[12:]))
	if id+over >= w.m.Pages {
		return nil, 0, fmt.Errorf("%w: page %d runs %d pages past the file's end", ErrDamaged, id, over)
	}
	for o := id + 1; o <= id+over; o++ {
		w.visited[o/64] |= 1 << (o % 64)
	}
	w.pages += int(over) + 1
	span = int(int64(over+1) * ps)
	if over == 0 || firstPageSuffices(p) {
		return p, span, nil
	}
	p = w.buffer(span)
	if _, err := w.r.ReadAt(p, int64(id)*ps); err != nil {
		return nil, 0, fmt.Errorf("%w: page %d: %v", ErrDamaged, id, err)
	}
	return p, span, nil
}

// readSpan returns page id with all its overflow pages.
func (w *walker) readSpan(id uint64) ([]byte, error) {
	p, span, err := w.read(id)
	if err != nil || len(p) == span {
		return p, err
	}
	p = w.buffer(span)
	if _, err := w.r.ReadAt(p, int64(id)*int64(w.m.PageSize)); err != nil {
		return nil, fmt.Errorf("%w: page %d: %v", ErrDamaged, id, err)
	}
	return p, nil
}

// firstPageSuffices reports whether the first page p of a page with
// overflow pages holds its whole element table and, for a leaf, the
// whole value of every bucket element.
func firstPageSuffices(p []byte) bool {
	count := int(order.Uint16(p[10:]))
	if headerSize+count*elementSize > len(p) {
		return false
	}
	if order.Uint16(p[8:]) != flagLeaf {
		return true
	}
	for i := range count {
		at := headerSize + i*elementSize
		e := p[at:]
		if order.Uint32(e[0:])&bucketLeaf == 0 {
			continue
		}
		end := int64(at) + int64(order.Uint32(e[4:])) + int64(order.Uint32(e[8:])) + int64(order.Uint32(e[12:]))
		if end > int64(len(p)) {
			return false
		}
	}
	return true
}

// elements checks the elements of page p (id; 0 for an inline bucket's
// page, depth inline pages down), span bytes long with its overflow pages
// (p may be its first page only: see read), and notes what they link.
func (w *walker) elements(p []byte, span int, id uint64, depth int) error {
	flags, count := order.Uint16(p[8:]), int(order.Uint16(p[10:]))
	// Exactly one of the two, and an inline bucket's page is a leaf:
	// bbolt reads any other as it would a branch, off the page.
	if flags != flagBranch && flags != flagLeaf || id == 0 && flags != flagLeaf || flags == flagBranch && count == 0 {
		where := fmt.Sprintf("page %d", id)
		if id == 0 {
			where = "an inline bucket's page"
		}
		return fmt.Errorf("%w: %s: flags %#x, %d elements: neither a branch nor a leaf", ErrDamaged, where, flags, count)
	}
	if headerSize+count*elementSize > min(span, len(p)) {
		return fmt.Errorf("%w: page %d: %d elements do not fit", ErrDamaged, id, count)
	}
	for i := range count {
		e := p[headerSize+i*elementSize:]
		at := headerSize + i*elementSize
		switch {
		case flags&flagBranch != 0:
			pos, ksize := int(order.Uint32(e[0:])), int(order.Uint32(e[4:]))
			if at+pos+ksize > span {
				return fmt.Errorf("%w: page %d: element %d runs off the page", ErrDamaged, id, i)
			}
			w.next = append(w.next, order.Uint64(e[8:]))
		case flags&flagLeaf != 0:
			if err := w.leaf(p, span, e, at, id, i, depth); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: page %d is neither a branch nor a leaf (flags %#x)", ErrDamaged, id, flags)
		}
	}
	return nil
}

// leaf checks leaf element i (e, at offset at of page p, span bytes long)
// and visits the bucket it holds, if any.
func (w *walker) leaf(p []byte, span int, e []byte, at int, id uint64, i, depth int) error {
	eflags, pos := order.Uint32(e[0:]), int(order.Uint32(e[4:]))
	ksize, vsize := int(order.Uint32(e[8:])), int(order.Uint32(e[12:]))
	end := at + pos + ksize + vsize
	if pos < 0 || ksize < 0 || vsize < 0 || end > span || end < at {
		return fmt.Errorf("%w: page %d: element %d runs off the page", ErrDamaged, id, i)
	}
	if eflags&bucketLeaf == 0 {
		return nil
	}
	v := p[at+pos+ksize : end]
	if len(v) < bucketHeader {
		return fmt.Errorf("%w: page %d: bucket %d has no header", ErrDamaged, id, i)
	}
	if root := order.Uint64(v); root != 0 {
		w.next = append(w.next, root) // a level further down: its tree
		return nil
	}
	inline := v[bucketHeader:]
	if len(inline) < headerSize {
		return fmt.Errorf("%w: page %d: inline bucket %d is cut", ErrDamaged, id, i)
	}
	if depth > 0 {
		return fmt.Errorf("%w: page %d: an inline bucket inside an inline bucket", ErrDamaged, id)
	}
	return w.elements(inline, len(inline), 0, depth+1)
}

// HoldsData reports whether the file at path has a data page past the
// first four (the two metas, a freelist and the root of an empty
// database): a page whose header names its own position and whose flags
// are bbolt's. An empty archive that was grown but never written has none.
func HoldsData(path string, pageSize int) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	hdr := make([]byte, headerSize)
	for id := int64(4); (id+1)*int64(pageSize) <= fi.Size(); id++ {
		if _, err := f.ReadAt(hdr, id*int64(pageSize)); err != nil {
			return false, err
		}
		if order.Uint64(hdr) == uint64(id) && order.Uint16(hdr[8:])&(flagBranch|flagLeaf|flagFreelist) != 0 {
			return true, nil
		}
	}
	return false, nil
}
